using System.Globalization;
using System.Text;
using Genre.Data;
using Genre.Models;

namespace Genre.Eval;

/// <summary>
/// The authors' TF2 learning curves: every epoch of their five 1,000-epoch Keras trainings on the Kaggle file, as the
/// notebooks printed them (<c>reference/curves/*.csv</c>, made by <c>reference/curves/extract.py</c>, embedded in this
/// assembly). The logs keep no per-epoch time, so <see cref="EpochMetrics.Seconds"/> is NaN in these histories.
/// </summary>
public static class AuthorsCurves
{
    /// <summary>The experiments with an authors' log (names as in <see cref="Experiments.OfReport"/>).</summary>
    public static readonly Seq<string> Names = Seq("rnn1", "rnn2", "dnn1", "dnn2", "reduced-rnn1");

    /// <summary>The epochs <see cref="ComparisonTable"/> compares.</summary>
    public static readonly Seq<int> ComparedEpochs = Seq(1, 10, 100, 500, 1000);

    const string Header = "epoch,loss,accuracy,val_loss,val_accuracy";

    /// <summary>The embedded resource holding an experiment's log.</summary>
    public static string ResourceName(string experimentName) => $"Genre.Eval.AuthorsCurves.{experimentName}.csv";

    /// <summary>
    /// Parse a log: the header <c>epoch,loss,accuracy,val_loss,val_accuracy</c>, then one row per epoch, epochs 1, 2, 3, …
    /// with no gap; every value a finite number. Errors are one line: "<paramref name="source"/>:LINE: what is wrong".
    /// </summary>
    public static Fin<History> Parse(string csvText, string source = "curves.csv")
    {
        var lines = csvText.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var last = lines.Length;
        while (last > 0 && lines[last - 1].Length == 0) last--;
        if (last == 0 || lines[0] != Header)
            return GenreError.Data($"{source}:1: expected the header '{Header}', found '{(last == 0 ? "" : lines[0])}'");
        if (last == 1) return GenreError.Data($"{source}:2: no epochs after the header");
        var epochs = new List<EpochMetrics>(last - 1);
        for (var i = 1; i < last; i++)
        {
            var row = Row(lines[i], source, i + 1, expectedEpoch: i);
            if (row.IsFail) return (LanguageExt.Common.Error)row;
            epochs.Add((EpochMetrics)row);
        }
        return new History(epochs.ToSeq().Strict());
    }

    static Fin<EpochMetrics> Row(string line, string source, int lineNumber, int expectedEpoch)
    {
        var cells = line.Split(',');
        if (cells.Length != 5)
            return GenreError.Data($"{source}:{lineNumber}: expected 5 cells, found {cells.Length}");
        if (!int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
            return GenreError.Cell(source, lineNumber, "epoch", $"'{cells[0]}' is not an epoch number");
        if (epoch != expectedEpoch)
            return GenreError.Cell(
                source, lineNumber, "epoch", $"epoch {epoch} where epoch {expectedEpoch} was expected (epochs run 1, 2, 3, … with no gap)");
        var values = new double[4];
        var names = Header.Split(',');
        for (var c = 1; c < 5; c++)
            if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out values[c - 1])
                || !double.IsFinite(values[c - 1]))
                return GenreError.Cell(source, lineNumber, names[c], $"'{cells[c]}' is not a finite number");
        return new EpochMetrics(epoch, values[0], values[1], values[2], values[3], double.NaN);
    }

    /// <summary>The authors' log of an experiment, or None when they did not train it (softmax, mlp) or the name is unknown.</summary>
    public static Option<History> For(string experimentName) =>
        Names.Contains(experimentName) ? Load(experimentName).ToOption() : None;

    /// <summary>Read and parse the embedded log of one of <see cref="Names"/>; fails naming the resource when it is absent or
    /// malformed.</summary>
    public static Fin<History> Load(string experimentName)
    {
        var name = ResourceName(experimentName);
        using var stream = typeof(AuthorsCurves).Assembly.GetManifestResourceStream(name);
        if (stream is null) return GenreError.Io($"{name}: no such embedded resource");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd(), name);
    }

    /// <summary>
    /// Markdown: for each of our runs that has an authors' log, loss and val_accuracy at epochs 1, 10, 100, 500 and 1000 —
    /// ours | theirs | Δ (ours − theirs; val_accuracy Δ in points). An epoch our run did not reach shows "—".
    /// </summary>
    public static string ComparisonTable(Seq<(string Experiment, History Ours)> runs)
    {
        var compared = runs.Choose(r => For(r.Experiment).Map(theirs => (r.Experiment, r.Ours, Theirs: theirs))).Strict();
        if (compared.IsEmpty) return "No experiment of this run has an authors' log (they logged rnn1, rnn2, dnn1, dnn2 and " +
            "reduced-rnn1).\n";
        var sb = new StringBuilder();
        sb.Append("| experiment | epoch | loss ours | loss theirs | Δ loss | val_accuracy ours | val_accuracy theirs | Δ val_accuracy |\n");
        sb.Append("|---|---|---|---|---|---|---|---|\n");
        foreach (var (experiment, ours, theirs) in compared)
            foreach (var epoch in ComparedEpochs)
            {
                var o = At(ours, epoch);
                var t = At(theirs, epoch);
                sb.Append($"| {experiment} | {epoch} | {Cell(o, e => e.Loss)} | {Cell(t, e => e.Loss)} | " +
                          $"{Delta(o, t, e => e.Loss, d => d.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture))} | " +
                          $"{Cell(o, e => e.ValAccuracy)} | {Cell(t, e => e.ValAccuracy)} | " +
                          $"{Delta(o, t, e => e.ValAccuracy, Points)} |\n");
            }
        return sb.ToString();
    }

    static Option<EpochMetrics> At(History h, int epoch) => h.Epochs.Find(e => e.Epoch == epoch);

    static Option<double> Value(Option<EpochMetrics> e, Func<EpochMetrics, double> metric) => e.Map(metric).Filter(double.IsFinite);

    static string Cell(Option<EpochMetrics> e, Func<EpochMetrics, double> metric) =>
        Value(e, metric).Map(v => v.ToString("F4", CultureInfo.InvariantCulture)).IfNone("—");

    static string Delta(Option<EpochMetrics> ours, Option<EpochMetrics> theirs, Func<EpochMetrics, double> metric, Func<double,
        string> format) =>
        (from o in Value(ours, metric) from t in Value(theirs, metric) select format(o - t)).IfNone("—");

    static string Points(double d) => (d * 100).ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + " pt";
}
