using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;
using static Genre.Eval.ReportNumbers;

namespace Genre.Eval;

/// <summary>report.md and metrics.json of a reproduce run.</summary>
public static class ReportWriter
{

    /// <summary>
    /// The run as <c>metrics.json</c>: profile, data source, total seconds; per experiment its test accuracy, loss and rows,
    /// epochs, training seconds, batch size, learning rate, the report's accuracy and the history; the authors' models'
    /// scores. Accuracies and losses that are not finite are null.
    /// </summary>
    public static JsonObject MetricsJson(ReproduceResult r) => new()
    {
        ["profile"] = r.Profile.Name,
        ["data"] = new JsonObject
        {
            ["file"] = r.Source.FileName,
            ["synthetic"] = r.Source.IsSynthetic,
            ["seed"] = r.Source.IsSynthetic ? r.Source.Seed : null,
            ["sha256"] = r.Source.Sha256,
        },
        ["seconds"] = r.Seconds,
        ["experiments"] = new JsonObject(r.Results.Map(x => new KeyValuePair<string, JsonNode?>(x.Experiment.Name, WithEnsemble(x,
            new JsonObject
            {
                ["test_accuracy"] = Json.Finite(x.Test.Accuracy),
                ["test_loss"] = Json.Finite(x.Test.Loss),
                ["n"] = x.Test.Count,
                ["epochs"] = x.History.Epochs.Count,
                ["seconds"] = x.Seconds,
                ["batch_size"] = x.Settings.BatchSize,
                ["learning_rate"] = x.Settings.LearningRate,
                ["report_accuracy"] = Json.Finite(x.Experiment.ReportAccuracy), // null beyond the report
                ["history"] = TrainingRun.HistoryJson(x.History),
            })))),
        ["authors_models"] = new JsonObject(r.Authors.Map(a => new KeyValuePair<string, JsonNode?>(a.Model, new JsonObject
        {
            ["experiment"] = a.Experiment,
            ["test_accuracy"] = Json.Finite(a.Test.Accuracy),
            ["test_loss"] = Json.Finite(a.Test.Loss),
            ["n"] = a.Test.Count,
        }))),
    };

    /// <summary>An entry gets its scores beyond accuracy when kept; an ensemble's also gets its validation accuracy and members
    /// (its history is member 1's).</summary>
    static JsonObject WithEnsemble(ExperimentResult x, JsonObject o)
    {
        x.Scores.IfSome(s => o["scores"] = ScoresReport.Json(s));
        x.Ensemble.IfSome(en => o["ensemble"] = Ensembles.Json(en));
        return o;
    }

    /// <summary>
    /// The other profile's metrics.json beside this output folder, if any: <c>reproduce-fast</c> ↔ <c>reproduce-paper</c>
    /// (the CLI's default folders) or <c>fast</c> ↔ <c>paper</c> (as under results/kaggle); verified by its checksum (a
    /// damaged one is an error naming it).
    /// </summary>
    public static Fin<Option<JsonObject>> OtherProfile(string outDir, string profile)
    {
        var other = profile == "fast" ? "paper" : "fast";
        var parent = Path.GetDirectoryName(Path.GetFullPath(outDir))!;
        return Seq($"reproduce-{other}", other).Map(name => Path.Combine(parent, name, "metrics.json")).Find(File.Exists)
            .Match(ChecksummedJson.Read, () => FinSucc(Option<JsonObject>.None));
    }

    /// <summary>
    /// How long the models took to train — summed from their folders (each experiment's epochs over every session that trained
    /// it; a model shared with another experiment counted once) — and, apart from that, how long the run that wrote the report
    /// took and what it trained: a re-scoring run takes seconds and trains nothing, while its models took what they took.
    /// </summary>
    public static string TrainingTime(ReproduceResult r)
    {
        var training = r.Results.Filter(x => x.How is not Provenance.SameTrainingAs).Sum(x => x.Seconds);
        var trained = r.Results.Filter(x => x.How is Provenance.Trained).Count;
        var models = r.Results.Count == 1 ? "the experiment's model" : $"the {r.Results.Count} experiments' models";
        return $"Training {models} took {Duration(training)} (summed from their folders; the " +
               "seconds column is each experiment's, its epochs summed over every session that trained it). The run that wrote " +
               $"this report took {Duration(r.Seconds)} and trained {trained} of them.";
    }

    /// <summary>"48 s", "4 min 48 s", "2 h 05 min".</summary>
    public static string Duration(double seconds)
    {
        var s = (long)Math.Round(seconds);
        return s < 60 ? $"{s} s" : s < 3600 ? $"{s / 60} min {s % 60:00} s" : $"{s / 3600} h {s % 3600 / 60:00} min";
    }

    /// <summary>
    /// The run as <c>report.md</c>: the report's accuracies beside this run's, with the other profile's results
    /// (<paramref name="other"/>, its metrics.json) when that profile has been run beside this one.
    /// </summary>
    public static string Markdown(ReproduceResult r, Option<JsonObject> other)
    {
        var sb = new StringBuilder();
        sb.Append($"# Reproduction of \"Using RNN To Predict Music Track Genre\" — profile `{r.Profile.Name}`\n\n");
        sb.Append($"Profile: {r.Profile.Description}. {TrainingTime(r)}\n\n");
        if (r.Source.IsSynthetic)
            sb.Append($"> **Data: SYNTHETIC** (`{r.Source.FileName}`, generated by `genre synth`, seed {r.Source.Seed}) — the Kaggle " +
                $"file was not available. " +
                      "The synthetic file has the real file's format and sizes but made-up feature distributions, so these accuracies " +
                          "say nothing " +
                      "about the report's numbers; the report's column is shown for reference only and no delta is computed.\n\n");
        else
            sb.Append(r.Source.IsKaggleFile
                ? $"Data: the Kaggle file the report used (`{r.Source.FileName}`, sha256 `{r.Source.Sha256}`).\n\n"
                : $"Data: `{r.Source.FileName}` (sha256 `{r.Source.Sha256}`) — not the Kaggle file the report used (another sha256) nor " +
                    $"generated by `genre synth`; compared with the report's numbers all the same.\n\n");

        sb.Append("| experiment | report (real data) | ours | " + (r.Source.IsSynthetic ? ""
            : "Δ | ") + "test loss | epochs | batch | Adam lr | seconds |\n");
        sb.Append("|---|---|---|" + (r.Source.IsSynthetic ? "" : "---|") + "---|---|---|---|---|\n");
        foreach (var x in r.Results)
            sb.Append($"| {x.Experiment.Title} | {(double.IsNaN(x.Experiment.ReportAccuracy) ? "—" : F4(x.Experiment.ReportAccuracy))} | " +
                $"{F4(x.Test.Accuracy)} | " +
                      (r.Source.IsSynthetic ? "" : double.IsNaN(x.Experiment.ReportAccuracy) ? "— | "
                          : $"{(x.Test.Accuracy - x.Experiment.ReportAccuracy) * 100:+0.00;-0.00} pt | ") +
                      $"{x.Test.Loss:F4} | {x.EpochsRun} | {x.Settings.BatchSize} | {x.Settings.DescribeRate()} | {x.Seconds:F0} |\n");

        foreach (var x in r.Results)
            if (x.How is Provenance.SameTrainingAs twin)
                sb.Append($"\n{x.Experiment.Name}: same layers, labels and settings as {twin.Experiment} — trained once, weights shared " +
                    $"(training twice gives identical weights).\n");

        if (!r.Authors.IsEmpty)
        {
            sb.Append("\n## The authors' trained SavedModels, re-scored on this data's test split\n\n| model | report | re-scored " +
                "accuracy | test loss | n |\n|---|---|---|---|---|\n");
            foreach (var a in r.Authors)
            {
                var reported = r.Results.Find(x => x.Experiment.Name == a.Experiment).Map(x => F4(x.Experiment.ReportAccuracy))
                    .IfNone(() => Experiments.OfReport.Find(e => e.Name == a.Experiment).Map(e => F4(e.ReportAccuracy)).IfNone("—"));
                sb.Append($"| {a.Model} | {reported} | {F4(a.Test.Accuracy)} | {a.Test.Loss:F4} | {a.Test.Count:N0} |\n");
            }
            if (r.Source.IsSynthetic) sb.Append(
                "\n(On synthetic data the authors' weights score near chance: they were fitted to the real feature distributions.)\n");
        }

        if (r.Source.IsKaggleFile)
            sb.Append("\n## Learning curves vs the authors' TF2 logs\n\n")
              .Append("Our loss and val_accuracy against the ones the authors' notebooks printed (Keras, batch 10,000, Adam 1e-3, seed " +
                  "2) at the same epochs; " +
                      "only the paper profile trains with their settings. The figures draw their curves dashed.\n\n")
              .Append(AuthorsCurves.ComparisonTable(r.Results.Map(x => (x.Experiment.Name, x.History))));

        sb.Append(UncertaintyReport.Markdown(r.Results, r.Authors, GenreMapping.ReportMerges));
        sb.Append(BeyondReport.ChosenMarkdown(r));
        sb.Append(BeyondReport.Markdown(r));
        sb.Append(BeyondReport.MergesMarkdown(r));
        sb.Append(ScoresReport.Markdown(r));

        sb.Append("\n## Paper vs fast profile\n\n");
        other.Match(
            o =>
            {
                var mine = r.Profile.Name;
                var theirs = Json.String(o, "profile").IfNone("?") +
                             (o["seeds"] is JsonArray seeds
                                 ? $" (mean ± sd over seeds {string.Join(", ", seeds.Select(x => x?.ToString()))})" : "");
                sb.Append($"| experiment | {mine} | {theirs} | difference |\n|---|---|---|---|\n");
                foreach (var x in r.Results)
                {
                    var theirsFor = Json.Object(o, "experiments").Bind(e => Json.Object(e, x.Experiment.Name));
                    var sd = theirsFor.Bind(e => Json.Double(e, "sd")).IfNone(double.NaN);
                    sb.Append($"| {x.Experiment.Name} | {F4(x.Test.Accuracy)} | " + theirsFor.Bind(e => Json.Double(e, "test_accuracy"))
                        .Match(
                        t => $"{SeedsReport.MeanSd(t, sd)} | {(x.Test.Accuracy - t) * 100:+0.00;-0.00} pt |\n",
                        () => "not run | — |\n"));
                }
            },
            () => sb.Append("The other profile has not been run beside this one (run `genre reproduce --profile " +
                            (r.Profile.Name == "fast" ? "paper" : "fast") + "`); README.md records the measured comparison.\n"));

        sb.Append("\n## Figures\n\n");
        foreach (var x in r.Results)
            sb.Append($"- {x.Experiment.Title}: [accuracy]({x.Experiment.Name}-accuracy.png), [loss]({x.Experiment.Name}-loss.png), " +
                $"[confusion matrix]({x.Experiment.Name}-confusion.png)\n");
        return sb.ToString();
    }
}
