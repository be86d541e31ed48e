namespace Genre.Data.Tests.Mutation;

/// <summary>
/// pandas' <c>drop_duplicates()</c> compares all 20 data columns: two rows that differ in any one of them are both kept (found
/// by Stryker: bench/results/mutation.md — the existing tests varied only the genre and danceability).
/// </summary>
public class CleaningMutationTests
{
    static readonly Track Base = new(0, "id", "Artist", "Album", "Name", 10, 1000, false, 0.5, 0.5, 1, -5, 1,
        0.1, 0.1, 0, 0.1, 0.5, 120, 4, "pop");

    /// <summary>One change per data column (the row id is pandas' index, not a column).</summary>
    public static TheoryData<string> Columns => new(Track.Columns.Tail.ToArray());

    static Track Changed(string column) => column switch
    {
        "track_id" => Base with { TrackId = "other" },
        "artists" => Base with { Artists = "Other" },
        "album_name" => Base with { AlbumName = "Other" },
        "track_name" => Base with { TrackName = "Other" },
        "popularity" => Base with { Popularity = 11 },
        "duration_ms" => Base with { DurationMs = 1001 },
        "explicit" => Base with { Explicit = true },
        "danceability" => Base with { Danceability = 0.51 },
        "energy" => Base with { Energy = 0.51 },
        "key" => Base with { Key = 2 },
        "loudness" => Base with { Loudness = -5.5 },
        "mode" => Base with { Mode = 0 },
        "speechiness" => Base with { Speechiness = 0.11 },
        "acousticness" => Base with { Acousticness = 0.11 },
        "instrumentalness" => Base with { Instrumentalness = 0.01 },
        "liveness" => Base with { Liveness = 0.11 },
        "valence" => Base with { Valence = 0.51 },
        "tempo" => Base with { Tempo = 121 },
        "time_signature" => Base with { TimeSignature = 3 },
        "track_genre" => Base with { TrackGenre = "rock" },
        _ => throw new ArgumentException(column),
    };

    [Theory]
    [MemberData(nameof(Columns))]
    public void Rows_that_differ_in_one_column_are_both_kept(string column)
    {
        var other = Changed(column) with { RowId = 1 };
        Assert.NotEqual(Base, other with { RowId = 0 });
        Assert.Equal(Seq(0L, 1L), Cleaning.DropDuplicates(Seq(Base, other)).Map(t => t.RowId));
        Assert.False(Cleaning.RowContent.Comparer.Equals(Base, other));
        Assert.False(Cleaning.RowContent.Comparer.Equals(other, Base));
        Assert.True(Cleaning.RowContent.Comparer.Equals(other, other with { RowId = 9 }));
    }

    [Fact]
    public void A_missing_name_equals_only_a_missing_name_and_nulls_compare_by_reference()
    {
        var c = Cleaning.RowContent.Comparer;
        Assert.True(c.Equals(Base with { Artists = None }, Base with { Artists = None, RowId = 3 }));
        Assert.False(c.Equals(Base with { Artists = None }, Base));
        Assert.False(c.Equals(Base, Base with { AlbumName = None }));
        Assert.True(c.Equals(null, null));
        Assert.False(c.Equals(Base, null));
        Assert.False(c.Equals(null, Base));
        Assert.True(c.Equals(Base, Base));
        Assert.Equal(c.GetHashCode(Base), c.GetHashCode(Base with { RowId = 7, Artists = None }));
    }

    [Fact]
    public void Drop_missing_needs_all_three_names()
    {
        var tracks = Seq(Base, Base with { RowId = 1, AlbumName = None }, Base with { RowId = 2, TrackName = None },
            Base with { RowId = 3, Artists = None }, Base with { RowId = 4, TrackId = "x" });
        Assert.Equal(Seq(0L, 4L), Cleaning.DropMissing(tracks).Map(t => t.RowId));
        Assert.Equal(new CleaningCounts(5, 3, 0), Cleaning.Clean(tracks).Report);
        Assert.Equal(7, new CleaningCounts(10, 2, 1).RowsKept);
    }
}
