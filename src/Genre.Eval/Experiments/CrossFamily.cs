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
/// An ensemble across families: a network classifier's folder (one model or an ensemble, with its own pipeline) and a finished
/// gbdt folder, their probabilities mixed with the weight that is best on the report split's validation rows
/// (<see cref="Blend"/>), scored once on its test rows. Both must predict the same genres in the same order.
/// </summary>
public static class CrossFamily
{
    /// <summary>Blend <paramref name="netDir"/>'s classifier with <paramref name="gbdtDir"/>'s trees on <paramref name="data"/>
    /// (the report split, its cleaned tracks kept).</summary>
    public static Fin<CrossFamilyResult> Run(IBackend backend, ReportData data, string netDir, string gbdtDir, int seed)
    {
        var d = data.Full;
        var val = LabeledData.From(d.Scaled.Val);
        var test = LabeledData.From(d.Scaled.Test);
        return from split in Split.ReportSplit(data.Cleaned.Count)
               from net in Classifier.Load(netDir)
               from _ in net.Genres.SequenceEqual(d.Genres.Classes)
                   ? FinSucc(unit)
                   : GenreError.Model($"{netDir}: predicts other genres than the data's {d.Genres.Count}")
               from netVal in net.Probabilities(backend, split.Val.Select(i => data.Cleaned[i]).ToSeq(), "validation rows")
               from netTest in net.Probabilities(backend, split.Test.Select(i => data.Cleaned[i]).ToSeq(), "test rows")
               from stored in Gbdt.Finished(gbdtDir, Gbdt.Candidates, seed)
                   .Bind(o => o.ToFin(GenreError.Io($"{gbdtDir}: no finished gbdt run of genre's candidates with seed {seed}")))
               from trees in Gbdt.Model(gbdtDir, stored, val.Classes, d.Scaled.Val.X.Cols)
               from treesVal in Booster.Predict(trees, val.X, val.Rows)
               from treesTest in Booster.Predict(trees, test.X, test.Rows)
               let blend = Blend.Choose(netVal, treesVal, val.Y, val.Classes)
               let mixed = Metrics.Argmax(blend.Apply(netTest, treesTest), test.Classes)
               let netHits = Uncertainty.Hits(test.Y, Metrics.Argmax(netTest, test.Classes))
               let hits = Uncertainty.Hits(test.Y, mixed)
               select new CrossFamilyResult(blend, Metrics.Accuracy(val, netVal), Metrics.Accuracy(val, treesVal),
                   Uncertainty.Accuracy(netHits), Metrics.Accuracy(test, treesTest), Uncertainty.Accuracy(hits),
                   Uncertainty.Bootstrap(hits), Uncertainty.McNemar(hits, netHits));
    }
}
