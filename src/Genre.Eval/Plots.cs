using Genre.Data;
using Genre.Models;
using LanguageExt;
using ScottPlot;

namespace Genre.Eval;

/// <summary>The report's figures with ScottPlot: learning curves (accuracy and loss per epoch) and a confusion heatmap.</summary>
public static class Plots
{
    /// <summary>Train/validation accuracy and loss per epoch: the notebooks' two figures.</summary>
    public static (byte[] Accuracy, byte[] Loss) LearningCurves(string title, History history)
    {
        var epochs = history.Epochs.Map(e => (double)e.Epoch).ToArray();
        var acc = new Plot();
        Curve(acc, $"{title}: model accuracy", "accuracy", epochs, history.Epochs.Map(e => e.Accuracy).ToArray(), history.Epochs.Map(e => e.ValAccuracy).ToArray());
        var loss = new Plot();
        Curve(loss, $"{title}: model loss", "loss", epochs, history.Epochs.Map(e => e.Loss).ToArray(), history.Epochs.Map(e => e.ValLoss).ToArray());
        return (acc.GetImageBytes(800, 500, ImageFormat.Png), loss.GetImageBytes(800, 500, ImageFormat.Png));
    }

    static void Curve(Plot plot, string title, string metric, double[] x, double[] train, double[] val)
    {
        var t = plot.Add.Scatter(x, train);
        t.LegendText = "train";
        t.MarkerSize = x.Length > 40 ? 0 : 4;
        if (val.Any(double.IsFinite))
        {
            var v = plot.Add.Scatter(x, val);
            v.LegendText = "validation";
            v.MarkerSize = x.Length > 40 ? 0 : 4;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(metric);
        plot.ShowLegend(Alignment.UpperLeft);
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
