using FsCheck;
using FsCheck.Xunit;
using Genre.Eval;

namespace Genre.Properties;

public class UncertaintyProperties
{
    /// <summary>Per-row hits of a classifier right with probability <paramref name="rate"/> (0..1) on n rows.</summary>
    static bool[] Hits(int seed, int n, double rate)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => r.NextDouble() < rate).ToArray();
    }

    static double Rate(int seed) => new Random(seed ^ 0x5bd1e995).NextDouble();

    [Property(MaxTest = 200)]
    public bool Bootstrap_interval_contains_the_point_estimate(int seed, PositiveInt n)
    {
        var hits = Hits(seed, n.Get % 400 + 1, Rate(seed));
        var interval = Uncertainty.Bootstrap(hits, resamples: 400, seed: seed);
        return interval.Contains(Uncertainty.Accuracy(hits)) && interval.Lower <= interval.Upper;
    }

    [Property(MaxTest = 300)]
    public bool McNemar_is_symmetric(int seed, PositiveInt n)
    {
        var size = n.Get % 600 + 1;
        var a = Hits(seed, size, Rate(seed));
        var b = Hits(seed + 1, size, Rate(seed + 1));
        var ab = Uncertainty.McNemar(a, b);
        var ba = Uncertainty.McNemar(b, a);
        return ab.PValue == ba.PValue && ab.OnlyFirst == ba.OnlySecond && ab.OnlySecond == ba.OnlyFirst && ab.Difference == -ba.Difference;
    }

    [Property(MaxTest = 200)]
    public bool Identical_predictions_give_p_one(int seed, PositiveInt n)
    {
        var a = Hits(seed, n.Get % 600 + 1, Rate(seed));
        var t = Uncertainty.McNemar(a, (bool[])a.Clone());
        return t.PValue == 1.0 && t.OnlyFirst == 0 && t.OnlySecond == 0;
    }

    [Property(MaxTest = 300)]
    public bool McNemar_p_is_a_probability_and_one_when_discordances_balance(int seed, PositiveInt n)
    {
        var size = n.Get % 600 + 1;
        var t = Uncertainty.McNemar(Hits(seed, size, Rate(seed)), Hits(seed + 7, size, Rate(seed + 7)));
        return t.PValue is >= 0 and <= 1 && (t.OnlyFirst != t.OnlySecond || t.PValue == 1.0);
    }
}
