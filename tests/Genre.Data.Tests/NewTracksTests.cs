namespace Genre.Data.Tests;

/// <summary>Files of new tracks (no track_genre column) read as the Kaggle file is, with the same errors.</summary>
public class NewTracksTests
{
    static string Unlabelled(string kaggleText) =>
        string.Join("\n", kaggleText.Split('\n').Select(l => l.Length == 0 ? l : l[..l.LastIndexOf(',')]));

    [Fact]
    public void A_file_without_track_genre_reads_the_same_tracks_with_empty_genres()
    {
        var text = File.ReadAllText(TestFiles.Golden("synthetic-tiny.csv"));
        var labelled = Ok(TrackCsv.ParseNew(text, "l.csv"));
        var unlabelled = Ok(TrackCsv.ParseNew(Unlabelled(text), "u.csv"));
        Assert.True(labelled.HasGenre);
        Assert.False(unlabelled.HasGenre);
        Assert.Equal(Ok(TrackCsv.Parse(text, "l.csv")), labelled.Tracks);
        Assert.Equal(labelled.Tracks.Map(t => t with { TrackGenre = "" }), unlabelled.Tracks);
    }

    [Fact]
    public void The_training_loader_still_requires_track_genre()
    {
        var text = File.ReadAllText(TestFiles.Golden("synthetic-tiny.csv"));
        var e = Assert.Single(TestFiles.Errors(TrackCsv.Parse(Unlabelled(text), "u.csv")));
        Assert.Equal("u.csv:1: header is not the Kaggle header: missing column(s) track_genre", e);
    }

    [Fact]
    public void Bad_cells_and_short_rows_of_an_unlabelled_file_name_line_and_column()
    {
        var text = Unlabelled(File.ReadAllText(TestFiles.Golden("synthetic-tiny.csv")));
        var lines = text.Split('\n');
        var fields = lines[2].Split(',');
        fields[Track.Columns.ToList().IndexOf("tempo")] = "fast";
        lines[2] = string.Join(",", fields);
        lines[4] = lines[4][..lines[4].LastIndexOf(',')];
        var errors = TestFiles.Errors(TrackCsv.ParseNew(string.Join("\n", lines), "n.csv"));
        Assert.Equal(2, errors.Count);
        Assert.Equal("n.csv:3: column 'tempo': 'fast' is not a number", errors[0]);
        Assert.Equal("n.csv:5: column 'time_signature': expected 20 fields, found 19 (truncated line?)", errors[1]);
    }

    [Fact]
    public void A_missing_feature_column_is_a_header_error_in_either_form()
    {
        var header = string.Join(",", Track.Columns.Init.Filter(c => c != "tempo"));
        var e = Assert.Single(TestFiles.Errors(TrackCsv.ParseNew(header + "\n", "m.csv")));
        Assert.Equal("m.csv:1: header is not the Kaggle header: missing column(s) tempo", e);
    }

    [Fact]
    public void An_empty_file_is_an_error_naming_line_1()
    {
        var path = Path.Combine(TestFiles.TempDir(), "empty.csv");
        File.WriteAllText(path, "");
        Assert.Equal($"{path}:1: empty file (expected the Kaggle header)", Assert.Single(TestFiles.Errors(TrackCsv.LoadNew(path))));
    }
}
