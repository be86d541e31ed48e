using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;
using ScottPlot;
using static Genre.Eval.ReportNumbers;

namespace Genre.Eval;

/// <summary>
/// report.md's and metrics.json's metrics beyond accuracy (<see cref="ProbabilityMetrics"/>) for every model whose test
/// probabilities this run had, and the reliability diagram (<c>reliability.png</c>).
/// </summary>
public static class ScoresReport
{
    /// <summary>The figure's file name in a reproduce folder.</summary>
    public const string Figure = "reliability.png";

    /// <summary>Each scored model of the run, by name: the report's experiments in order, then gbdt.</summary>
    public static Seq<(string Name, ProbabilityMetrics Scores)> Scored(ReproduceResult r) =>
        r.Results.Choose(x => x.Scores.Map(s => (x.Experiment.Name, s))).ToSeq()
        + r.Gbdt.Bind(g => g.Scores.Map(s => (GbdtResult.Name, s))).ToSeq();

    /// <summary>metrics.json's record of one model's scores.</summary>
    public static JsonObject Json(ProbabilityMetrics m) => new()
    {
        ["top1_accuracy"] = m.Top1,
        ["top3_accuracy"] = m.Top3,
        ["top5_accuracy"] = m.Top5,
        ["macro_f1"] = m.MacroF1,
        // Option.Match refuses a null result: without listed genres the member is null through Case
        ["any_listed_genre_accuracy"] = m.AnyListedGenre.Case is double a ? JsonValue.Create(a) : null,
        ["family_accuracy"] = m.Family,
        ["ece"] = m.Ece,
        ["reliability"] = new JsonArray(m.Reliability.Map(b => (JsonNode)new JsonObject
        {
            ["low"] = b.Low,
            ["high"] = b.High,
            ["rows"] = b.Rows,
            ["confidence"] = b.Confidence,
            ["accuracy"] = b.Accuracy,
        }).ToArray()),
    };

    /// <summary>The section (empty when no model's probabilities were kept).</summary>
    public static string Markdown(ReproduceResult r)
    {
        var scored = Scored(r);
        if (scored.IsEmpty) return "";
        var sb = new StringBuilder("\n## Beyond accuracy: top-k, macro-F1, genre families and calibration\n\n");
        sb.Append("On the same test rows. *Any listed genre* counts a prediction right when the track is listed under that genre " +
                  "anywhere in the cleaned file (one track_id can carry several genres); *family* when the predicted and true genres " +
                  "merge to the same one of the report's 66; *ECE* is the expected calibration error over " +
                  $"{ProbabilityMetrics.Bins} equal-width confidence bins (0 = the top probability is the chance of being right; " +
                  $"[reliability diagram]({Figure})).\n\n");
        sb.Append("| model | top-1 | top-3 | top-5 | macro-F1 | any listed genre | family | ECE |\n|---|---|---|---|---|---|---|---|\n");
        foreach (var (name, s) in scored)
            sb.Append($"| {name} | {F4(s.Top1)} | {F4(s.Top3)} | {F4(s.Top5)} | {F4(s.MacroF1)} | " +
                      $"{s.AnyListedGenre.Map(F4).IfNone("—")} | {F4(s.Family)} | {F4(s.Ece)} |\n");
        return sb.ToString();
    }

    /// <summary>
    /// The reliability diagram: per model, accuracy against mean confidence in each bin, with the diagonal a calibrated model
    /// would follow (None when no model was scored).
    /// </summary>
    public static Option<byte[]> Reliability(ReproduceResult r) =>
        ReliabilityPlot(r).Map(plot => plot.GetImageBytes(800, 600, ImageFormat.Png));

    /// <summary>The figure <see cref="Reliability"/> renders, before rendering (None when no model was scored).</summary>
    internal static Option<Plot> ReliabilityPlot(ReproduceResult r)
    {
        var scored = Scored(r);
        if (scored.IsEmpty) return None;
        var plot = new Plot();
        var diagonal = plot.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "calibrated";
        foreach (var (name, s) in scored)
        {
            var line = plot.Add.Scatter(s.Reliability.Map(b => b.Confidence).ToArray(), s.Reliability.Map(b => b.Accuracy).ToArray());
            line.LegendText = $"{name} (ECE {F4(s.Ece)})";
            line.MarkerSize = 4;
        }
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title("Reliability: accuracy against confidence (top probability), test rows");
        plot.XLabel("mean confidence in the bin");
        plot.YLabel("accuracy in the bin");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
