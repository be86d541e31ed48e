using Genre.Data;
using Genre.Models;
using LanguageExt;
using ScottPlot;
using static LanguageExt.Prelude;

namespace Genre.Eval;

/// <summary>The report's figures with ScottPlot: learning curves (accuracy and loss per epoch) and a confusion heatmap.</summary>
public static class Plots
{
    /// <summary>
    /// Train/validation accuracy and loss per epoch: the notebooks' two figures. With a <paramref name="reference"/> (the
    /// authors' TF2 log, <see cref="AuthorsCurves"/>) both figures also show its train and validation curves, dashed, over
    /// the epochs this run covers.
    /// </summary>
    public static (byte[] Accuracy, byte[] Loss) LearningCurves(string title, History history, Option<History> reference = default)
    {
        var acc = new Plot();
        Draw(acc, $"{title}: model accuracy", "accuracy", CurveSeries(history, reference, e => e.Accuracy, e => e.ValAccuracy), Alignment.LowerRight);
        var loss = new Plot();
        Draw(loss, $"{title}: model loss", "loss", CurveSeries(history, reference, e => e.Loss, e => e.ValLoss), Alignment.UpperRight);
        return (acc.GetImageBytes(800, 500, ImageFormat.Png), loss.GetImageBytes(800, 500, ImageFormat.Png));
    }

    /// <summary>One line of a learning-curve figure.</summary>
    public sealed record Series(string Label, double[] Epochs, double[] Values, bool Validation, bool Dashed);

    /// <summary>
    /// The lines of one learning-curve figure: "train", then "validation" when the run had a validation set, then the
    /// reference's "authors' TF2 train" and "authors' TF2 validation" (dashed), cut to the epochs <paramref name="history"/> reached.
    /// </summary>
    public static Seq<Series> CurveSeries(History history, Option<History> reference, Func<EpochMetrics, double> train, Func<EpochMetrics, double> val)
    {
        var lastEpoch = history.Epochs.Map(e => e.Epoch).Fold(0, Math.Max);
        Seq<Series> Of(History h, string prefix, bool dashed) =>
            Seq(new Series(prefix + "train", Epochs(h), h.Epochs.Map(train).ToArray(), false, dashed),
                new Series(prefix + "validation", Epochs(h), h.Epochs.Map(val).ToArray(), true, dashed))
                .Filter(s => s.Values.Any(double.IsFinite));
        var referenceLines = reference.Map(r => Of(new History(r.Epochs.Filter(e => e.Epoch <= lastEpoch).Strict()), "authors' TF2 ", true))
            .IfNone(Seq<Series>());
        return Of(history, "", false) + referenceLines;
    }

    static double[] Epochs(History h) => h.Epochs.Map(e => (double)e.Epoch).ToArray();

    /// <summary>The legend goes where the curves are not: lower right for accuracy (rising), upper right for loss (falling).</summary>
    static void Draw(Plot plot, string title, string metric, Seq<Series> series, Alignment legend)
    {
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var s in series)
        {
            var line = plot.Add.Scatter(s.Epochs, s.Values);
            line.LegendText = s.Label;
            line.MarkerSize = s.Epochs.Length > 40 || s.Dashed ? 0 : 4;
            // the authors' train/validation take the colours of ours, dashed
            line.Color = palette.GetColor(s.Validation ? 1 : 0);
            if (s.Dashed) line.LinePattern = LinePattern.Dashed;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(metric);
        plot.ShowLegend(legend);
    }

    /// <summary>Heatmap of counts (rows = actual, columns = predicted) with every class name on both axes.</summary>
    public static byte[] Confusion(string title, long[,] confusion, Seq<string> classes)
    {
        var k = classes.Count;
        var values = new double[k, k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
                values[i, j] = confusion[i, j];
        var plot = new Plot();
        var heat = plot.Add.Heatmap(values);
        heat.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heat);
        var ticks = Enumerable.Range(0, k).Select(i => new Tick(i, classes[i])).ToArray();
        var xTicks = new ScottPlot.TickGenerators.NumericManual(ticks);
        var yTicks = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, k).Select(i => new Tick(k - 1 - i, classes[i])).ToArray());
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = yTicks;
        var font = k > 70 ? 9 : 12;
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.TickLabelStyle.FontSize = font;
        plot.Axes.Left.TickLabelStyle.FontSize = font;
        plot.Axes.Bottom.MinimumSize = 140;
        plot.Axes.Left.MinimumSize = 140;
        plot.Axes.Bottom.Label.Text = "predicted";
        plot.Axes.Left.Label.Text = "actual";
        plot.Title(title);
        var size = Math.Max(900, 22 * k + 300);
        return plot.GetImageBytes(size + 150, size, ImageFormat.Png);
    }

    public static Fin<LanguageExt.Unit> Save(string path, byte[] png) => AtomicFile.WriteAllBytes(path, png);
}
