using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;
using static Genre.Eval.ReportNumbers;

namespace Genre.Eval;

/// <summary>report.md's section beyond the report: every model on the report's split and on the track-aware split, and gbdt.</summary>
public static class BeyondReport
{

    static string WithInterval(double accuracy, ScoredRows rows) =>
        $"{F4(accuracy)} {UncertaintyReport.IntervalOf(rows).Map(i => i.Show()).IfNone("")}".TrimEnd();

    /// <summary>report.md's sections beyond the report: gbdt, the track-aware split and the learned merges (empty when none ran).</summary>
    public static string Markdown(ReproduceResult r)
    {
        if (r.Gbdt.IsNone && r.TrackAware.IsEmpty) return "";
        var sb = new StringBuilder("\n## Beyond the report: track-aware accuracy and a gradient-boosting baseline\n\n");
        sb.Append("The report's split puts rows of the same song (one track_id listed under several genres) on both sides of it. The " +
            "track-aware " +
                  "split keeps each track_id's rows together (test = 20% of the track ids, validation = 20% of the rest, seed 42, as " +
                      "`genre audit`); " +
                  "each model is trained again there with the same settings. Its test rows differ from the report split's, so the two " +
                      "columns " +
                  "are not a paired comparison.\n\n");
        var artists = !r.ArtistAware.IsEmpty || r.GbdtArtistAware.IsSome;
        if (artists)
            sb.Append("The artist-aware split keeps each artist's rows together (the `artists` column as written; scikit-learn's " +
                      "GroupShuffleSplit, test = 20% of the artists, validation = 20% of the rest, seed 42): no test song shares its " +
                      "artist with a training song, so it measures how a model does on artists it has never heard.\n\n");
        sb.Append("| model | report split: test accuracy [95% interval] | track-aware split: test accuracy [95% interval] | difference |" +
                  (artists ? " artist-aware split: test accuracy [95% interval] | difference |" : "") +
                  "\n|---|---|---|---|" + (artists ? "---|---|" : "") + "\n");
        var rows = r.Results.Map(x => (x.Experiment.Name, Report: Some((x.Test.Accuracy, x.Rows)),
                                       Track: r.TrackAware.Find(t => t.Experiment.Name == x.Experiment.Name)
                                           .Map(t => (t.Test.Accuracy, t.Rows)),
                                       Artist: r.ArtistAware.Find(t => t.Experiment.Name == x.Experiment.Name)
                                           .Map(t => (t.Test.Accuracy, t.Rows))))
            + r.Gbdt.Map(g => (GbdtResult.Name, Report: Some((g.Test.Accuracy, g.Rows)),
                Track: r.GbdtTrackAware.Map(t => (t.Test.Accuracy, t.Rows)),
                Artist: r.GbdtArtistAware.Map(t => (t.Test.Accuracy, t.Rows)))).ToSeq();
        foreach (var (name, report, track, artist) in rows)
            sb.Append($"| {name} | {report.Map(p => WithInterval(p.Item1, p.Item2)).IfNone("—")} | " +
                      $"{track.Map(p => WithInterval(p.Item1, p.Item2)).IfNone("not run (`--track-aware`)")} | " +
                      $"{(from a in report from b in track select Points(b.Item1 - a.Item1)).IfNone("—")} |" +
                      (artists
                          ? $" {artist.Map(p => WithInterval(p.Item1, p.Item2)).IfNone("not run")} | " +
                            $"{(from a in report from b in artist select Points(b.Item1 - a.Item1)).IfNone("—")} |"
                          : "") + "\n");
        r.Gbdt.IfSome(g =>
        {
            sb.Append($"\n### {GbdtResult.Title}\n\n");
            sb.Append("Same split and 15 features as the report. Each configuration was fitted on train, stopped early on " +
                "validation accuracy and cut at its best round; the one with the best validation accuracy was scored once on test " +
                "(the test set chose nothing).\n\n");
            sb.Append("| configuration | rounds kept | validation accuracy | seconds | chosen |\n|---|---|---|---|---|\n");
            foreach (var t in g.Trials)
                sb.Append($"| {t.Settings.Describe()} | {(t.Rounds > 0 ? t.Rounds.ToString(CultureInfo.InvariantCulture) : "—")} | " +
                          $"{F4(t.ValAccuracy)} | {t.Seconds:F0} | ")
                  .Append(t.Settings == g.Chosen ? "yes" : "").Append(" |\n");
            sb.Append($"\nTest accuracy {F4(g.Test.Accuracy)} (loss {g.Test.Loss:F4}), {g.Seconds:F0} s in all ({g.How.Describe()}). " +
                      "For reference, scikit-learn's RandomForest (300 trees, defaults) reached 0.3328 on this split.\n");
        });
        return sb.ToString();
    }

    /// <summary>
    /// The models beyond the report in this run (wide, tabular): each one's kept epoch, its validation accuracy there, and its test
    /// accuracy against the report's best, with how it was chosen (empty when none ran).
    /// </summary>
    public static string ChosenMarkdown(ReproduceResult r)
    {
        var beyond = r.Results.Filter(x => Experiments.Beyond.Exists(e => e.Name == x.Experiment.Name));
        if (beyond.IsEmpty) return "";
        var best = Experiments.OfReport.Filter(e => !e.Reduced).Map(e => e.ReportAccuracy).Filter(a => !double.IsNaN(a)).Max();
        var sb = new StringBuilder("\n## Models beyond the report: chosen on validation only\n\n");
        sb.Append("Each architecture and its training settings were chosen among candidates by validation accuracy alone " +
                  "(results/kaggle/beyond/tuning.md lists the candidates); training keeps the epoch with the best validation accuracy, " +
                  $"and the test set is scored once, after that choice. The report's best 114-genre accuracy is {F4(best)} (DNN2).\n\n");
        sb.Append("| model | epochs run | kept epoch | validation accuracy there | test accuracy [95% interval] " +
                  "| vs the report's best |\n|---|---|---|---|---|---|\n");
        foreach (var x in beyond)
        {
            var kept = x.History.Epochs.OrderByDescending(e => e.ValAccuracy).ThenBy(e => e.Epoch).HeadOrNone();
            var (run, keptEpoch, val) = x.Ensemble.Match(
                en => (Ensembles.EpochsRun(en), "each member's best", F4(en.ValAccuracy)),
                () => (x.History.Epochs.Count.ToString(CultureInfo.InvariantCulture),
                       kept.Map(e => e.Epoch.ToString(CultureInfo.InvariantCulture)).IfNone("—"),
                       kept.Map(e => F4(e.ValAccuracy)).IfNone("—")));
            sb.Append($"| {x.Experiment.Name} | {run} | {keptEpoch} | {val} | {WithInterval(x.Test.Accuracy, x.Rows)} | " +
                      $"{((x.Test.Accuracy - best) * 100).ToString("+0.00;-0.00", CultureInfo.InvariantCulture)} pt |\n");
        }
        foreach (var x in beyond)
            x.Ensemble.IfSome(en =>
            {
                sb.Append($"\n{x.Experiment.Name} predicts the mean of its {en.Members.Count} members' probabilities; " +
                          "the validation accuracy above is that mean's. Each member alone:\n\n| seed | epochs run | validation accuracy " +
                              "| test accuracy |\n|---|---|---|---|\n");
                foreach (var m in en.Members)
                    sb.Append($"| {m.Seed} | {m.Epochs} | {F4(m.ValAccuracy)} | {F4(m.TestAccuracy)} |\n");
            });
        return sb.ToString();
    }

    /// <summary>The hand vs learned merges section, with the learned families (empty without a merge comparison).</summary>
    public static string MergesMarkdown(ReproduceResult r) => r.Merges.Match(m =>
    {
        var sb = new StringBuilder("\n## Learned merges vs the report's hand merges\n\n");
        sb.Append($"The report merged genres by hand after looking at RNN1's confusion matrix. Here the merges are learned from " +
            $"{m.Model}'s " +
                  $"**validation** confusion (row-normalised, symmetrised, average-linkage clustering down to the hand mapping's " +
                      $"{m.Classes} classes), " +
                  $"and the same trained {m.Model} is scored on the test rows under both (merge-aware accuracy: labels and predictions " +
                      $"both merged).\n\n");
        sb.Append("| labels | classes | test accuracy of the same model |\n|---|---|---|\n");
        sb.Append($"| all genres | {r.Results.Find(x => x.Experiment.Name == m.Model).Map(x => x.Classes.Count).IfNone(0)} | " +
            $"{F4(m.RawAccuracy)} |\n");
        sb.Append($"| the report's hand merges | {m.Classes} | {F4(m.HandAccuracy)} |\n");
        sb.Append($"| learned merges | {m.Classes} | {F4(m.LearnedAccuracy)} |\n\n");
        sb.Append($"Learned vs hand on the same rows: {m.Test.OnlyFirst:N0} rows right only under the learned merges, " +
            $"{m.Test.OnlySecond:N0} only under the hand merges, " +
                  $"McNemar {Uncertainty.ShowP(m.Test.PValue)}.\n\nLearned families (target ← merged genres):\n\n");
        foreach (var f in LearnedMerges.Families(m.Learned)) sb.Append($"- {f}\n");
        return sb.ToString();
    }, () => "");

    /// <summary>metrics.json with gbdt and the track-aware accuracies added (when run).</summary>
    public static JsonObject AddTo(JsonObject metrics, ReproduceResult r)
    {
        r.Gbdt.IfSome(g => metrics["gbdt"] = new JsonObject
        {
            ["test_accuracy"] = Json.Finite(g.Test.Accuracy),
            ["test_loss"] = Json.Finite(g.Test.Loss),
            ["val_accuracy"] = Json.Finite(g.ValAccuracy),
            ["n"] = g.Test.Count,
            ["seconds"] = g.Seconds,
            ["chosen"] = g.Chosen.Describe(),
            ["track_aware_accuracy"] = r.GbdtTrackAware.Case is GbdtResult t ? Json.Finite(t.Test.Accuracy) : null,
            ["scores"] = g.Scores.Case is ProbabilityMetrics s ? ScoresReport.Json(s) : null,
        });
        r.Merges.IfSome(m => metrics["learned_merges"] = new JsonObject
        {
            ["model"] = m.Model,
            ["classes"] = m.Classes,
            ["raw_accuracy"] = m.RawAccuracy,
            ["hand_accuracy"] = m.HandAccuracy,
            ["learned_accuracy"] = m.LearnedAccuracy,
            ["p_value"] = m.Test.PValue,
            ["merges"] = new JsonObject(m.Learned.Merges.AsEnumerable().Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value))),
        });
        if (!r.TrackAware.IsEmpty) metrics["track_aware"] = SplitJson(r.TrackAware, r.GbdtTrackAware, withGbdt: false);
        if (!r.ArtistAware.IsEmpty || r.GbdtArtistAware.IsSome) metrics["artist_aware"] = SplitJson(r.ArtistAware, r.GbdtArtistAware, true);
        return metrics;
    }

    /// <summary>Each model's test score on a grouped split (gbdt's too when <paramref name="withGbdt"/>: the track-aware one
    /// keeps it under gbdt, as earlier files did).</summary>
    static JsonObject SplitJson(Seq<ExperimentResult> neural, Option<GbdtResult> gbdt, bool withGbdt)
    {
        var o = new JsonObject(neural.Map(x => new KeyValuePair<string, JsonNode?>(x.Experiment.Name, TestScore(x.Test, x.Seconds))));
        if (withGbdt) gbdt.IfSome(g => o[GbdtResult.Name] = TestScore(g.Test, g.Seconds));
        return o;
    }

    static JsonObject TestScore(Genre.Models.Evaluation test, double seconds) => new()
    {
        ["test_accuracy"] = Json.Finite(test.Accuracy),
        ["test_loss"] = Json.Finite(test.Loss),
        ["n"] = test.Count,
        ["seconds"] = seconds,
    };

    static string Points(double d) => (d * 100).ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + " pt";
}
