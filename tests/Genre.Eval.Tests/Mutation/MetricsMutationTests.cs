namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// Edges of <see cref="Metrics"/> the by-hand tests left open (found by Stryker: bench/results/mutation.md): empty inputs, length
/// checks, scikit-learn's zero_division=0, Keras' clip at the top, and ties. Expected values follow scikit-learn's and Keras'
/// definitions as stated in each test.
/// </summary>
public class MetricsMutationTests
{
    [Fact]
    public void Empty_inputs_score_zero_and_unequal_lengths_are_refused()
    {
        Assert.Equal(0.0, Metrics.Accuracy([], []));
        Assert.Equal(0.0, Metrics.CrossEntropy([], [], 3));
        Assert.Equal(0.0, Metrics.TopK([], [], 3, 1));
        Assert.Contains("labels (2) and predictions (1)", Assert.Throws<ArgumentException>(() => Metrics.Accuracy([0, 1], [0])).Message);
        Assert.Throws<ArgumentException>(() => Metrics.Confusion([0], [0, 1], 2));
    }

    [Fact]
    public void Accuracy_counts_hits_over_all_rows()
    {
        Assert.Equal(1.0, Metrics.Accuracy([2, 0, 1], [2, 0, 1]));
        Assert.Equal(0.0, Metrics.Accuracy([2, 0, 1], [0, 1, 2]));
        Assert.Equal(0.25, Metrics.Accuracy([0, 1, 2, 3], [0, 0, 0, 0]));
    }

    [Fact]
    public void Cross_entropy_clips_certainty_at_one_minus_epsilon_and_honours_a_given_epsilon()
    {
        // Keras clips to [ε, 1 − ε] before the log: a certain right answer costs −log(1 − 1e-7), not 0
        Assert.Equal(-Math.Log(1 - 1e-7), Metrics.CrossEntropy([0], [1f, 0f], 2), 15);
        Assert.True(Metrics.CrossEntropy([0], [1f, 0f], 2) > 0);
        // a zero probability costs −log ε with the ε given
        Assert.Equal(-Math.Log(1e-3), Metrics.CrossEntropy([1], [1f, 0f], 2, 1e-3), 12);
        // the mean over rows, each row reading its own label's column
        Assert.Equal(-(Math.Log(0.25f) + Math.Log(0.5f)) / 2, Metrics.CrossEntropy([1, 0], [0.75f, 0.25f, 0.5f, 0.5f], 2), 12);
    }

    [Fact]
    public void Score_is_loss_accuracy_and_count_with_the_argmax_predictions()
    {
        float[] p = [0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f];
        var (e, predictions) = Metrics.Score([1, 1, 1], p, 2);
        Assert.Equal(new[] { 1, 0, 1 }, predictions);
        Assert.Equal(2.0 / 3, e.Accuracy, 12);
        Assert.Equal(3, e.Count);
        Assert.Equal(Metrics.CrossEntropy([1, 1, 1], p, 2), e.Loss);
    }

    [Fact]
    public void Per_class_scores_are_zero_where_the_denominator_is_zero()
    {
        // class 2 is never predicted (precision 0/0 → 0) and class 1 never occurs (recall 0/0 → 0), scikit-learn's zero_division=0
        var s = Metrics.PerClass(Metrics.Confusion([0, 0, 2], [0, 1, 0], 3));
        Assert.Equal(new ClassScore(0, 0.5, 0.5, 0.5, 2), s[0]);
        Assert.Equal(new ClassScore(1, 0, 0, 0, 0), s[1]);
        Assert.Equal(new ClassScore(2, 0, 0, 0, 1), s[2]);
        // F1 is the harmonic mean 2pr/(p + r): p = 1, r = 1/3 → 0.5
        var t = Metrics.PerClass(Metrics.Confusion([0, 0, 0, 1], [0, 1, 1, 1], 2));
        Assert.Equal(1.0, t[0].Precision);
        Assert.Equal(1.0 / 3, t[0].Recall, 12);
        Assert.Equal(0.5, t[0].F1, 12);
        Assert.Equal(3, t[0].Support);
        Assert.Equal(1.0 / 3, t[1].Precision, 12);
    }

    [Fact]
    public void Macro_f1_averages_only_the_classes_that_occur()
    {
        // classes 0 and 2 occur (F1 1 and 0); class 1 never occurs and is left out of the mean: (1 + 0) / 2
        var c = Metrics.Confusion([0, 2], [0, 1], 3);
        Assert.Equal(0.5, Metrics.MacroF1(c), 12);
        Assert.Equal(0.0, Metrics.MacroF1(new long[2, 2]));
        Assert.Equal(1.0, Metrics.MacroF1(Metrics.Confusion([0, 1], [0, 1], 2)));
    }

    [Fact]
    public void Top_k_counts_a_row_when_fewer_than_k_classes_rank_above_its_label()
    {
        float[] p = [0.5f, 0.3f, 0.2f];
        Assert.Equal(0.0, Metrics.TopK([2], p, 3, 2));
        Assert.Equal(1.0, Metrics.TopK([2], p, 3, 3));
        Assert.Equal(1.0, Metrics.TopK([1], p, 3, 2));
        Assert.Equal(1.0, Metrics.TopK([0], p, 3, 1));
        // ties rank the lower class index first (numpy's stable argsort): label 2 tied with class 1 ranks third, label 1 second
        float[] tie = [0.5f, 0.25f, 0.25f];
        Assert.Equal(0.0, Metrics.TopK([2], tie, 3, 2));
        Assert.Equal(1.0, Metrics.TopK([1], tie, 3, 2));
        Assert.Equal(0.5, Metrics.TopK([0, 2], [0.5f, 0.25f, 0.25f, 0.5f, 0.25f, 0.25f], 3, 1));
    }

    [Fact]
    public void Argmax_takes_the_first_of_tied_maxima_in_every_row()
    {
        Assert.Equal(new[] { 0, 1, 2 }, Metrics.Argmax([0.4f, 0.4f, 0.2f, 0.1f, 0.45f, 0.45f, 0.1f, 0.2f, 0.7f], 3));
        Assert.Equal(new[] { 3 }, Metrics.Argmax([0.1f, 0.2f, 0.3f, 0.4f], 4));
    }
}
