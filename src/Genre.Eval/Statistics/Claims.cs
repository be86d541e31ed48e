using Genre.Data;

namespace Genre.Eval;

/// <summary>Which way a claim of the report points, for its two experiments.</summary>
public enum Claimed
{
    /// <summary>The first experiment is more accurate than the second.</summary>
    FirstBetter,
    /// <summary>The second experiment is more accurate than the first.</summary>
    SecondBetter,
    /// <summary>The first experiment is not more accurate than the second.</summary>
    FirstNoBetter,
}

/// <summary>
/// A comparison the report makes between two experiments, tested on the same test rows. <see cref="SecondMerged"/>: the
/// second experiment's 114-genre predictions are scored on the merged labels (merge-aware accuracy), so it can be compared
/// with a model trained on them.
/// </summary>
public sealed record Claim(string First, string Second, string Statement, Claimed Direction, bool SecondMerged = false);

/// <summary>A claim, both accuracies on the same rows, McNemar's test and a one-line verdict.</summary>
public sealed record ClaimTest(Claim Claim, double FirstAccuracy, double SecondAccuracy, McNemarTest Test, string Verdict);

/// <summary>The report's comparisons and what a paired test on the test rows says about each.</summary>
public static class Claims
{
    /// <summary>The significance level of the verdicts.</summary>
    public const double Alpha = 0.05;

    /// <summary>The report's four comparisons, in its order.</summary>
    public static readonly Seq<Claim> OfReport = Seq(
        new Claim("rnn1", "dnn1", "\"complex models like LSTM did bring better results\" (RNN1 above the dense DNN1)", Claimed.FirstBetter),
        new Claim("dnn2", "dnn1", "\"the dropout technique did not help\" (DNN2 no better than DNN1)", Claimed.FirstNoBetter),
        new Claim("rnn2", "rnn1", "\"too complex models were hard to train\" (RNN2 below RNN1)", Claimed.SecondBetter),
        new Claim("reduced-rnn1", "rnn1",
            "\"reduction of the number [of genres] helps\" (RNN1 trained on 66 merged genres above RNN1's 114-genre predictions merged " +
                "the same way)",
            Claimed.FirstBetter, SecondMerged: true));

    /// <summary>
    /// Per-row hits of an experiment: <c>(name, merged: false)</c> on its own labels, <c>(name, merged: true)</c> with labels and
    /// predictions both mapped through <paramref name="mapping"/> (a model trained on merged labels is already merged).
    /// </summary>
    public static Func<string, bool, Option<bool[]>> HitsOf(Seq<ScoredRows> scored, GenreMapping mapping) =>
        (name, merged) => scored.Find(s => s.Name == name).Bind(s =>
            s.Labels.Length == 0 ? None
            : !merged || s.Merged ? Some(Uncertainty.Hits(s.Labels, s.Predictions))
            : Some(MergeAware.ClassMap(s.Classes, mapping).ClassMap is var map
                ? Uncertainty.Hits(MergeAware.Apply(s.Labels, map), MergeAware.Apply(s.Predictions, map)) : []));

    /// <summary>Every claim whose two experiments have per-row predictions on the same rows.</summary>
    public static Seq<ClaimTest> Test(Seq<Claim> claims, Func<string, bool, Option<bool[]>> hits) =>
        claims.Choose(c =>
            from a in hits(c.First, false)
            from b in hits(c.Second, c.SecondMerged)
            where a.Length == b.Length
            let t = Uncertainty.McNemar(a, b)
            select new ClaimTest(c, Uncertainty.Accuracy(a), Uncertainty.Accuracy(b), t, Verdict(c, t))).Strict();

    /// <summary>Holds, contradicted, or not shown at the 5% level; with the difference in points and the p-value.</summary>
    public static string Verdict(Claim c, McNemarTest t)
    {
        var significant = t.PValue < Alpha;
        var diff = t.Difference * 100;
        var better = diff >= 0 ? c.First : Second(c);
        var worse = diff >= 0 ? Second(c) : c.First;
        var by = FormattableString.Invariant($"{better} above {worse} by {Math.Abs(diff):F2} pt, {Uncertainty.ShowP(t.PValue)}");
        var within = FormattableString.Invariant($"difference {diff:+0.00;-0.00} pt is within noise, {Uncertainty.ShowP(t.PValue)}");
        return c.Direction switch
        {
            Claimed.FirstBetter => !significant ? $"not shown: {within}" : diff > 0 ? $"holds: {by}" : $"contradicted: {by}",
            Claimed.SecondBetter => !significant ? $"not shown: {within}" : diff < 0 ? $"holds: {by}" : $"contradicted: {by}",
            _ => !significant ? $"holds: no significant gain ({within})" : diff > 0 ? $"contradicted: {by}" : $"holds: {by}",
        };
    }

    static string Second(Claim c) => c.SecondMerged ? $"{c.Second} (merged)" : c.Second;
}

/// <summary>One model's test-row labels and predictions, for paired tests; <see cref="Merged"/> when trained on merged genres.</summary>
public sealed record ScoredRows(string Name, int[] Labels, int[] Predictions, Seq<string> Classes, bool Merged);
