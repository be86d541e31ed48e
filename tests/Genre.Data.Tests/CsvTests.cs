using System.Globalization;

namespace Genre.Data.Tests;

public class CsvTests
{
    const string Header = TestFiles.KaggleHeader;

    static string Row(long id,
        string rest = "5SuOikwiRyPMVoIQDJUgSV,Gen " +
            "Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic")
        => $"{id},{rest}";

    [Fact]
    public void Parses_quoted_fields_scientific_numbers_and_booleans()
    {
        var text = Header + "\n" +
            "0,id0,\"Smith, John;Doe\",\"He said \"\"hi\"\"\",Tëst " +
                "夜,73,230666,True,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,j-pop\n";
        var t = Ok(TrackCsv.Parse(text, "x.csv")).Single();
        Assert.Equal(Some("Smith, John;Doe"), t.Artists);
        Assert.Equal(Some("He said \"hi\""), t.AlbumName);
        Assert.Equal(Some("Tëst 夜"), t.TrackName);
        Assert.True(t.Explicit);
        Assert.Equal(1.01e-06, t.Instrumentalness);
        Assert.Equal(-6.746, t.Loudness);
        Assert.Equal(230666, t.DurationMs);
        Assert.Equal("j-pop", t.TrackGenre);
    }

    /// <summary>Issue 18: a message quoting a cell or a header name stays one line, whatever the cell holds.</summary>
    [Fact]
    public void Line_breaks_and_control_characters_in_quoted_text_are_escaped_in_messages()
    {
        var text = Header.Replace("tempo", "\"tem\npo\"") + "\n";
        var header = Assert.Single(TestFiles.Errors(TrackCsv.Parse(text, "x.csv")));
        Assert.Equal("x.csv:1: header is not the Kaggle header: missing column(s) tempo; unexpected column(s) tem\\npo", header);
        var cell = Assert.Single(TestFiles.Errors(TrackCsv.Parse(Header + "\n" + Row(0).Replace("0.676", "\"0.6\r\n7\u00016\"") + "\n",
            "x.csv")));
        Assert.Equal("x.csv:2: column 'danceability': '0.6\\r\\n7\\u00016' is not a number", cell);
    }

    [Fact]
    public void Empty_text_columns_are_missing_values_not_errors()
    {
        var t = Ok(TrackCsv.Parse(Header + "\n" + Row(7, "id,,,,0,1000,False,0.5,0.5,0,-5.0,1,0.1,0.1,0.0,0.1,0.5,120.0,4,pop") + "\n",
            "x.csv")).Single();
        Assert.True(t.Artists.IsNone && t.AlbumName.IsNone && t.TrackName.IsNone);
        Assert.Equal(7, t.RowId);
    }

    [Fact]
    public void Header_only_is_an_empty_table_and_a_bom_is_accepted() =>
        Assert.Empty(Ok(TrackCsv.Parse("\uFEFF" + Header + "\n", "x.csv")));

    [Fact]
    public void Empty_file_is_an_error_naming_the_file()
    {
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "empty.csv");
        File.WriteAllText(path, "");
        var e = Assert.Single(TestFiles.Errors(TrackCsv.Load(path)));
        Assert.Contains("empty.csv:1", e);
    }

    [Theory]
    [InlineData("track_id", "trackid", "missing column(s) track_id")]
    [InlineData(",tempo,", ",tempo,extra,", "unexpected column(s) extra")]
    [InlineData(",valence,", ",", "missing column(s) valence")]
    public void Header_errors_name_the_column(string from, string to, string expected)
    {
        var e = Assert.Single(TestFiles.Errors(TrackCsv.Parse(Header.Replace(from, to) + "\n", "h.csv")));
        Assert.StartsWith("h.csv:1: header", e);
        Assert.Contains(expected, e);
    }

    [Fact]
    public void Bad_cells_are_collected_with_file_line_and_column()
    {
        var text = Header + "\n" + Row(0) + "\n" +
            Row(1).Replace(",73,", ",abc,") + "\n" +
            Row(2).Replace("0.676", "nan").Replace("230666", "-5") + "\n" +
            Row(3).Replace("87.917", "inf") + "\n" +
            Row(4).Replace(",False,", ",maybe,") + "\n";
        var errors = TestFiles.Errors(TrackCsv.Parse(text, "bad.csv"));
        Assert.Contains("bad.csv:3: column 'popularity': 'abc' is not an integer", errors);
        Assert.Contains("bad.csv:4: column 'duration_ms': negative duration '-5'", errors);
        Assert.Contains("bad.csv:4: column 'danceability': 'nan' is not a finite number", errors);
        Assert.Contains("bad.csv:5: column 'tempo': 'inf' is not a finite number", errors);
        Assert.Contains("bad.csv:6: column 'explicit': 'maybe' is not True/False", errors);
        Assert.Equal(5, errors.Count);
    }

    [Fact]
    public void A_truncated_last_line_is_an_error_naming_its_line()
    {
        var full = Header + "\n" + Row(0) + "\n" + Row(1);
        var text = full[..^30];
        var e = Assert.Single(TestFiles.Errors(TrackCsv.Parse(text, "t.csv")));
        Assert.StartsWith("t.csv:3:", e);
        Assert.Contains("truncated", e);
    }

    [Fact]
    public void Error_collection_is_capped_even_when_rows_have_several_bad_cells()
    {
        var rows = Enumerable.Range(0, 100).Select(i => Row(i).Replace(",73,", ",x,").Replace("87.917", "fast"));
        var errors = TestFiles.Errors(TrackCsv.Parse(Header + "\n" + string.Join("\n", rows) + "\n", "many.csv"));
        Assert.Equal(TrackCsv.MaxErrors + 1, errors.Count);
        Assert.Equal("many.csv:2: column 'popularity': 'x' is not an integer", errors[0]);
        Assert.Equal("many.csv:2: column 'tempo': 'fast' is not a number", errors[1]);
        Assert.Equal("many.csv: 180 more error(s) not shown (200 in all)", errors.Last());
    }

    [Fact]
    public void A_repeated_header_column_is_a_header_error_not_an_exception()
    {
        var e = Assert.Single(TestFiles.Errors(TrackCsv.Parse(Header.Replace(",tempo,", ",energy,") + "\n" + Row(0) + "\n", "dup.csv")));
        Assert.Equal("dup.csv:1: header is not the Kaggle header: missing column(s) tempo; repeated column(s) energy", e);
    }

    [Fact]
    public void Columns_out_of_order_are_a_header_error()
    {
        var e = Assert.Single(TestFiles.Errors(TrackCsv.Parse(Header.Replace("tempo,time_signature", "time_signature,tempo") + "\n",
            "o.csv")));
        Assert.Equal("o.csv:1: header is not the Kaggle header: columns are out of order", e);
    }

    [Fact]
    public void Quoted_line_breaks_stay_in_the_field_and_later_line_numbers_count_them()
    {
        var text = Header + "\n" + Row(0).Replace("Comedy,Comedy", "\"Two\nlines\",\"a \"\"b\"\", c\"") + "\n" + Row(1)
            .Replace(",73,", ",x,") + "\n";
        var e = Assert.Single(TestFiles.Errors(TrackCsv.Parse(text, "nl.csv")));
        Assert.Equal("nl.csv:4: column 'popularity': 'x' is not an integer", e);
        var t = Ok(TrackCsv.Parse(Header + "\n" + Row(0).Replace("Comedy,Comedy", "\"Two\nlines\",\"a \"\"b\"\", c\"") + "\n", "nl.csv"))
            .Single();
        Assert.Equal(Some("Two\nlines"), t.AlbumName);
        Assert.Equal(Some("a \"b\", c"), t.TrackName);
    }

    [Fact]
    public void Crlf_line_ends_and_blank_lines_are_read_as_pandas_reads_them()
    {
        var crlf = Ok(TrackCsv.Parse(Header + "\r\n" + Row(0) + "\r\n" + Row(1) + "\r\n", "c.csv"));
        Assert.Equal(Seq(0L, 1L), crlf.Map(t => t.RowId));
        Assert.Equal("acoustic", crlf[1].TrackGenre);
        var blank = Ok(TrackCsv.Parse(Header + "\n" + Row(0) + "\n\n" + Row(1) + "\n\n", "b.csv"));
        Assert.Equal(Seq(0L, 1L), blank.Map(t => t.RowId));
    }

    [Fact]
    public void A_file_with_a_bom_loads_and_header_without_line_end_is_an_empty_table()
    {
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "bom.csv");
        File.WriteAllText(path, Header + "\n" + Row(5) + "\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);
        Assert.Equal(5, Ok(TrackCsv.Load(path)).Single().RowId);
        Assert.Empty(Ok(TrackCsv.Parse(Header, "h.csv")));
    }

    [Fact]
    public void More_bad_cells_name_line_and_column()
    {
        var text = Header + "\n" +
            Row(0).Replace(",73,", ",73.0,") + "\n" +
            Row(1).Replace("87.917", "1e400") + "\n" +
            Row(2).Replace(",acoustic", ",") + "\n" +
            Row(3).Replace("5SuOikwiRyPMVoIQDJUgSV", "") + "\n" +
            Row(4) + ",extra\n" +
            Row(5).Replace("0.676", "-Infinity") + "\n" +
            "x" + Row(6) + "\n";
        var errors = TestFiles.Errors(TrackCsv.Parse(text, "m.csv"));
        Assert.Equal(Seq(
            "m.csv:2: column 'popularity': '73.0' is not an integer",
            "m.csv:3: column 'tempo': '1e400' is not a finite number",
            "m.csv:4: column 'track_genre': empty value",
            "m.csv:5: column 'track_id': empty value",
            "m.csv:6: column '(extra)': expected 21 fields, found 22",
            "m.csv:7: column 'danceability': '-Infinity' is not a finite number",
            "m.csv:8: column '(index)': 'x6' is not an integer"), errors);
    }

    [Fact]
    public void Python_float_repr_matches_python_vectors()
    {
        foreach (var line in File.ReadAllLines(TestFiles.Golden("python_float_repr.txt")))
        {
            var parts = line.Split(' ');
            var bits = BitConverter.ToDouble(Convert.FromHexString(parts[0]));
            Assert.Equal(parts[1], PythonFloat.Repr(bits));
        }
    }

    [Fact]
    public void Writing_a_loaded_file_reproduces_it_byte_for_byte()
    {
        var path = TestFiles.Golden("synthetic-small.csv");
        var tracks = Ok(TrackCsv.Load(path));
        Assert.Equal(File.ReadAllText(path), TrackCsv.Format(tracks));
    }

    [Fact]
    public void Quote_minimal_only_when_needed()
    {
        Assert.Equal("plain", TrackCsv.Quote("plain"));
        Assert.Equal("a;b", TrackCsv.Quote("a;b"));
        Assert.Equal("\"a,b\"", TrackCsv.Quote("a,b"));
        Assert.Equal("\"say \"\"x\"\"\"", TrackCsv.Quote("say \"x\""));
        Assert.Equal("\"line\nbreak\"", TrackCsv.Quote("line\nbreak"));
    }
}
