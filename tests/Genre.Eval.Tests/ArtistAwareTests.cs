namespace Genre.Eval.Tests;

public class ArtistAwareTests
{
    static Track T(long row, string artists, string genre) => new(row, $"t{row}", Some(artists), Some("album"), Some("name"), 50,
        200_000, false, 0.5, 0.5, 1, -6, 1, 0.1, 0.1, 0, 0.1, 0.5, 120, 4, genre);

    static Seq<Track> Tracks(int artists, int songsEach) =>
        Enumerable.Range(0, artists * songsEach)
            .Select(i => T(i, $"artist {i % artists:D3}", (i % 3) switch { 0 => "pop", 1 => "jazz", _ => "rock" })).ToSeq();

    [Fact]
    public void No_artist_has_rows_in_two_subsets_and_the_groups_split_as_scikit_learn_sizes_them()
    {
        var tracks = Tracks(50, 4);
        var (train, val, test) = Ok(ArtistAware.Split(tracks));
        Assert.Equal(Enumerable.Range(0, 200), train.Concat(val).Concat(test).Order());
        System.Collections.Generic.HashSet<string> ArtistsOf(int[] rows) => rows.Select(i => tracks[i].Artists.IfNone("")).ToHashSet();
        Assert.Empty(ArtistsOf(train).Intersect(ArtistsOf(test)));
        Assert.Empty(ArtistsOf(train).Intersect(ArtistsOf(val)));
        Assert.Empty(ArtistsOf(val).Intersect(ArtistsOf(test)));
        Assert.Equal(10, ArtistsOf(test).Count); // ceil(0.2 · 50)
        Assert.Equal(8, ArtistsOf(val).Count);   // ceil(0.2 · 40)
        Assert.Equal(test.Order(), test);        // rows in file order, as np.flatnonzero gives them
    }

    [Fact]
    public void The_artists_drawn_for_test_are_the_sorted_artists_at_numpys_permutation()
    {
        // GroupShuffleSplit permutes np.unique(groups) (sorted), so the file's row order does not change which artists go to test
        var tracks = Tracks(20, 2);
        var shuffled = tracks.Reverse().ToSeq();
        string[] TestArtists(Seq<Track> t) =>
            Ok(ArtistAware.Split(t)).Test.Select(i => t[i].Artists.IfNone("")).Distinct().Order().ToArray();
        Assert.Equal(TestArtists(tracks), TestArtists(shuffled));
        var sorted = tracks.Map(t => t.Artists.IfNone("")).Distinct().Order(StringComparer.Ordinal).ToArray();
        var permutation = Ok(Split.TrainTestSplit(sorted.Length, 0.2, 42)).Test;
        Assert.Equal(permutation.Select(i => sorted[i]).Order(), TestArtists(tracks));
    }

    [Fact]
    public void Artists_sort_by_code_point_as_numpy_sorts_them_not_by_utf16_unit()
    {
        string[] names = ["\U0001F600 band", "\uFF21 band", "A band", "a band"];
        Assert.Equal(new[] { "A band", "a band", "\uFF21 band", "\U0001F600 band" }, names.Order(ArtistAware.CodePointOrder.Instance));
        Assert.True(string.CompareOrdinal("\U0001F600", "\uFF21") < 0); // UTF-16 ordinal would put the emoji first
    }

    [Fact]
    public void The_artist_aware_data_is_prepared_on_its_own_split()
    {
        var data = Ok(ArtistAware.Load(Tracks(30, 4)));
        Assert.Equal(DataSplit.ArtistAware, data.Split);
        Assert.Equal("artist-aware", ExperimentJson.SplitName(data.Split));
        Assert.Equal(120, data.Full.Scaled.Train.Count + data.Full.Scaled.Val.Count + data.Full.Scaled.Test.Count);
    }
}
