using FsCheck;
using FsCheck.Xunit;
using Genre.Data;
using Genre.Eval;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Properties;

public class MetricsProperties
{
    const int K = 12;
    static readonly Seq<string> Classes = toSeq(Enumerable.Range(0, K).Select(i => $"g{i:D2}")).Strict();

    static (int[] Labels, int[] Predictions) Data(int seed, int n)
    {
        var r = new Random(seed);
        return (Enumerable.Range(0, n).Select(_ => r.Next(K)).ToArray(), Enumerable.Range(0, n).Select(_ => r.Next(K)).ToArray());
    }

    static GenreMapping Mapping(int seed)
    {
        var r = new Random(seed);
        var targets = Classes.Take(1 + r.Next(3)).ToArray();
        var sources = Classes.Skip(targets.Length).Filter(_ => r.Next(2) == 0);
        return GenreMapping.Create(sources.Map(s => (s, targets[r.Next(targets.Length)]))).Match(m => m, e => throw new Exception(e.Head.Message));
    }

    [Property(MaxTest = 300)]
    public bool Accuracy_is_monotone_under_merges(int seed, PositiveInt n)
    {
        var (y, p) = Data(seed, n.Get % 500 + 1);
        return MergeAware.Accuracy(y, p, Classes, Mapping(seed + 1)) >= Metrics.Accuracy(y, p);
    }

    [Property(MaxTest = 200)]
    public bool Two_merges_equal_one_merge_with_the_composed_mapping(int seed, PositiveInt n, NonEmptyArray<bool> mergeIntoFirst)
    {
        var (y, p) = Data(seed, n.Get % 300 + 1);
        var first = Mapping(seed + 1);
        var (map1, merged1) = MergeAware.ClassMap(Classes, first);
        // FsCheck picks which of the remaining classes the second mapping merges into the first one
        var picks = mergeIntoFirst.Get;
        var secondPairs = merged1.Classes.Skip(1).Map((i, c) => (i, c)).Filter(x => picks[x.i % picks.Length]).Map(x => (x.c, merged1.Classes[0]));
        var second = GenreMapping.Create(secondPairs).Match(m => m, e => throw new Exception(e.Head.Message));
        var (map2, _) = MergeAware.ClassMap(merged1.Classes, second);
        var stepwise = Metrics.Accuracy(MergeAware.Apply(MergeAware.Apply(y, map1), map2), MergeAware.Apply(MergeAware.Apply(p, map1), map2));
        return Math.Abs(stepwise - MergeAware.Accuracy(y, p, Classes, first.Compose(second))) < 1e-15;
    }

    [Property(MaxTest = 300)]
    public bool Confusion_sums_to_n_and_its_trace_is_accuracy(int seed, PositiveInt n)
    {
        var (y, p) = Data(seed, n.Get % 500 + 1);
        var c = Metrics.Confusion(y, p, K);
        long sum = 0, trace = 0;
        for (var i = 0; i < K; i++) { trace += c[i, i]; for (var j = 0; j < K; j++) sum += c[i, j]; }
        return sum == y.Length && Math.Abs((double)trace / y.Length - Metrics.Accuracy(y, p)) < 1e-15;
    }

    [Property(MaxTest = 200)]
    public bool Merging_a_confusion_matrix_is_the_confusion_of_merged_labels(int seed, PositiveInt n)
    {
        var (y, p) = Data(seed, n.Get % 400 + 1);
        var (map, merged) = MergeAware.ClassMap(Classes, Mapping(seed + 7));
        var a = MergeAware.MergeConfusion(Metrics.Confusion(y, p, K), map, merged.Count);
        var b = Metrics.Confusion(MergeAware.Apply(y, map), MergeAware.Apply(p, map), merged.Count);
        return a.Cast<long>().SequenceEqual(b.Cast<long>());
    }

    [Property(MaxTest = 200)]
    public bool Metrics_do_not_depend_on_row_order(int seed, PositiveInt n)
    {
        var (y, p) = Data(seed, n.Get % 400 + 1);
        var r = new Random(seed); // one generator for the whole shuffle
        var shuffled = Enumerable.Range(0, y.Length).OrderBy(_ => r.Next()).ToArray();
        var y2 = shuffled.Select(i => y[i]).ToArray();
        var p2 = shuffled.Select(i => p[i]).ToArray();
        var probs = Enumerable.Range(0, y.Length * K).Select(i => (float)((i * 2654435761u % 1000) / 1000.0)).ToArray();
        var probs2 = shuffled.SelectMany(i => probs.Skip(i * K).Take(K)).ToArray();
        return Metrics.Accuracy(y, p) == Metrics.Accuracy(y2, p2)
               && Metrics.Confusion(y, p, K).Cast<long>().SequenceEqual(Metrics.Confusion(y2, p2, K).Cast<long>())
               && Math.Abs(Metrics.TopK(y, probs, K, 3) - Metrics.TopK(y2, probs2, K, 3)) < 1e-15
               && Math.Abs(Metrics.CrossEntropy(y, probs, K) - Metrics.CrossEntropy(y2, probs2, K)) < 1e-9;
    }
}
