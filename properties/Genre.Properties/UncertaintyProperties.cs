using Genre.Eval;

namespace Genre.Properties;

/// <summary>Bootstrap intervals and McNemar's test on generated per-row hits (FsCheck's bool arrays, which shrink to few rows).</summary>
public class UncertaintyProperties
{
    static readonly Arbitrary<bool[]> Hits = Arb.From(Gen.Elements(false, true).NonEmptyListOf().Select(l => l.ToArray()),
        h => Enumerable.Range(1, h.Length - 1).Select(n => h[..n]));

    static readonly Arbitrary<(bool[] A, bool[] B)> Pairs = Arb.From(
        from n in Gen.Choose(1, 400)
        from a in Gen.Elements(false, true).ArrayOf(n)
        from b in Gen.Elements(false, true).ArrayOf(n)
        select (a, b),
        x => Enumerable.Range(1, x.a.Length - 1).Select(n => (x.a[..n], x.b[..n])));

    [Property(MaxTest = 200)]
    public Property Bootstrap_interval_contains_the_point_estimate() =>
        Prop.ForAll(Hits, Arb.From(Gen.Choose(0, int.MaxValue)), (hits, seed) =>
        {
            var interval = Uncertainty.Bootstrap(hits, resamples: 400, seed: seed);
            return interval.Contains(Uncertainty.Accuracy(hits)) && interval.Lower <= interval.Upper;
        });

    [Property(MaxTest = 300)]
    public Property McNemar_is_symmetric() =>
        Prop.ForAll(Pairs, x =>
        {
            var ab = Uncertainty.McNemar(x.A, x.B);
            var ba = Uncertainty.McNemar(x.B, x.A);
            return ab.PValue == ba.PValue && ab.OnlyFirst == ba.OnlySecond && ab.OnlySecond == ba.OnlyFirst
                && ab.Difference == -ba.Difference;
        });

    [Property(MaxTest = 200)]
    public Property Identical_predictions_give_p_one() =>
        Prop.ForAll(Hits, a =>
        {
            var t = Uncertainty.McNemar(a, (bool[])a.Clone());
            return t.PValue == 1.0 && t.OnlyFirst == 0 && t.OnlySecond == 0;
        });

    [Property(MaxTest = 300)]
    public Property McNemar_p_is_a_probability_and_one_when_discordances_balance() =>
        Prop.ForAll(Pairs, x =>
        {
            var t = Uncertainty.McNemar(x.A, x.B);
            return (t.PValue is >= 0 and <= 1 && (t.OnlyFirst != t.OnlySecond || t.PValue == 1.0)).Label($"{t}");
        });

    /// <summary>More discordant rows one way, the same rows otherwise: the p-value can only fall (or stay), within one form of
    /// the test (exact below its threshold, chi-square above).</summary>
    [Property(MaxTest = 200)]
    public Property More_one_sided_discordance_lowers_p() =>
        Prop.ForAll(Pairs, x =>
        {
            var t = Uncertainty.McNemar(x.A, x.B);
            var a = x.A.Append(true).ToArray();
            var b = x.B.Append(false).ToArray();
            var u = Uncertainty.McNemar(a, b);
            return (t.OnlyFirst < t.OnlySecond || t.Exact != u.Exact || u.PValue <= t.PValue + 1e-12).Label($"{t} then {u}");
        });
}
