using Genre.Eval;
using Genre.Testing.Laws;

namespace Genre.Properties;

/// <summary>Metrics on generated labels, predictions and mappings (Genre.Testing's <see cref="MappingLaws.Scored"/>), which shrink to
/// few rows and few genres.</summary>
public class MetricsProperties
{
    static readonly Arbitrary<MappingLaws.ScoredCase> Cases = MappingLaws.Scored(60);

    [Property(MaxTest = 300)]
    public Property Accuracy_is_monotone_under_merges() =>
        Prop.ForAll(Cases, c =>
            MergeAware.Accuracy(c.Labels, c.Predictions, c.Classes, c.Mapping) >= Metrics.Accuracy(c.Labels, c.Predictions));

    /// <summary>Merging by a first mapping and then a second (one that merges classes of the first's result into its first class) is
    /// one merge by the composed mapping.</summary>
    [Property(MaxTest = 200)]
    public Property Two_merges_equal_one_merge_with_the_composed_mapping() =>
        Prop.ForAll(Cases, Arb.From(Gen.Elements(false, true).NonEmptyListOf()), (c, picks) =>
        {
            var (map1, merged1) = MergeAware.ClassMap(c.Classes, c.Mapping);
            var p = picks.ToArray();
            var secondPairs = merged1.Classes.Skip(1).Select((g, i) => (g, i)).Where(x => p[x.i % p.Length])
                .Select(x => (x.g, merged1.Classes[0]));
            var second = GenreMapping.Create(secondPairs).Match(m => m, e => throw new Exception(e.Head.Message));
            var (map2, _) = MergeAware.ClassMap(merged1.Classes, second);
            var stepwise = Metrics.Accuracy(MergeAware.Apply(MergeAware.Apply(c.Labels, map1), map2),
                                            MergeAware.Apply(MergeAware.Apply(c.Predictions, map1), map2));
            return Math.Abs(stepwise - MergeAware.Accuracy(c.Labels, c.Predictions, c.Classes, c.Mapping.Compose(second))) < 1e-15;
        });

    [Property(MaxTest = 300)]
    public Property Confusion_sums_to_n_and_its_trace_is_accuracy() =>
        Prop.ForAll(Cases, c =>
        {
            var k = c.Classes.Count;
            var m = Metrics.Confusion(c.Labels, c.Predictions, k);
            long sum = 0, trace = 0;
            for (var i = 0; i < k; i++) { trace += m[i, i]; for (var j = 0; j < k; j++) sum += m[i, j]; }
            return sum == c.Labels.Length && Math.Abs((double)trace / c.Labels.Length - Metrics.Accuracy(c.Labels, c.Predictions)) < 1e-15;
        });

    [Property(MaxTest = 200)]
    public Property Merging_a_confusion_matrix_is_the_confusion_of_merged_labels() =>
        Prop.ForAll(Cases, c =>
        {
            var (map, merged) = MergeAware.ClassMap(c.Classes, c.Mapping);
            var a = MergeAware.MergeConfusion(Metrics.Confusion(c.Labels, c.Predictions, c.Classes.Count), map, merged.Count);
            var b = Metrics.Confusion(MergeAware.Apply(c.Labels, map), MergeAware.Apply(c.Predictions, map), merged.Count);
            return a.Cast<long>().SequenceEqual(b.Cast<long>());
        });

    /// <summary>Accuracy, confusion, top-k and cross-entropy are sums over rows: any order of the rows (FsCheck's shuffle) gives the
    /// same values.</summary>
    [Property(MaxTest = 200)]
    public Property Metrics_do_not_depend_on_row_order() =>
        Prop.ForAll(Arb.From(from c in Cases.Generator
                             from order in Gen.Shuffle(Enumerable.Range(0, c.Labels.Length).ToArray())
                             from probs in Gen.Choose(1, 1000).Select(v => v / 1000f).ArrayOf(c.Labels.Length * c.Classes.Count)
                             select (Case: c, Order: order, Probs: probs)), x =>
        {
            var (c, order, probs) = x;
            var k = c.Classes.Count;
            var y2 = order.Select(i => c.Labels[i]).ToArray();
            var p2 = order.Select(i => c.Predictions[i]).ToArray();
            var probs2 = order.SelectMany(i => probs.Skip(i * k).Take(k)).ToArray();
            return Metrics.Accuracy(c.Labels, c.Predictions) == Metrics.Accuracy(y2, p2)
                   && Metrics.Confusion(c.Labels, c.Predictions, k).Cast<long>().SequenceEqual(Metrics.Confusion(y2, p2, k).Cast<long>())
                   && Math.Abs(Metrics.TopK(c.Labels, probs, k, Math.Min(3, k)) - Metrics.TopK(y2, probs2, k, Math.Min(3, k))) < 1e-15
                   && Math.Abs(Metrics.CrossEntropy(c.Labels, probs, k) - Metrics.CrossEntropy(y2, probs2, k)) < 1e-9;
        });

    /// <summary>Accuracy lies in [0, 1] and is 1 exactly when every prediction is its label.</summary>
    [Property(MaxTest = 200)]
    public Property Accuracy_is_a_fraction_and_one_only_when_all_are_right() =>
        Prop.ForAll(Cases, c =>
        {
            var a = Metrics.Accuracy(c.Labels, c.Predictions);
            return a is >= 0 and <= 1 && (a == 1) == c.Labels.SequenceEqual(c.Predictions) && Metrics.Accuracy(c.Labels, c.Labels) == 1;
        });
}
