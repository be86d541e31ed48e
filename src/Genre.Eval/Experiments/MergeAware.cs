using Genre.Data;

namespace Genre.Eval;

/// <summary>
/// Scores predictions over one label set under a <see cref="GenreMapping"/> without retraining: labels and predictions
/// are both mapped to the merged classes, then compared. Merging can only turn misses into hits.
/// </summary>
public static class MergeAware
{
    /// <summary>For each original class index, the index of its merged class in the merged encoding (sorted ordinally).</summary>
    public static (int[] ClassMap, LabelEncoding Merged) ClassMap(Seq<string> classes, GenreMapping mapping)
    {
        var merged = LabelEncoding.Fit(classes.Map(mapping.Apply));
        return (classes.Map(c => merged.EncodeAll([mapping.Apply(c)])[0]).ToArray(), merged);
    }

    /// <summary>Each code replaced by its merged class: <c>classMap[code]</c>.</summary>
    public static int[] Apply(int[] codes, int[] classMap) => codes.Select(c => classMap[c]).ToArray();

    /// <summary>
    /// Accuracy after merging both <paramref name="labels"/> and <paramref name="predictions"/> (codes into <paramref name="classes"/>)
    /// by <paramref name="mapping"/>; at least the unmerged accuracy.
    /// </summary>
    public static double Accuracy(int[] labels, int[] predictions, Seq<string> classes, GenreMapping mapping)
    {
        var (map, _) = ClassMap(classes, mapping);
        return Metrics.Accuracy(Apply(labels, map), Apply(predictions, map));
    }

    /// <summary>Merging rows and columns of a confusion matrix by a class map (= the confusion of the merged labels).</summary>
    public static long[,] MergeConfusion(long[,] confusion, int[] classMap, int mergedClasses)
    {
        var k = confusion.GetLength(0);
        var m = new long[mergedClasses, mergedClasses];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
                m[classMap[i], classMap[j]] += confusion[i, j];
        return m;
    }
}
