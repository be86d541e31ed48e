using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;
using static Genre.Eval.ReportNumbers;

namespace Genre.Eval;

/// <summary>report.md and metrics.json of a multi-seed reproduce run: each experiment's mean ± sd over seeds.</summary>
public static class SeedsReport
{
    /// <summary>How far a mean may sit from the report's accuracy and still count as reproduced (issue 13's target).</summary>
    public const double TolerancePoints = 1.5;


    /// <summary>"0.3012 ± 0.0021" (or the mean alone for one seed).</summary>
    public static string MeanSd(double mean, double sd) => double.IsFinite(sd) ? $"{F4(mean)} ± {F4(sd)}" : F4(mean);

    /// <summary>The multi-seed run as <c>metrics.json</c>: the seeds, and per experiment the mean test accuracy and sample sd with each
    /// seed's accuracy, loss and seconds (values that are not finite are null).</summary>
    public static JsonObject MetricsJson(SeedsResult r) => new()
    {
        ["profile"] = r.Profile.Name,
        ["data"] = new JsonObject
        {
            ["file"] = r.Source.FileName,
            ["synthetic"] = r.Source.IsSynthetic,
            ["kaggle_file"] = r.Source.IsKaggleFile,
            ["sha256"] = r.Source.Sha256,
        },
        ["seeds"] = new JsonArray(r.PerSeed.Map(s => (JsonNode?)s.Seed).ToArray()),
        ["experiments"] = new JsonObject(r.Experiments.Map(x => new KeyValuePair<string, JsonNode?>(x.Experiment.Name, new JsonObject
        {
            // test_accuracy is the mean, so readers of single-seed metrics.json (the other profile's table) read it alike
            ["test_accuracy"] = Json.Finite(x.Mean),
            ["sd"] = Json.Finite(x.Sd),
            ["n_seeds"] = x.Runs.Count,
            ["seeds"] = new JsonArray(x.Runs.Map(run => (JsonNode?)run.Seed).ToArray()),
            ["accuracies"] = new JsonArray(x.Accuracies.Map(Json.Finite).ToArray()),
            ["test_losses"] = new JsonArray(x.Runs.Map(run => Json.Finite(run.Result.Test.Loss)).ToArray()),
            ["seconds"] = new JsonArray(x.Runs.Map(run => (JsonNode?)run.Result.Seconds).ToArray()),
            ["epochs"] = x.Settings.Epochs,
            ["batch_size"] = x.Settings.BatchSize,
            ["learning_rate"] = x.Settings.LearningRate,
            ["report_accuracy"] = Json.Finite(x.Experiment.ReportAccuracy), // null beyond the report
        }))),
        ["authors_models"] = new JsonObject(r.Authors.Map(a => new KeyValuePair<string, JsonNode?>(a.Model, new JsonObject
        {
            ["experiment"] = a.Experiment,
            ["test_accuracy"] = Json.Finite(a.Test.Accuracy),
            ["test_loss"] = Json.Finite(a.Test.Loss),
            ["n"] = a.Test.Count,
        }))),
    };

    /// <summary>The multi-seed run as <c>report.md</c>: mean ± sd per experiment beside the report's accuracy, with the other profile's
    /// results when given.</summary>
    public static string Markdown(SeedsResult r, Option<JsonObject> other)
    {
        var real = !r.Source.IsSynthetic;
        var sb = new StringBuilder();
        sb.Append($"# Reproduction of \"Using RNN To Predict Music Track Genre\" — profile `{r.Profile.Name}`, seeds " +
            $"{string.Join(", ", r.PerSeed.Map(s => s.Seed))}\n\n");
        var training = r.PerSeed.Sum(s => s.Result.Results.Filter(x => x.How is not Provenance.SameTrainingAs).Sum(x => x.Seconds));
        sb.Append($"Profile: {r.Profile.Description.Split(" (")[0]}. Each seed is a full run in `seed-S/` (its own report.md, figures, " +
                  $"model). Training every seed's models took {ReportWriter.Duration(training)} (summed from their folders); the " +
                  $"run that wrote this report took {ReportWriter.Duration(r.Seconds)}.\n\n");
        sb.Append(r.Source.IsSynthetic
            ? $"> **Data: SYNTHETIC** (`{r.Source.FileName}`) — these accuracies say nothing about the report's; no delta is computed.\n\n"
            : r.Source.IsKaggleFile
                ? $"Data: the Kaggle file the report used (`{r.Source.FileName}`, sha256 `{r.Source.Sha256}`).\n\n"
                : $"Data: `{r.Source.FileName}` (sha256 `{r.Source.Sha256}`) — not the Kaggle file the report used; compared with the " +
                    $"report's numbers all the same.\n\n");

        var otherName = other.Bind(o => Json.String(o, "profile")).IfNone("other profile");
        sb.Append($"| experiment | report | mean ± sd | seeds | " + (real ? $"Δ mean | within ±{TolerancePoints} pt | "
            : "") + $"per seed | {otherName} |\n");
        sb.Append("|---|---|---|---|" + (real ? "---|---|" : "") + "---|---|\n");
        foreach (var x in r.Experiments)
        {
            var delta = (x.Mean - x.Experiment.ReportAccuracy) * 100;
            var beyond = double.IsNaN(x.Experiment.ReportAccuracy); // an experiment the report did not run
            var reported = beyond ? "—" : F4(x.Experiment.ReportAccuracy);
            var versus = beyond ? "— | — | " : $"{delta:+0.00;-0.00} pt | {Verdict(x.Experiment, delta)} | ";
            var perSeed = string.Join(", ", x.Runs.Map(run => $"{run.Seed}: {F4(run.Result.Test.Accuracy)}"));
            sb.Append($"| {x.Experiment.Title} | {reported} | {MeanSd(x.Mean, x.Sd)} | {x.Runs.Count} | " + (real ? versus : "") +
                      $"{perSeed} | {OtherCell(other, x.Experiment.Name)} |\n");
        }
        var missing = Experiments.OfReport.Filter(e => !r.Experiments.Exists(x => x.Experiment.Name == e.Name)).Map(e => e.Name);
        if (!missing.IsEmpty) sb.Append($"\nNot finished for any seed yet: {string.Join(", ", missing)}.\n");

        if (!r.Authors.IsEmpty)
        {
            sb.Append("\n## The authors' trained SavedModels, re-scored on this data's test split\n\n| model | report | re-scored " +
                "accuracy | test loss | n |\n|---|---|---|---|---|\n");
            foreach (var a in r.Authors)
                sb.Append($"| {a.Model} | " +
                    $"{Experiments.OfReport.Find(e => e.Name == a.Experiment).Map(e => F4(e.ReportAccuracy)).IfNone("—")} | " +
                          $"{F4(a.Test.Accuracy)} | {a.Test.Loss:F4} | {a.Test.Count:N0} |\n");
        }

        if (r.Source.IsKaggleFile)
        {
            // the notebooks' seed when it ran, else the lowest: one curve per experiment, as the notebooks printed one
            var curves = r.Experiments.Map(x => x.Runs.Find(run => run.Seed == 2).IfNone(x.Runs.Head))
                .Map(run => (run.Result.Experiment.Name, run.Result.History));
            sb.Append("\n## Learning curves vs the authors' TF2 logs\n\n")
              .Append("Our loss and val_accuracy (seed 2, the notebooks' seed, where it ran) against the ones the authors' notebooks " +
                  "printed at the same epochs. " +
                      "Each seed folder's figures draw their curves dashed.\n\n")
              .Append(AuthorsCurves.ComparisonTable(curves));
        }

        sb.Append(UncertaintyReport.SeedsMarkdown(r, GenreMapping.ReportMerges));

        sb.Append("\n## Seed folders\n\n");
        foreach (var s in r.PerSeed)
        {
            var runs = s.Result.Results.Map(x =>
                $"{x.Experiment.Name} {F4(x.Test.Accuracy)} ({x.History.Epochs.Count} epochs, {x.Seconds:F0} s)");
            sb.Append($"- [seed {s.Seed}](seed-{s.Seed}/report.md): {string.Join(", ", runs)}\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// Within the tolerance or not; the report's softmax and MLP figures came from the authors' own numpy code (other training,
    /// no TF2 model), so TF2-style training is not expected to land on them.
    /// </summary>
    static string Verdict(Experiment e, double deltaPoints) =>
        e.AuthorsModel.IsNone ? "— (their numpy code)" : Math.Abs(deltaPoints) <= TolerancePoints ? "yes" : "no";

    /// <summary>The other profile's accuracy for an experiment: mean ± sd when it is a multi-seed metrics.json.</summary>
    static string OtherCell(Option<JsonObject> other, string experiment) =>
        other.Bind(o => Optional(o["experiments"]?[experiment] as JsonObject)).Match(
            e => e["test_accuracy"] is JsonValue a && a.TryGetValue<double>(out var acc)
                ? MeanSd(acc, e["sd"] is JsonValue s && s.TryGetValue<double>(out var sd) ? sd : double.NaN)
                : "—",
            () => "not run");
}
