namespace Genre.Eval.Tests;

public class ProbabilityMetricsTests
{
    static readonly Seq<string> Classes = Seq("alt-rock", "hard-rock", "jazz", "pop");

    // four test rows (labels 0, 1, 2, 3); each row's probabilities over the four classes
    static readonly int[] Labels = [0, 1, 2, 3];
    static readonly float[] Probabilities =
    [
        0.70f, 0.10f, 0.10f, 0.10f, // right, confidence 0.7
        0.50f, 0.30f, 0.10f, 0.10f, // predicts alt-rock for hard-rock: wrong, but the same family (rock); 2nd most probable
        0.05f, 0.05f, 0.10f, 0.80f, // predicts pop for jazz: wrong; jazz 2nd
        0.10f, 0.20f, 0.30f, 0.40f, // right, confidence 0.4
    ];

    static ScoredRows Rows => new("m", Labels, Metrics.Argmax(Probabilities, 4), Classes, false);

    static GenreMapping Rock => Ok(GenreMapping.Create([("alt-rock", "rock"), ("hard-rock", "rock")]));

    [Fact]
    public void Top_k_family_and_macro_f1_by_hand()
    {
        var m = ProbabilityMetrics.Of(Rows, Probabilities, None, Rock);
        Assert.Equal(0.5, m.Top1);
        Assert.Equal(1.0, m.Top3);   // every label is among its row's 3 most probable
        Assert.Equal(1.0, m.Top5);
        Assert.Equal(0.75, m.Family); // the hard-rock row counts: alt-rock and hard-rock are both rock
        // per class F1: alt-rock P 1/2 R 1 → 2/3; hard-rock 0; jazz 0; pop P 1/2 R 1 → 2/3
        Assert.Equal((2.0 / 3 + 2.0 / 3) / 4, m.MacroF1, 12);
        Assert.True(m.AnyListedGenre.IsNone);
    }

    [Fact]
    public void Expected_calibration_error_by_hand()
    {
        var m = ProbabilityMetrics.Of(Rows, Probabilities, None, GenreMapping.Identity);
        // confidences 0.7 (right), 0.5 (wrong), 0.8 (wrong), 0.4 (right): bins of width 1/15, one row each
        Assert.Equal(4, m.Reliability.Count);
        Assert.All(m.Reliability, b => Assert.Equal(1, b.Rows));
        var gaps = new[] { Math.Abs(1 - 0.7f), Math.Abs(0 - 0.5f), Math.Abs(0 - 0.8f), Math.Abs(1 - 0.4f) };
        Assert.Equal(gaps.Sum() / 4, m.Ece, 6);
        Assert.Equal(new[] { 0.4, 0.5, 0.7, 0.8 }, m.Reliability.Map(b => Math.Round(b.Confidence, 6)));
        Assert.All(m.Reliability, b => Assert.InRange(b.Confidence, b.Low, b.High));
    }

    [Fact]
    public void A_perfectly_calibrated_bin_has_no_gap_and_a_confidence_of_one_lands_in_the_last_bin()
    {
        float[] p = [1f, 0f, 0f, 1f, 0f, 0f];
        var (ece, bins) = ProbabilityMetrics.Calibration([0, 0], p, [0, 0], 3);
        Assert.Equal(0, ece);
        Assert.Equal(14.0 / 15, bins.Single().Low, 12);
        Assert.Equal(1.0, bins.Single().High, 12);
        Assert.Equal(2, bins.Single().Rows);
    }

    [Fact]
    public void A_prediction_counts_under_any_genre_its_track_is_listed_under()
    {
        static Track T(long row, string id, string genre) => new(row, id, None, None, None, 50, 200_000, false, 0.5, 0.5, 1, -6, 1,
            0.1, 0.1, 0, 0.1, 0.5, 120, 4, genre);
        // the hard-rock row's track is also listed as alt-rock, which is what the model predicted; the jazz track as nothing else
        var cleaned = Seq(T(10, "a", "alt-rock"), T(11, "b", "hard-rock"), T(12, "b", "alt-rock"), T(13, "c", "jazz"),
            T(14, "d", "pop"), T(15, "c", "folk"));
        var listed = ProbabilityMetrics.ListedGenres(cleaned, [10, 11, 13, 14], Classes, GenreMapping.Identity);
        Assert.Equal(new[] { 0, 1 }, listed(1).Order());
        Assert.Equal(new[] { 2 }, listed(2)); // folk is not a class of the model: left out
        var m = ProbabilityMetrics.Of(Rows, Probabilities, Some(listed), GenreMapping.Identity);
        Assert.Equal(0.75, m.AnyListedGenre.IfNone(double.NaN));
    }
}
