namespace Genre.Data.Tests.Mutation;

/// <summary>
/// The storage module's own tests (Stryker over <c>Storage/</c> found them only in other projects or not at all): every column of
/// the Kaggle CSV names itself in its error, header errors name what is wrong, crc32c matches its published check value and
/// TensorFlow's mask, and an atomic write replaces, creates folders and fails without leaving a temporary file.
/// </summary>
public class StorageMutationTests
{
    const string Header = TestFiles.KaggleHeader;

    static readonly string[] Good = ("0,5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0," +
                                     "0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic").Split(',');

    static string Row(int column, string value)
    {
        var cells = (string[])Good.Clone();
        cells[column] = value;
        return string.Join(",", cells);
    }

    static string Messages(string text) =>
        TrackCsv.Parse(text, "t.csv").Match(_ => "ok", errors => string.Join("\n", errors.Map(e => e.Message)));

    public static TheoryData<int, string, string> BadCells() => new()
    {
        { 0, "x", "column '(index)': 'x' is not an integer" },
        { 1, "", "column 'track_id': empty value" },
        { 5, "", "column 'popularity': empty value" },
        { 5, "7.5", "column 'popularity': '7.5' is not an integer" },
        { 6, "x", "column 'duration_ms': 'x' is not an integer" },
        { 6, "-1", "column 'duration_ms': negative duration '-1'" },
        { 7, "", "column 'explicit': empty value" },
        { 7, "yes", "column 'explicit': 'yes' is not True/False" },
        { 8, "", "column 'danceability': empty value" },
        { 8, "x", "column 'danceability': 'x' is not a number" },
        { 9, "inf", "column 'energy': 'inf' is not a finite number" },
        { 9, "-Infinity", "column 'energy': '-Infinity' is not a finite number" },
        { 9, "nan", "column 'energy': 'nan' is not a finite number" },
        { 10, "x", "column 'key': 'x' is not an integer" },
        { 11, "x", "column 'loudness': 'x' is not a number" },
        { 12, "x", "column 'mode': 'x' is not an integer" },
        { 13, "x", "column 'speechiness': 'x' is not a number" },
        { 14, "x", "column 'acousticness': 'x' is not a number" },
        { 15, "x", "column 'instrumentalness': 'x' is not a number" },
        { 16, "x", "column 'liveness': 'x' is not a number" },
        { 17, "x", "column 'valence': 'x' is not a number" },
        { 18, "x", "column 'tempo': 'x' is not a number" },
        { 19, "x", "column 'time_signature': 'x' is not an integer" },
        { 20, "", "column 'track_genre': empty value" },
    };

    [Theory]
    [MemberData(nameof(BadCells))]
    public void Every_column_names_itself_in_its_error(int column, string value, string message) =>
        Assert.Equal($"t.csv:2: {message}", Messages(Header + "\n" + Row(column, value) + "\n"));

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    public void Explicit_reads_every_spelling_pandas_writes(string text, bool value) =>
        Assert.Equal(value, Ok(TrackCsv.Parse(Header + "\n" + Row(7, text) + "\n", "t.csv")).Head.Explicit);

    [Fact]
    public void A_zero_duration_and_blank_lines_are_accepted()
    {
        var tracks = Ok(TrackCsv.Parse(Header + "\n\n" + Row(6, "0") + "\n\n", "t.csv"));
        Assert.Equal(0, tracks.Single().DurationMs);
    }

    [Fact]
    public void A_row_with_too_many_or_too_few_fields_says_how_many()
    {
        Assert.Equal("t.csv:2: column '(extra)': expected 21 fields, found 22",
            Messages(Header + "\n" + string.Join(",", Good) + ",x\n"));
        Assert.Equal("t.csv:2: column 'track_genre': expected 21 fields, found 20 (truncated line?)",
            Messages(Header + "\n" + string.Join(",", Good.Take(20)) + "\n"));
    }

    [Fact]
    public void A_bad_row_is_not_kept_and_only_the_first_errors_are_shown()
    {
        var rows = Enumerable.Range(0, 30).Select(_ => Row(8, "x"));
        var messages = Messages(Header + "\n" + string.Join("\n", rows) + "\n").Split('\n');
        Assert.Equal(TrackCsv.MaxErrors + 1, messages.Length);
        Assert.Equal($"t.csv: {30 - TrackCsv.MaxErrors} more error(s) not shown (30 in all)", messages[^1]);
    }

    [Fact]
    public void A_header_error_names_unnamed_extra_missing_and_repeated_columns()
    {
        static string HeaderError(string header) => Messages(header + "\n");
        Assert.Equal("t.csv:1: header is not the Kaggle header: missing column(s) (unnamed index)",
            HeaderError(Header[1..]));
        Assert.Equal("t.csv:1: header is not the Kaggle header: repeated column(s) (unnamed)", HeaderError(Header + ","));
        var eleven = string.Join(",", Enumerable.Range(1, 11).Select(i => $"x{i}"));
        Assert.Equal("t.csv:1: header is not the Kaggle header: unexpected column(s) x1, x2, x3, x4, x5, x6, x7, x8, x9, x10 " +
                     "and 1 more", HeaderError(Header + "," + eleven));
        var ten = string.Join(",", Enumerable.Range(1, 10).Select(i => $"x{i}"));
        Assert.EndsWith("x9, x10", HeaderError(Header + "," + ten));
        Assert.Equal("t.csv:1: header is not the Kaggle header: repeated column(s) tempo", HeaderError(Header + ",tempo"));
    }

    [Theory]
    [InlineData("\"quoted", "\"\"\"quoted\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData(",lead", "\",lead\"")]
    [InlineData("plain", "plain")]
    public void A_field_is_quoted_when_it_holds_a_delimiter_quote_or_break_even_at_its_start(string field, string written) =>
        Assert.Equal(written, TrackCsv.Quote(field));

    [Fact]
    public void Crc32c_has_its_published_check_value_and_tensorflows_mask()
    {
        Assert.Equal(0xE3069283u, Crc32c.Compute("123456789"u8));
        // eight bytes and a tail of one, and exactly eight: the 8-byte steps and the byte steps agree
        Assert.Equal(Crc32c.Extend(Crc32c.Compute("12345678"u8), "9"u8), Crc32c.Compute("123456789"u8));
        Assert.Equal(0xa282ead8u, Crc32c.Mask(0));
        Assert.Equal(0xa282ead8u + (1u << 17), Crc32c.Mask(1));
        Assert.Equal(0xa282ead8u + (1u << 15), Crc32c.Mask(1u << 30));
        foreach (var crc in new[] { 0u, 1u, 0xE3069283u, uint.MaxValue, 0x80000001u })
            Assert.Equal(crc, Crc32c.Unmask(Crc32c.Mask(crc)));
        Assert.Equal(1u << 15, Crc32c.Unmask(0xa282ead8u + 1u));
    }

    static string NewFolder() => Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void An_atomic_write_creates_its_folder_replaces_the_file_and_leaves_no_temporary_file()
    {
        var dir = Path.Combine(NewFolder(), "a", "b");
        var path = Path.Combine(dir, "f.txt");
        Ok(AtomicFile.WriteAllText(path, "first"));
        Ok(AtomicFile.WriteAllText(path, "second"));
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(new[] { "f.txt" }, Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_failed_atomic_write_is_an_io_error_naming_the_path_and_leaves_nothing()
    {
        var dir = NewFolder();
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "taken");
        Directory.CreateDirectory(path); // a folder where the file should go: the final move fails
        var e = Fail(AtomicFile.WriteAllText(path, "x"));
        Assert.StartsWith($"{path}: cannot write (", e);
        Assert.Equal(new[] { "taken" }, Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Files_name_an_unreadable_file_and_a_file_that_is_not_there()
    {
        var dir = NewFolder();
        Directory.CreateDirectory(dir);
        Assert.Equal($"{Path.Combine(dir, "none")}: file not found", Fail(Files.ReadText(Path.Combine(dir, "none"))));
        Assert.StartsWith($"{dir}: cannot read (", Fail(Files.ReadBytes(dir))); // a folder cannot be read as a file
        Assert.StartsWith($"{dir}: cannot remove the plan (", Fail(Files.Delete(dir, "the plan")));
        Ok(Files.Delete(Path.Combine(dir, "none")));
    }

    [Fact]
    public void A_checksummed_file_is_indented_when_asked_except_an_empty_object()
    {
        var indented = ChecksummedJson.Format(new System.Text.Json.Nodes.JsonObject { ["a"] = 1 }, indented: true);
        Assert.Matches("^\\{\n  \"a\": 1,\n  \"crc32c\": \"[0-9a-f]{8}\"\n\\}$", indented);
        var empty = ChecksummedJson.Format(new System.Text.Json.Nodes.JsonObject(), indented: true);
        Assert.Matches("^\\{\"crc32c\":\"[0-9a-f]{8}\"\\}$", empty);
    }

    [Theory]
    [InlineData("{\"crc32c\":\"00000000\",\"a\":1}", true)]  // the member, but not last
    [InlineData("{\"a\":1,\"crc33c\":\"zz\"}", true)]        // a name one character away
    [InlineData("{\"a\":1,\"foo\":\"0123abcd\"}", true)]     // a value that is a stamp
    [InlineData("{\"a\":1,\"crc32cc\":\"zz\"}", false)]      // another length: an ordinary member
    [InlineData("{\"a\":1,\"crd33c\":\"zz\"}", false)]       // two characters away
    [InlineData("{\"a\":1}", false)]
    public void A_damaged_stamp_is_told_from_a_file_without_one(string text, bool damaged)
    {
        var message = Fail(ChecksummedJson.Parse(text, "f.json"));
        Assert.Equal(damaged, message.Contains("the checksum member is mangled"));
        Assert.Equal(!damaged, message.Contains("has no checksum"));
    }

    [Fact]
    public void Invalid_json_names_the_line_and_byte_counting_from_one()
    {
        var e = Fail(Json.Parse("{\n  \"a\": x}", "f.json", m => LanguageExt.Common.Error.New(m)));
        Assert.Equal("f.json: not valid JSON (line 2, byte 8)", e);
        Assert.Equal("f.json: not a JSON object", Fail(Json.Parse("[1]", "f.json", m => LanguageExt.Common.Error.New(m))
            .Bind(n => Json.Object(n).ToFin(LanguageExt.Common.Error.New("f.json: not a JSON object")))));
    }

    [Fact]
    public void Json_refuses_a_repeated_member_and_an_earlier_file_in_the_working_folder_names_it()
    {
        // .NET gives a repeated member no position: the message says what is wrong instead of "(line , byte )"
        Assert.Equal("f.json: not valid JSON (a member is named twice in one object)",
            Fail(Json.Parse("{\"a\":{\"b\":1,\"b\":2}}", "f.json", m => LanguageExt.Common.Error.New(m))));
        Assert.Equal("f.json has no checksum (written by an earlier genre): run genre migrate .",
            EarlierFormat.Refused("f.json", "has no checksum").Message);
    }

    [Fact]
    public void A_file_of_new_tracks_without_track_genre_reads_its_rows()
    {
        var header = Header[..Header.LastIndexOf(',')];
        var row = string.Join(",", Good.Take(20));
        var file = Ok(TrackCsv.ParseNew(header + "\n" + row + "\n", "new.csv"));
        Assert.False(file.HasGenre);
        Assert.Equal("5SuOikwiRyPMVoIQDJUgSV", file.Tracks.Single().TrackId);
    }
}
