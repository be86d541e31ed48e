using Genre.Data;
using Genre.Models;
using ScottPlot;

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
        var (acc, loss) = LearningCurvePlots(title, history, reference);
        return (acc.GetImageBytes(800, 500, ImageFormat.Png), loss.GetImageBytes(800, 500, ImageFormat.Png));
    }

    /// <summary>The two figures <see cref="LearningCurves"/> renders, before rendering: what they draw can be read from them.</summary>
    internal static (Plot Accuracy, Plot Loss) LearningCurvePlots(string title, History history, Option<History> reference)
    {
        var acc = new Plot();
        Draw(acc, $"{title}: model accuracy", "accuracy", CurveSeries(history, reference, e => e.Accuracy, e => e.ValAccuracy),
            Alignment.LowerRight);
        var loss = new Plot();
        Draw(loss, $"{title}: model loss", "loss", CurveSeries(history, reference, e => e.Loss, e => e.ValLoss), Alignment.UpperRight);
        return (acc, loss);
    }

    /// <summary>One line of a learning-curve figure.</summary>
    public sealed record Series(string Label, double[] Epochs, double[] Values, bool Validation, bool Dashed);

    /// <summary>
    /// The lines of one learning-curve figure: "train", then "validation" when the run had a validation set, then the
    /// reference's "authors' TF2 train" and "authors' TF2 validation" (dashed), cut to the epochs <paramref name="history"/> reached.
    /// </summary>
    public static Seq<Series> CurveSeries(History history, Option<History> reference, Func<EpochMetrics, double> train, Func<EpochMetrics,
        double> val)
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

    /// <summary>
    /// The confusion matrix as a heatmap of recall (colour 0–1): each row (an actual genre) divided by its count, so every genre shows the
    /// share of its rows that went to each predicted genre whatever its size (the raw counts stay in metrics.json). The axes
    /// fit the matrix, one labelled cell per genre, row 0 at the top, as seaborn's heatmap draws it. With a
    /// <paramref name="merges"/> mapping (the reduced model), the merged families come first, each labelled with how many
    /// genres it holds, then the genres left as they were.
    /// </summary>
    public static byte[] Confusion(string title, long[,] confusion, Seq<string> classes, Option<GenreMapping> merges = default)
    {
        var (plot, width, height) = ConfusionPlot(title, confusion, classes, merges);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>The figure <see cref="Confusion"/> renders and its size in pixels, before rendering.</summary>
    internal static (Plot Plot, int Width, int Height) ConfusionPlot(string title, long[,] confusion, Seq<string> classes,
        Option<GenreMapping> merges)
    {
        var order = DisplayOrder(classes, merges);
        var k = order.Count;
        var values = RowNormalised(confusion, order);
        var plot = new Plot();
        var heat = plot.Add.Heatmap(values);
        heat.Colormap = new ScottPlot.Colormaps.Viridis();
        heat.ManualRange = new ScottPlot.Range(0, 1);
        var bar = plot.Add.ColorBar(heat);
        bar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(0.1);
        // cell (row i, column j) is centred on x = j, y = k - 1 - i
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        var labels = order.Map(c => c.Label).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, k).Select(i => new Tick(i, labels[i])).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, k).Select(i => new Tick(k - 1 - i, labels[i])).ToArray());
        var font = k > 70 ? 10 : 13;
        plot.Axes.Bottom.TickLabelStyle.Rotation = 90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        plot.Axes.Bottom.TickLabelStyle.FontSize = font;
        plot.Axes.Left.TickLabelStyle.FontSize = font;
        var labelSpace = (int)(0.62 * font * labels.Max(l => l.Length)) + 30;
        plot.Axes.Bottom.MinimumSize = labelSpace;
        plot.Axes.Left.MinimumSize = labelSpace;
        plot.Axes.Bottom.Label.Text = "predicted";
        plot.Axes.Left.Label.Text = "actual";
        plot.Grid.IsVisible = false;
        plot.Title(title);
        var cells = 20 * k;
        return (plot, cells + labelSpace + 200, cells + labelSpace + 90);
    }

    /// <summary>A class of the figure: its index in the matrix and its label.</summary>
    public sealed record DisplayClass(int Index, string Label);

    /// <summary>
    /// The figure's order: the matrix's own (the label encoder's, sorted), or with <paramref name="merges"/> the merged
    /// families first (largest first), labelled "rock (17 genres)", then the rest in the matrix's order.
    /// </summary>
    public static Seq<DisplayClass> DisplayOrder(Seq<string> classes, Option<GenreMapping> merges) =>
        merges.Match(
            m =>
            {
                var sizes = m.Merges.Values.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count() + 1);
                var all = classes.Map((i, c) => (Index: i, Name: c)).ToSeq();
                var families = all.Filter(c => sizes.ContainsKey(c.Name))
                    .OrderByDescending(c => sizes[c.Name]).ThenBy(c => c.Index)
                    .Select(c => new DisplayClass(c.Index, $"{c.Name} ({sizes[c.Name]} genres)"));
                var rest = all.Filter(c => !sizes.ContainsKey(c.Name)).Map(c => new DisplayClass(c.Index, c.Name)).ToSeq();
                return families.ToSeq() + rest;
            },
            () => classes.Map((i, c) => new DisplayClass(i, c)).ToSeq());

    /// <summary>Rows and columns in <paramref name="order"/>; each row divided by its total (a row with no samples stays 0).</summary>
    public static double[,] RowNormalised(long[,] confusion, Seq<DisplayClass> order)
    {
        var k = order.Count;
        var values = new double[k, k];
        for (var i = 0; i < k; i++)
        {
            double total = 0;
            for (var j = 0; j < k; j++) total += confusion[order[i].Index, order[j].Index];
            for (var j = 0; j < k; j++) values[i, j] = total > 0 ? confusion[order[i].Index, order[j].Index] / total : 0;
        }
        return values;
    }

    /// <summary>Writes a rendered PNG to <paramref name="path"/> atomically; an I/O error when it cannot.</summary>
    public static Fin<LanguageExt.Unit> Save(string path, byte[] png) => AtomicFile.WriteAllBytes(path, png);
}
