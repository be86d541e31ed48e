namespace Genre.Eval.Tests;

public class UncertaintyTests
{
    /// <summary>b rows only the first got right, c only the second, then <paramref name="both"/> rows both got right.</summary>
    static (bool[] First, bool[] Second) Discordant(int b, int c, int both = 5)
    {
        var first = Enumerable.Repeat(true, b).Concat(Enumerable.Repeat(false, c)).Concat(Enumerable.Repeat(true, both)).ToArray();
        var second = Enumerable.Repeat(false, b).Concat(Enumerable.Repeat(true, c)).Concat(Enumerable.Repeat(true, both)).ToArray();
        return (first, second);
    }

    [Fact]
    public void Exact_mcnemar_is_the_two_sided_binomial_tail()
    {
        var (a, b) = Discordant(10, 2);
        var t = Uncertainty.McNemar(a, b);
        Assert.True(t.Exact);
        Assert.Equal(2.0 * (1 + 12 + 66) / 4096, t.PValue, 12);   // 2·P[X ≤ 2], X ~ Bin(12, ½)
    }

    [Fact]
    public void Large_discordant_counts_use_chi_square_with_continuity_correction()
    {
        var (a, b) = Discordant(30, 10);
        var t = Uncertainty.McNemar(a, b);
        Assert.False(t.Exact);
        Assert.Equal(0.00266312, t.PValue, 7);                      // χ² = (|30 − 10| − 1)² / 40 = 9.025, one degree of freedom
        Assert.Equal(20.0 / 45, t.Difference, 12);
    }

    [Fact]
    public void Bootstrap_interval_narrows_with_more_rows_and_is_reproducible()
    {
        bool[] Hits(int n) => Enumerable.Range(0, n).Select(i => i % 3 == 0).ToArray();
        var small = Uncertainty.Bootstrap(Hits(300));
        var large = Uncertainty.Bootstrap(Hits(30_000));
        Assert.True(large.Upper - large.Lower < (small.Upper - small.Lower) / 5);
        Assert.Equal(small, Uncertainty.Bootstrap(Hits(300)));
        // a binomial proportion's 95% interval is about ±1.96·√(p(1−p)/n): ±0.0053 for p = 1/3, n = 30,000
        Assert.InRange((large.Upper - large.Lower) / 2, 0.0045, 0.0062);
    }

    static readonly Seq<string> Classes = Seq("a", "b", "c", "d");

    [Fact]
    public void A_claim_is_contradicted_when_the_other_model_is_significantly_better()
    {
        var labels = Enumerable.Range(0, 400).Select(i => i % 4).ToArray();
        var good = labels.Select((l, i) => i % 10 < 6 ? l : (l + 1) % 4).ToArray();   // 60%
        var poor = labels.Select((l, i) => i % 10 < 3 ? l : (l + 1) % 4).ToArray();   // 30%
        var rows = Seq(new ScoredRows("rnn1", labels, poor, Classes, false), new ScoredRows("dnn1", labels, good, Classes, false),
                       new ScoredRows("dnn2", labels, good, Classes, false));
        var tests = Claims.Test(Claims.OfReport, Claims.HitsOf(rows, GenreMapping.Identity));
        Assert.Equal(2, tests.Count);
        Assert.StartsWith("contradicted: dnn1 above rnn1 by 30.00 pt", tests[0].Verdict);
        Assert.StartsWith("holds: no significant gain", tests[1].Verdict);
        Assert.Equal(1.0, tests[1].Test.PValue);
    }

    [Fact]
    public void The_merged_comparison_scores_the_full_model_on_merged_labels()
    {
        var mapping = GenreMapping.Create([("b", "a")]).Match(m => m, e => throw new Exception(e.Head.Message));
        var labels = new[] { 0, 1, 2, 3, 1, 0 };
        var full = new[] { 1, 0, 2, 3, 1, 0 };                      // two a↔b confusions: 4/6 raw, 6/6 once merged
        var rows = Seq1(new ScoredRows("rnn1", labels, full, Classes, false));
        var merged = Claims.HitsOf(rows, mapping)("rnn1", true).IfNone([]);
        var raw = Claims.HitsOf(rows, mapping)("rnn1", false).IfNone([]);
        Assert.Equal(1.0, Uncertainty.Accuracy(merged));
        Assert.Equal(4.0 / 6, Uncertainty.Accuracy(raw), 12);
    }
}
