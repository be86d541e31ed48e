namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// Edges of <see cref="Uncertainty"/> the existing tests left open (found by Stryker: bench/results/mutation.md): the exact/χ²
/// boundary, |b − c| = 1 under χ², the bootstrap's quantile indices, and the p-value's text.
/// </summary>
public class UncertaintyMutationTests
{
    /// <summary>b rows only the first got right, c only the second, then <paramref name="both"/> rows both got right.</summary>
    static (bool[] First, bool[] Second) Discordant(int b, int c, int both = 3)
    {
        var first = Enumerable.Repeat(true, b).Concat(Enumerable.Repeat(false, c)).Concat(Enumerable.Repeat(true, both)).ToArray();
        var second = Enumerable.Repeat(false, b).Concat(Enumerable.Repeat(true, c)).Concat(Enumerable.Repeat(true, both)).ToArray();
        return (first, second);
    }

    [Fact]
    public void Intervals_include_their_ends_and_show_four_decimals()
    {
        var i = new Interval(0.25, 0.5, 0.95);
        Assert.True(i.Contains(0.25));
        Assert.True(i.Contains(0.5));
        Assert.True(i.Contains(0.3));
        Assert.False(i.Contains(0.2499));
        Assert.False(i.Contains(0.5001));
        Assert.Equal("[0.2500, 0.5000]", i.Show());
    }

    [Fact]
    public void Hits_compare_row_by_row_and_refuse_unequal_lengths()
    {
        Assert.Equal(new[] { true, false, true }, Uncertainty.Hits([1, 2, 3], [1, 0, 3]));
        Assert.Equal("labels (2) and predictions (1) differ in length",
            Assert.Throws<ArgumentException>(() => Uncertainty.Hits([1, 2], [1])).Message);
        Assert.Equal(0.0, Uncertainty.Accuracy([]));
        Assert.Equal(2.0 / 3, Uncertainty.Accuracy([true, false, true]), 12);
    }

    [Fact]
    public void Mcnemar_counts_each_kind_of_discordant_row_and_refuses_unequal_lengths()
    {
        var t = Uncertainty.McNemar([true, true, false, false, true], [false, true, true, false, true]);
        Assert.Equal((5, 1, 1), (t.Rows, t.OnlyFirst, t.OnlySecond));
        Assert.Equal(0.0, t.Difference);
        Assert.Equal(0.0, Uncertainty.McNemar([], []).Difference);
        Assert.Equal("the two classifiers were scored on 1 and 0 rows",
            Assert.Throws<ArgumentException>(() => Uncertainty.McNemar([true], [])).Message);
        var (a, b) = Discordant(4, 1);
        Assert.Equal(3.0 / 8, Uncertainty.McNemar(a, b).Difference, 12);
    }

    [Fact]
    public void Mcnemar_is_exact_below_25_discordant_rows_and_chi_square_from_25()
    {
        // 24 discordant rows (b = 17, c = 7): exact, 2·P[X ≤ 7] for X ~ Bin(24, ½), summed from the binomial coefficients
        var (a, b) = Discordant(17, 7);
        var exact = Uncertainty.McNemar(a, b);
        Assert.True(exact.Exact);
        double choose = 1, tail = 0;
        for (var i = 0; i <= 7; i++) { tail += choose; choose = choose * (24 - i) / (i + 1); }
        Assert.Equal(2 * tail / Math.Pow(2, 24), exact.PValue, 12);
        // 25 discordant rows (b = 18, c = 7): χ² = (|18 − 7| − 1)² / 25 = 4 with one degree of freedom: P = erfc(√2) = 0.0455003
        var (c, d) = Discordant(18, 7);
        var chi = Uncertainty.McNemar(c, d);
        Assert.False(chi.Exact);
        Assert.Equal(0.0455003, chi.PValue, 6);
    }

    [Fact]
    public void Exact_mcnemar_sums_the_lower_tail_from_zero_to_the_smaller_count()
    {
        // b = 5, c = 0: 2·P[X ≤ 0] = 2 / 32 for X ~ Bin(5, ½); b = 6, c = 1: 2·(1 + 7) / 128
        var (a, b) = Discordant(5, 0);
        Assert.Equal(2.0 / 32, Uncertainty.McNemar(a, b).PValue, 14);
        var (c, d) = Discordant(1, 6);
        Assert.Equal(16.0 / 128, Uncertainty.McNemar(c, d).PValue, 14);
        // the two-sided p is capped at 1: b = 2, c = 1 gives 2·P[X ≤ 1] = 2·4/8 = 1, which the log-space sum rounds to 1 + 2e-16
        var (e, f) = Discordant(2, 1);
        Assert.Equal(1.0, Uncertainty.McNemar(e, f).PValue);
        Assert.True(Uncertainty.McNemar(e, f).PValue <= 1.0);
    }

    [Fact]
    public void Chi_square_mcnemar_with_discordances_one_apart_is_exactly_one()
    {
        // |b − c| = 1: the continuity-corrected statistic is 0 and P[χ² ≥ 0] = 1 exactly, not the approximate erfc(0) ≠ 1
        var (a, b) = Discordant(13, 12);
        var t = Uncertainty.McNemar(a, b);
        Assert.False(t.Exact);
        Assert.Equal(1.0, t.PValue);
        // a large statistic: χ² = (|100 − 20| − 1)² / 120 = 52.008, P ≈ 5.6e-13 (erfc(√26.004)), far below 1 and above 0
        var (c, d) = Discordant(100, 20);
        Assert.InRange(Uncertainty.McNemar(c, d).PValue, 4e-13, 7e-13);
    }

    [Fact]
    public void Bootstrap_interval_is_the_percentile_pair_of_the_sorted_resampled_accuracies()
    {
        // the same resampling as the method documents (System.Random(seed), rows drawn with replacement), percentiles taken by hand
        var hits = Enumerable.Range(0, 40).Select(i => i % 4 != 0).ToArray();
        foreach (var (resamples, level) in new[] { (200, 0.95), (101, 0.8), (50, 0.5) })
        {
            var random = new Random(7);
            var acc = new double[resamples];
            for (var r = 0; r < resamples; r++) acc[r] = Enumerable.Range(0, hits.Length).Count(_ => hits[random.Next(hits.Length)]) / 40.0;
            System.Array.Sort(acc);
            var lo = acc[(int)Math.Floor((1 - level) / 2 * resamples)];
            var hi = acc[Math.Min(resamples - 1, (int)Math.Ceiling((1 + level) / 2 * resamples) - 1)];
            Assert.Equal(new Interval(lo, hi, level), Uncertainty.Bootstrap(hits, resamples, 7, level));
        }
        Assert.Equal(new Interval(0, 0, 0.9), Uncertainty.Bootstrap([], 10, 1, 0.9));
        Assert.Equal(new Interval(1, 1, 0.95), Uncertainty.Bootstrap([true, true, true], 20, 3));
    }

    [Fact]
    public void Bootstrap_upper_end_is_the_largest_resample_at_level_one()
    {
        // level 1: indices floor(0) and min(n − 1, ceil(n) − 1) — the smallest and largest resampled accuracy
        var hits = Enumerable.Range(0, 30).Select(i => i % 2 == 0).ToArray();
        var all = Uncertainty.Bootstrap(hits, 100, 5, 1.0);
        var random = new Random(5);
        var acc = Enumerable.Range(0, 100).Select(_ => Enumerable.Range(0, 30).Count(_ => hits[random.Next(30)]) / 30.0).ToArray();
        Assert.Equal(acc.Min(), all.Lower);
        Assert.Equal(acc.Max(), all.Upper);
    }

    [Fact]
    public void P_values_show_two_significant_figures_or_a_floor()
    {
        Assert.Equal("p < 1e-300", Uncertainty.ShowP(0));
        Assert.Equal("p = 0.031", Uncertainty.ShowP(0.0312));
        Assert.Equal("p = 0.001", Uncertainty.ShowP(0.001));
        Assert.Equal("p = 9.9e-04", Uncertainty.ShowP(0.00099));
        Assert.Equal("p = 2.1e-09", Uncertainty.ShowP(2.1e-9));
        Assert.Equal("p = 1", Uncertainty.ShowP(1));
    }
}
