using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Eval.Boosting;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval;

/// <summary>A blend across model families scored: its weight, validation and test accuracy, interval, and McNemar against the
/// first model alone.</summary>
public sealed record CrossFamilyResult(Blend Blend, double FirstVal, double SecondVal, double FirstTest, double SecondTest,
                                       double Test, Interval TestInterval, McNemarTest AgainstFirst);

/// <summary>
/// An ensemble across families: two finished folders — each a network classifier's (one model or an ensemble, with its own
/// pipeline) or a gbdt run's (its <c>gbdt.json</c>) — their probabilities mixed with the weight that is best on the report
/// split's validation rows (<see cref="Blend"/>), scored once on its test rows. Both must predict the data's genres in its order.
/// </summary>
public static class CrossFamily
{
    /// <summary>Blend <paramref name="firstDir"/>'s model with <paramref name="secondDir"/>'s on <paramref name="data"/> (the
    /// report split, its cleaned tracks kept); <paramref name="seed"/> names a gbdt folder's run.</summary>
    public static Fin<CrossFamilyResult> Run(IBackend backend, ReportData data, string firstDir, string secondDir, int seed)
    {
        var d = data.Full;
        var val = LabeledData.From(d.Scaled.Val);
        var test = LabeledData.From(d.Scaled.Test);
        return from split in Split.ReportSplit(data.Cleaned.Count)
               from first in Probabilities(backend, data, (split.Val, val), (split.Test, test), firstDir, seed)
               from second in Probabilities(backend, data, (split.Val, val), (split.Test, test), secondDir, seed)
               let blend = Blend.Choose(first.Val, second.Val, val.Y, val.Classes)
               let mixed = Metrics.Argmax(blend.Apply(first.Test, second.Test), test.Classes)
               let firstHits = Uncertainty.Hits(test.Y, Metrics.Argmax(first.Test, test.Classes))
               let hits = Uncertainty.Hits(test.Y, mixed)
               select new CrossFamilyResult(blend, Metrics.Accuracy(val, first.Val), Metrics.Accuracy(val, second.Val),
                   Uncertainty.Accuracy(firstHits), Metrics.Accuracy(test, second.Test), Uncertainty.Accuracy(hits),
                   Uncertainty.Bootstrap(hits), Uncertainty.McNemar(hits, firstHits));
    }

    /// <summary>The result as a JSON record (what <c>blend.json</c> beside a committed blend holds), with the two folders as
    /// given.</summary>
    public static JsonObject ToJson(CrossFamilyResult r, string firstDir, string secondDir) => new()
    {
        ["first"] = firstDir,
        ["second"] = secondDir,
        ["weight_on_first"] = r.Blend.Weight,
        ["val_accuracy"] = r.Blend.ValAccuracy,
        ["test_accuracy"] = r.Test,
        ["test_interval"] = new JsonArray(r.TestInterval.Lower, r.TestInterval.Upper),
        ["first_val_accuracy"] = r.FirstVal,
        ["second_val_accuracy"] = r.SecondVal,
        ["first_test_accuracy"] = r.FirstTest,
        ["second_test_accuracy"] = r.SecondTest,
        ["mcnemar_against_first"] = new JsonObject
        {
            ["rows"] = r.AgainstFirst.Rows,
            ["only_blend"] = r.AgainstFirst.OnlyFirst,
            ["only_first"] = r.AgainstFirst.OnlySecond,
            ["p_value"] = r.AgainstFirst.PValue,
        },
    };

    /// <summary>Writes <see cref="ToJson"/>'s record to <paramref name="path"/> atomically (an I/O error naming it otherwise).</summary>
    public static Fin<Unit> Write(string path, CrossFamilyResult r, string firstDir, string secondDir) =>
        AtomicFile.WriteAllText(path, ToJson(r, firstDir, secondDir).ToJsonString(Indented) + "\n");

    static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A finished folder's probabilities on the validation and test rows (each given as positions into the cleaned
    /// tracks and as the report pipeline's rows): LightGBM's for a gbdt folder, on the pipeline's rows; else the classifier's, on
    /// the tracks through its own pipeline.</summary>
    static Fin<(float[] Val, float[] Test)> Probabilities(IBackend backend, ReportData data, (int[] Rows, LabeledData Data) val,
                                                          (int[] Rows, LabeledData Data) test, string dir, int seed)
    {
        var d = data.Full;
        if (File.Exists(Path.Combine(dir, Gbdt.TrialsFile)))
            return from stored in Gbdt.Finished(dir, Gbdt.Candidates, seed)
                       .Bind(o => o.ToFin(GenreError.Io($"{dir}: no finished gbdt run of genre's candidates with seed {seed}")))
                   from trees in Gbdt.Model(dir, stored, val.Data.Classes, d.Scaled.Val.X.Cols)
                   from treesVal in Booster.Predict(trees, val.Data.X, val.Data.Rows)
                   from treesTest in Booster.Predict(trees, test.Data.X, test.Data.Rows)
                   select (treesVal, treesTest);
        return from net in Classifier.Load(dir)
               from _ in net.Genres.SequenceEqual(d.Genres.Classes)
                   ? FinSucc(unit)
                   : GenreError.Model($"{dir}: predicts other genres than the data's {d.Genres.Count}")
               from netVal in net.Probabilities(backend, val.Rows.Select(i => data.Cleaned[i]).ToSeq(), "validation rows")
               from netTest in net.Probabilities(backend, test.Rows.Select(i => data.Cleaned[i]).ToSeq(), "test rows")
               select (netVal, netTest);
    }
}
