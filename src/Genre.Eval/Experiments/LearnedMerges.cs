using Genre.Data;
using LanguageExt.Common;

namespace Genre.Eval;

/// <summary>
/// Genre merges learned from a confusion matrix instead of chosen by hand: rows normalised to the share of each true genre's
/// rows predicted as each genre, symmetrised (s_ij = (r_ij + r_ji) / 2), then average-linkage agglomerative clustering — the
/// two groups whose genres are most confused with each other on average are joined — until <c>classes</c> groups remain.
/// Each group is named after its genre with the most rows (ties: ordinal order), and the result is a validated mapping.
/// </summary>
public static class LearnedMerges
{
    /// <summary>The symmetrised, row-normalised confusion (diagonal zero): how often two genres are taken for each other.</summary>
    public static double[,] Similarity(long[,] confusion)
    {
        var k = confusion.GetLength(0);
        var r = new double[k, k];
        for (var i = 0; i < k; i++)
        {
            long total = 0;
            for (var j = 0; j < k; j++) total += confusion[i, j];
            for (var j = 0; j < k; j++) r[i, j] = total == 0 ? 0 : (double)confusion[i, j] / total;
        }
        var s = new double[k, k];
        for (var i = 0; i < k; i++)
            for (var j = 0; j < k; j++)
                s[i, j] = i == j ? 0 : (r[i, j] + r[j, i]) / 2;
        return s;
    }

    /// <summary>Groups of class indices (each sorted, groups by their first index), <paramref name="groups"/> of them.</summary>
    public static Seq<Seq<int>> Cluster(double[,] similarity, int groups)
    {
        var k = similarity.GetLength(0);
        var clusters = Enumerable.Range(0, k).Select(i => new List<int> { i }).ToList();
        // sum of similarities between members, per pair of clusters; average = sum / (|a|·|b|)
        var sums = new double[k, k];
        for (var i = 0; i < k; i++) for (var j = 0; j < k; j++) sums[i, j] = similarity[i, j];
        var ids = Enumerable.Range(0, k).ToList();   // clusters[x] has id ids[x] into sums
        while (clusters.Count > Math.Max(1, groups))
        {
            int bestA = 0, bestB = 1;
            var best = double.NegativeInfinity;
            for (var a = 0; a < clusters.Count; a++)
                for (var b = a + 1; b < clusters.Count; b++)
                {
                    var avg = sums[ids[a], ids[b]] / (clusters[a].Count * clusters[b].Count);
                    if (avg > best) { best = avg; bestA = a; bestB = b; }
                }
            for (var c = 0; c < clusters.Count; c++)
            {
                var merged = sums[ids[c], ids[bestA]] + sums[ids[c], ids[bestB]];
                sums[ids[c], ids[bestA]] = merged;
                sums[ids[bestA], ids[c]] = merged;
            }
            clusters[bestA].AddRange(clusters[bestB]);
            clusters.RemoveAt(bestB);
            ids.RemoveAt(bestB);
        }
        return clusters.Select(c => c.OrderBy(i => i).ToSeq().Strict()).OrderBy(c => c.Head).ToSeq().Strict();
    }

    /// <summary>The mapping that merges each group into its genre with the most rows (its confusion row sum).</summary>
    public static Validation<Error, GenreMapping> Learn(long[,] confusion, Seq<string> classes, int groups)
    {
        var k = confusion.GetLength(0);
        if (k != classes.Count) return Fail<Error, GenreMapping>(GenreError.Usage(
            $"confusion matrix is {k}×{k} but there are {classes.Count} classes"));
        var support = Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Sum(j => confusion[i, j])).ToArray();
        var pairs = Cluster(Similarity(confusion), groups).Bind(g =>
        {
            var target = g.OrderByDescending(i => support[i]).ThenBy(i => classes[i], StringComparer.Ordinal).First();
            return g.Filter(i => i != target).Map(i => (classes[i], classes[target]));
        });
        return GenreMapping.Create(pairs, "learned merges");
    }

    /// <summary>The merged families (target ← sources), largest first, for report.md.</summary>
    public static Seq<string> Families(GenreMapping mapping) =>
        mapping.Merges.AsEnumerable().GroupBy(p => p.Value)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ← {string.Join(", ", g.Select(p => p.Key).OrderBy(x => x, StringComparer.Ordinal))}")
            .ToSeq().Strict();
}
