namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// The claims' verdicts in Genre.Eval's own tests (Stryker over <c>Statistics/Claims.cs</c> found them checked only by the
/// reproduce runs the fast test set leaves out): every direction, significant or not, either sign, at the 5% boundary, the
/// merged second experiment named as such, and the report's four claims as stated.
/// </summary>
public class ClaimsMutationTests
{
    /// <summary>1,000 rows; only the first is right on <paramref name="onlyFirst"/> of them, only the second on
    /// <paramref name="onlySecond"/>.</summary>
    static McNemarTest Test(int onlyFirst, int onlySecond, double p) => new(1000, onlyFirst, onlySecond, p, Exact: false);

    static readonly Claim FirstBetter = new("a", "b", "a above b", Claimed.FirstBetter);
    static readonly Claim SecondBetter = new("a", "b", "a below b", Claimed.SecondBetter);
    static readonly Claim NoBetter = new("a", "b", "a no better than b", Claimed.FirstNoBetter);

    [Theory]
    [InlineData(Claimed.FirstBetter, 30, 10, 0.01, "holds: a above b by 2.00 pt, p = 0.01")]
    [InlineData(Claimed.FirstBetter, 10, 30, 0.01, "contradicted: b above a by 2.00 pt, p = 0.01")]
    [InlineData(Claimed.FirstBetter, 30, 10, 0.05, "not shown: difference +2.00 pt is within noise, p = 0.05")]
    [InlineData(Claimed.SecondBetter, 10, 30, 0.01, "holds: b above a by 2.00 pt, p = 0.01")]
    [InlineData(Claimed.SecondBetter, 30, 10, 0.01, "contradicted: a above b by 2.00 pt, p = 0.01")]
    [InlineData(Claimed.SecondBetter, 10, 30, 0.2, "not shown: difference -2.00 pt is within noise, p = 0.2")]
    [InlineData(Claimed.FirstNoBetter, 30, 10, 0.01, "contradicted: a above b by 2.00 pt, p = 0.01")]
    [InlineData(Claimed.FirstNoBetter, 10, 30, 0.01, "holds: b above a by 2.00 pt, p = 0.01")]
    [InlineData(Claimed.FirstNoBetter, 30, 10, 0.3, "holds: no significant gain (difference +2.00 pt is within noise, p = 0.3)")]
    [InlineData(Claimed.FirstBetter, 10, 10, 0.01, "contradicted: a above b by 0.00 pt, p = 0.01")]
    [InlineData(Claimed.SecondBetter, 10, 10, 0.01, "contradicted: a above b by 0.00 pt, p = 0.01")]
    public void Each_direction_holds_is_contradicted_or_is_not_shown(Claimed direction, int onlyFirst, int onlySecond, double p,
                                                                       string verdict)
    {
        var claim = direction switch { Claimed.FirstBetter => FirstBetter, Claimed.SecondBetter => SecondBetter, _ => NoBetter };
        Assert.Equal(verdict, Claims.Verdict(claim, Test(onlyFirst, onlySecond, p)));
    }

    [Fact]
    public void No_difference_names_the_first_as_the_better_and_a_merged_second_says_so()
    {
        Assert.Equal("holds: a above b by 0.00 pt, p = 0.001", Claims.Verdict(NoBetter, Test(10, 10, 0.001)));
        Assert.Equal("holds: a above b (merged) by 2.00 pt, p = 0.01",
            Claims.Verdict(FirstBetter with { SecondMerged = true }, Test(30, 10, 0.01)));
        Assert.Equal("contradicted: b (merged) above a by 2.00 pt, p = 0.01",
            Claims.Verdict(FirstBetter with { SecondMerged = true }, Test(10, 30, 0.01)));
    }

    [Fact]
    public void The_reports_four_claims_are_stated_in_its_order_with_its_words()
    {
        Assert.Equal(
            [
                new Claim("rnn1", "dnn1", "\"complex models like LSTM did bring better results\" (RNN1 above the dense DNN1)",
                    Claimed.FirstBetter),
                new Claim("dnn2", "dnn1", "\"the dropout technique did not help\" (DNN2 no better than DNN1)", Claimed.FirstNoBetter),
                new Claim("rnn2", "rnn1", "\"too complex models were hard to train\" (RNN2 below RNN1)", Claimed.SecondBetter),
                new Claim("reduced-rnn1", "rnn1", "\"reduction of the number [of genres] helps\" (RNN1 trained on 66 merged genres " +
                    "above RNN1's 114-genre predictions merged the same way)", Claimed.FirstBetter, SecondMerged: true),
            ],
            Claims.OfReport.ToArray());
    }

    [Fact]
    public void Claims_are_tested_only_when_both_experiments_have_rows_of_the_same_length()
    {
        bool[] a = [true, true, false, true], b = [false, true, false, false];
        Option<bool[]> Hits(string name, bool merged) => name switch
        {
            "a" => merged ? Option<bool[]>.None : a, // the first experiment is always read on its own labels
            "b" => merged ? Option<bool[]>.None : b,
            "short" => new[] { true },
            _ => None,
        };
        var tested = Claims.Test(Seq(FirstBetter, FirstBetter with { SecondMerged = true }, FirstBetter with { Second = "short" },
            FirstBetter with { First = "none" }), Hits);
        var only = Assert.Single(tested);
        Assert.Equal(0.75, only.FirstAccuracy);
        Assert.Equal(0.25, only.SecondAccuracy);
        Assert.Equal((2, 0), (only.Test.OnlyFirst, only.Test.OnlySecond));
        Assert.Equal(Claims.Verdict(FirstBetter, only.Test), only.Verdict);
    }
}
