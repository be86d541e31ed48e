using Genre.Data;

namespace Genre.Eval;

/// <summary>A confidence interval [Lower, Upper] and its level (e.g. 0.95).</summary>
public sealed record Interval(double Lower, double Upper, double Level)
{
    /// <summary>Whether <paramref name="v"/> lies in the interval (ends included).</summary>
    public bool Contains(double v) => Lower <= v && v <= Upper;
    /// <summary>"[0.3165, 0.3284]".</summary>
    public string Show() => FormattableString.Invariant($"[{Lower:F4}, {Upper:F4}]");
}

/// <summary>
/// McNemar's paired test of two classifiers on the same rows: <see cref="OnlyFirst"/> rows only the first got right,
/// <see cref="OnlySecond"/> rows only the second got right. <see cref="Exact"/> when the two-sided binomial test was used.
/// </summary>
public sealed record McNemarTest(int Rows, int OnlyFirst, int OnlySecond, double PValue, bool Exact)
{
    /// <summary>Accuracy of the first minus accuracy of the second (the concordant rows cancel).</summary>
    public double Difference => Rows == 0 ? 0 : (double)(OnlyFirst - OnlySecond) / Rows;
}

/// <summary>Sampling uncertainty of test accuracy as pure functions of per-row hits (prediction == label).</summary>
public static class Uncertainty
{
    /// <summary>Below this many discordant rows McNemar uses the exact binomial test instead of the χ² approximation.</summary>
    public const int ExactBelow = 25;

    /// <summary>Per row, whether the prediction is the label; throws <see cref="ArgumentException"/> when the lengths differ.</summary>
    public static bool[] Hits(int[] labels, int[] predictions)
    {
        if (labels.Length != predictions.Length) throw new ArgumentException(
            $"labels ({labels.Length}) and predictions ({predictions.Length}) differ in length");
        var hits = new bool[labels.Length];
        for (var i = 0; i < hits.Length; i++) hits[i] = labels[i] == predictions[i];
        return hits;
    }

    /// <summary>The share of hits (0 for no rows).</summary>
    public static double Accuracy(bool[] hits) => hits.Length == 0 ? 0 : (double)hits.Count(h => h) / hits.Length;

    /// <summary>
    /// Percentile bootstrap of accuracy: <paramref name="resamples"/> resamples of the rows with replacement (fixed
    /// <paramref name="seed"/>, so the interval is reproducible), the (1 − level)/2 and (1 + level)/2 quantiles of their accuracies.
    /// </summary>
    public static Interval Bootstrap(bool[] hits, int resamples = 2000, int seed = 42, double level = 0.95)
    {
        if (hits.Length == 0) return new Interval(0, 0, level);
        var random = new Random(seed);
        var n = hits.Length;
        var accuracies = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var count = 0;
            for (var i = 0; i < n; i++) if (hits[random.Next(n)]) count++;
            accuracies[b] = (double)count / n;
        }
        System.Array.Sort(accuracies);
        var lo = (int)Math.Floor((1 - level) / 2 * resamples);
        var hi = Math.Min(resamples - 1, (int)Math.Ceiling((1 + level) / 2 * resamples) - 1);
        return new Interval(accuracies[lo], accuracies[hi], level);
    }

    /// <summary>
    /// McNemar's test: exact two-sided binomial (p = min(1, 2·P[X ≤ min(b, c)]), X ~ Bin(b + c, ½)) when b + c &lt;
    /// <see cref="ExactBelow"/>, else χ² with one degree of freedom and Edwards' continuity correction. Symmetric in the two.
    /// </summary>
    public static McNemarTest McNemar(bool[] first, bool[] second)
    {
        if (first.Length != second.Length) throw new ArgumentException(
            $"the two classifiers were scored on {first.Length} and {second.Length} rows");
        int b = 0, c = 0;
        for (var i = 0; i < first.Length; i++)
        {
            if (first[i] && !second[i]) b++;
            else if (!first[i] && second[i]) c++;
        }
        var exact = b + c < ExactBelow;
        // b = c is no evidence either way: p is 1, said here rather than left to the two formulas (each reaches 1 there, capped)
        var p = b == c ? 1.0
            : exact ? Math.Min(1.0, 2 * BinomialCdfHalf(Math.Min(b, c), b + c))
            // a probability is at most 1, whatever the last bits of erfc near 0 (|b − c| = 1)
            : Math.Min(1.0, ChiSquare1Upper(Math.Pow(Math.Max(0, Math.Abs(b - c) - 1), 2) / (b + c)));
        return new McNemarTest(first.Length, b, c, p, exact);
    }

    /// <summary>P[X ≤ k] for X ~ Binomial(n, ½), summed in log space.</summary>
    static double BinomialCdfHalf(int k, int n)
    {
        double logChoose = 0, sum = 0, logHalfN = n * Math.Log(0.5);
        for (var i = 0; i <= k; i++)
        {
            if (i > 0) logChoose += Math.Log(n - i + 1) - Math.Log(i);
            sum += Math.Exp(logChoose + logHalfN);
        }
        return sum;
    }

    /// <summary>Upper tail of χ² with one degree of freedom: P[χ² ≥ x] = erfc(√(x/2)).</summary>
    static double ChiSquare1Upper(double x) => NormalDistribution.Erfc(Math.Sqrt(x / 2));

    /// <summary>"p = 0.031", "p = 2.1e-09" or "p &lt; 1e-300" (two significant figures).</summary>
    public static string ShowP(double p) =>
        p <= 0 ? "p < 1e-300" : p >= 0.001 ? FormattableString.Invariant($"p = {p:0.###}")
            : FormattableString.Invariant($"p = {p:0.0e+00}");
}
