namespace Genre.Eval.Tests;

public class MetricsTests
{
    [Fact]
    public void Accuracy_confusion_and_per_class_scores_by_hand()
    {
        int[] y = [0, 0, 1, 1, 2, 2];
        int[] p = [0, 1, 1, 1, 0, 2];
        Assert.Equal(4.0 / 6, Metrics.Accuracy(y, p));
        var c = Metrics.Confusion(y, p, 3);
        Assert.Equal(new long[,] { { 1, 1, 0 }, { 0, 2, 0 }, { 1, 0, 1 } }, c);
        var s = Metrics.PerClass(c);
        Assert.Equal(0.5, s[0].Precision);
        Assert.Equal(0.5, s[0].Recall);
        Assert.Equal(2.0 / 3, s[1].Precision, 12);
        Assert.Equal(1.0, s[1].Recall);
        Assert.Equal(0.8, s[1].F1, 12);
        Assert.Equal(2, s[2].Support);
    }

    [Fact]
    public void Cross_entropy_clips_like_keras_and_top_k_counts_ranks()
    {
        float[] probs = [0.7f, 0.2f, 0.1f, 0f, 0.5f, 0.5f];
        Assert.Equal((-Math.Log(0.7f) - Math.Log(1e-7)) / 2, Metrics.CrossEntropy([0, 0], probs, 3), 9);
        Assert.Equal(1.0, Metrics.TopK([0, 1], probs, 3, 1));   // a tie ranks the lower class index first, as argsort
        Assert.Equal(0.0, Metrics.TopK([1, 2], probs, 3, 1));
        Assert.Equal(1.0, Metrics.TopK([1, 2], probs, 3, 2));
        Assert.Equal(0.5, Metrics.TopK([2, 1], probs, 3, 1));
        Assert.Equal(new[] { 0, 1 }, Metrics.Argmax(probs, 3));
    }

    [Fact]
    public void Merge_aware_accuracy_scores_114_genre_predictions_under_the_report_mapping()
    {
        var classes = KaggleGenres.Sorted;
        int Code(string g) => classes.ToList().IndexOf(g);
        int[] y = [Code("k-pop"), Code("metal"), Code("jazz"), Code("techno")];
        int[] p = [Code("j-pop"), Code("punk"), Code("blues"), Code("techno")];
        Assert.Equal(0.25, Metrics.Accuracy(y, p));
        Assert.Equal(0.75, MergeAware.Accuracy(y, p, classes, GenreMapping.ReportMerges));
        var (map, merged) = MergeAware.ClassMap(classes, GenreMapping.ReportMerges);
        Assert.Equal(66, merged.Count);
        Assert.Equal(merged.EncodeAll(["pop"])[0], map[Code("mpb")]);
    }
}
