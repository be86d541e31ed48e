using Genre.Data;
using Genre.Data.Stages;

namespace Genre.Eval;

/// <summary>
/// The report's preprocessing on an artist-aware split: no artist (the <c>artists</c> column as written, so "A;B" is its own
/// group) has rows in two subsets, so no test song shares its artist string with a training song. As scikit-learn's
/// <c>GroupShuffleSplit(n_splits=1, test_size=0.2, random_state=42)</c> on that column: the distinct artists sorted as
/// <c>np.unique</c> sorts them (by code point), 20% of them (rounded up) drawn for test by numpy's permutation, the rows of
/// each side in file order; then the same on the remaining rows for validation. The MinMax scaler is fitted on train.
/// </summary>
public static class ArtistAware
{
    /// <summary>Positions into <paramref name="cleaned"/>: (train, val, test), grouped by artists.</summary>
    public static Fin<(int[] Train, int[] Val, int[] Test)> Split(Seq<Track> cleaned)
    {
        var all = Enumerable.Range(0, cleaned.Count).ToArray();
        var artists = cleaned.Map(t => t.Artists.IfNone("")).ToArray();
        return from first in GroupShuffleSplit(all, artists)
               from second in GroupShuffleSplit(first.Train, artists)
               select (second.Train, second.Test, first.Test);
    }

    /// <summary>
    /// One <c>next(GroupShuffleSplit(1, test_size=0.2, random_state=42).split(rows, groups=artists[rows]))</c>, as positions
    /// into the whole table.
    /// </summary>
    static Fin<SplitIndices> GroupShuffleSplit(int[] rows, string[] artists)
    {
        var groups = rows.Select(r => artists[r]).Distinct().Order(CodePointOrder.Instance).ToArray();
        return Genre.Data.Split.TrainTestSplit(groups.Length, ReportPipeline.TestSize, ReportPipeline.RandomState).Map(s =>
        {
            var test = s.Test.Select(i => groups[i]).ToHashSet(StringComparer.Ordinal);
            var train = s.Train.Select(i => groups[i]).ToHashSet(StringComparer.Ordinal);
            return new SplitIndices(rows.Where(r => train.Contains(artists[r])).ToArray(),
                rows.Where(r => test.Contains(artists[r])).ToArray());
        });
    }

    /// <summary>As <see cref="ReportPipeline.Prepare(Seq{Track}, Option{GenreMapping}, Pipeline?)"/>, on the artist-aware
    /// split.</summary>
    public static Fin<PreparedData> Prepare(Seq<Track> cleaned, Option<GenreMapping> mapping, Pipeline? features = null) =>
        ReportData.PrepareOn(Split)(cleaned, mapping, features);

    /// <summary>The report's full and merged label sets on the artist-aware split.</summary>
    public static Fin<ReportData> Load(Seq<Track> cleaned) => ReportData.LoadOn(cleaned, Split, DataSplit.ArtistAware);

    /// <summary>numpy's string order: by Unicode code point (UTF-16 ordinal order differs above U+D7FF).</summary>
    internal sealed class CodePointOrder : IComparer<string>
    {
        public static readonly CodePointOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var a = (x ?? "").EnumerateRunes();
            var b = (y ?? "").EnumerateRunes();
            while (true)
            {
                var moreA = a.MoveNext();
                var moreB = b.MoveNext();
                if (!moreA || !moreB) return moreA.CompareTo(moreB);
                var c = a.Current.Value.CompareTo(b.Current.Value);
                if (c != 0) return c;
            }
        }
    }
}
