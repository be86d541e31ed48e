
namespace Genre.Properties;

public class SplitProperties
{
    [Property(MaxTest = 200)]
    public bool Split_is_a_partition_with_sklearns_sizes(PositiveInt size, uint seed, bool small)
    {
        var n = 5 + size.Get % (small ? 50 : 5000);
        var s = new Func<SplitIndices>(() => Split.TrainTestSplit(n, 0.2, seed).Match(x => x, e => throw new Exception(e.Message)))();
        var nTest = (int)Math.Ceiling(0.2 * n);
        var all = s.Train.Concat(s.Test).OrderBy(i => i).ToArray();
        return s.Test.Length == nTest && s.Train.Length == n - nTest && all.SequenceEqual(Enumerable.Range(0, n));
    }

    /// <summary>scikit-learn's ShuffleSplit: numpy's permutation of the rows, the first ⌈0.3·n⌉ for test, the rest for train.</summary>
    [Property(MaxTest = 100)]
    public bool The_split_is_numpys_permutation_cut_at_the_test_size(PositiveInt size, uint seed)
    {
        var n = 5 + size.Get % 2000;
        var s = Split.TrainTestSplit(n, 0.3, seed).Match(x => x, e => throw new Exception(e.Message));
        var permutation = new NumpyRandomState(seed).Permutation(n);
        var nTest = (int)Math.Ceiling(0.3 * n);
        return s.Test.SequenceEqual(permutation.Take(nTest)) && s.Train.SequenceEqual(permutation.Skip(nTest));
    }
}

public class ReductionProperties
{
    /// <summary>Valid mappings over the 114 genres (Genre.Testing's generator, valid by construction).</summary>
    static readonly Arbitrary<GenreMapping> Mappings = Arb.From(GenreGen.Mapping(KaggleGenres.FileOrder));

    [Property(MaxTest = 200)]
    public Property Reduction_is_total_idempotent_and_counts_classes() =>
        Prop.ForAll(Mappings, m =>
        {
            var genres = KaggleGenres.FileOrder;
            var once = genres.Map(m.Apply);
            var twice = once.Map(m.Apply);
            return once.Count == genres.Count && once.ForAll(g => g.Length > 0) && once == twice
                   && once.Distinct().Count() == genres.Count - m.MergedAway.Count;
        });

    static readonly Seq<Track> Small = Cleaning.Clean(Synthetic.Generate(5, 2)).Tracks;

    [Property(MaxTest = 30)]
    public Property Every_track_keeps_exactly_one_label_after_reduction() =>
        Prop.ForAll(Mappings, m =>
        {
            var prepared = ReportPipeline.Prepare(Small, Some(m)).Match(x => x, e => throw new Exception(e.Message));
            var labelled = prepared.Scaled.Train.Count + prepared.Scaled.Val.Count + prepared.Scaled.Test.Count;
            var all = prepared.Scaled.Train.Y.Concat(prepared.Scaled.Val.Y).Concat(prepared.Scaled.Test.Y);
            return labelled == Small.Count && all.All(y => y >= 0 && y < prepared.Genres.Count)
                   && prepared.Genres.Count == KaggleGenres.FileOrder.Count - m.MergedAway.Count;
        });

    /// <summary>Each kind of invalid mapping is refused, naming a genre it holds.</summary>
    [Property(MaxTest = 100)]
    public Property Every_kind_of_invalid_mapping_is_refused() =>
        Prop.ForAll(Arb.From(GenreGen.InvalidMapping(KaggleGenres.Sorted)), x =>
            GenreMapping.Create(x.Pairs).Match(_ => false, errs => errs.ForAll(e => e.Message.Contains(x.Pairs.Head.Source)
                || e.Message.Contains(x.Pairs.Head.Target) || x.Pairs.Exists(p => e.Message.Contains(p.Source)))));
}

public class ScalerProperties
{
    [Property(MaxTest = 200)]
    public bool Scaler_maps_its_training_data_into_the_unit_interval(NonEmptyArray<NormalFloat> values, PositiveInt cols)
    {
        var c = 1 + cols.Get % 5;
        var v = values.Get.Select(x => x.Get).ToArray();
        var rows = Math.Max(1, v.Length / c);
        var data = Enumerable.Range(0, rows * c).Select(i => v[i % v.Length]).ToArray();
        var m = new Matrix(rows, c, data);
        var t = MinMaxScaler.Fit(m).Transform(m);
        return t.Values.All(x => x >= -1e-12 && x <= 1 + 1e-12);
    }
}

public class CsvProperties
{
    /// <summary>Genre.Testing's CSV law on genre's writer and reader: hazardous names, BOM and CRLF included.</summary>
    [Property(MaxTest = 100)]
    public Property Written_tracks_read_back_identically() => Genre.Testing.Laws.CsvLaws.GenresWriterAndReader(30);
}

/// <summary>
/// Records holding arrays compare by value (issue 17): equal contents are equal with equal hashes; one changed value is not.
/// </summary>
public class ValueSemanticsProperties
{
    [Property(MaxTest = 200)]
    public bool Matrices_and_datasets_are_equal_exactly_when_their_values_are(
        NonEmptyArray<NormalFloat> values, PositiveInt at, NormalFloat other)
    {
        var v = values.Get.Select(x => x.Get).ToArray();
        var a = new Matrix(1, v.Length, v);
        var b = new Matrix(1, v.Length, (double[])v.Clone());
        var changed = (double[])v.Clone();
        var i = at.Get % v.Length;
        changed[i] = other.Get;
        var c = new Matrix(1, v.Length, changed);
        var ids = Enumerable.Range(0, 1).Select(x => (long)x).ToArray();
        var da = new Dataset(a, [0], Seq1("g"), ids);
        var db = new Dataset(b, [0], Seq1("g"), (long[])ids.Clone());
        return a == b && a.GetHashCode() == b.GetHashCode() && da == db && da.GetHashCode() == db.GetHashCode()
               && (c == a) == (other.Get.Equals(v[i])) && new Dataset(a, [1], Seq1("g"), ids) != da;
    }

    [Property(MaxTest = 100)]
    public bool Splits_and_scalers_compare_by_value(PositiveInt size, uint seed)
    {
        var n = 5 + size.Get % 500;
        var a = Split.TrainTestSplit(n, 0.2, seed).Match(x => x, e => throw new Exception(e.Message));
        var b = Split.TrainTestSplit(n, 0.2, seed).Match(x => x, e => throw new Exception(e.Message));
        var m = new Matrix(n, 1, Enumerable.Range(0, n).Select(x => (double)x).ToArray());
        return a == b && !ReferenceEquals(a.Train, b.Train) && a != (a with { Test = a.Test.Reverse().ToArray() }) == (a.Test.Length > 1)
               && MinMaxScaler.Fit(m) == MinMaxScaler.Fit(m with { Values = (double[])m.Values.Clone() });
    }
}
