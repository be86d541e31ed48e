namespace Genre.Data.Tests;

public class CleaningTests
{
    static Track T(long id, string trackId = "a", string genre = "pop", double dance = 0.5) =>
        new(id, trackId, "Artist", "Album", "Name", 10, 1000, false, dance, 0.5, 1, -5, 1,
            0.1, 0.1, 0, 0.1, 0.5, 120, 4, genre);

    [Fact]
    public void Drop_duplicates_ignores_the_row_id_and_keeps_the_first()
    {
        var tracks = Seq(T(0), T(1), T(2, genre: "rock"), T(3, dance: 0.6), T(4), T(5, genre: "rock"));
        Assert.Equal(Seq(0L, 2L, 3L), Cleaning.DropDuplicates(tracks).Map(t => t.RowId));
    }

    [Fact]
    public void Drop_missing_removes_rows_with_any_missing_text()
    {
        var tracks = Seq(T(0), T(1) with { TrackName = None }, T(2) with { Artists = None }, T(3, "b"));
        Assert.Equal(Seq(0L, 3L), Cleaning.DropMissing(tracks).Map(t => t.RowId));
    }

    [Fact]
    public void Clean_drops_missing_before_duplicates_and_reports_counts()
    {
        var tracks = Seq(T(0) with { Artists = None }, T(1) with { Artists = None }, T(2), T(3), T(4, "b"));
        var (kept, report) = Cleaning.Clean(tracks);
        Assert.Equal(Seq(2L, 4L), kept.Map(t => t.RowId));
        Assert.Equal(new CleaningCounts(5, 2, 1), report);
        Assert.Equal(2, report.RowsKept);
    }

    [Fact]
    public void Cleaning_matches_pandas_on_the_golden_files()
    {
        foreach (var name in new[] { "synthetic-small", "synthetic-tiny" })
        {
            var tracks = Ok(TrackCsv.Load(TestFiles.Golden(name + ".csv")));
            var expected = File.ReadAllLines(TestFiles.Golden(name + ".full.clean.txt")).Select(long.Parse);
            Assert.Equal(expected, Cleaning.Clean(tracks).Tracks.Map(t => t.RowId));
        }
    }
}
