using System.Text.Json.Nodes;

namespace Genre.Data.Tests.Mutation;

/// <summary>
/// What Stryker's runs over <c>Storage/</c>, <c>Domain/</c> and <c>NumpyPorts/</c> left unchecked (issue 24): the Kaggle CSV
/// reader's messages for empty files, lists of columns, one-field lines and signed non-finite words; the JSON reader's
/// messages; an atomic write that meets an unexpected exception; the folder lock's file as people read it while it is held;
/// the synthetic file's promises about its duplicate rows and its one row without names; and the normal quantile's regions.
/// </summary>
public class StorageDomainSurvivorsMutationTests
{
    const string Header = TestFiles.KaggleHeader;

    static readonly string[] Good = ("0,5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0," +
                                     "0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic").Split(',');

    static string Messages<A>(Validation<LanguageExt.Common.Error, A> v) =>
        v.Match(_ => "ok", errors => string.Join("\n", errors.Map(e => e.Message)));

    // ---------------------------------------------------------------- TrackCsv

    [Fact]
    public void Empty_text_is_refused_naming_the_file_and_line_one() =>
        Assert.Equal("e.csv:1: empty file (expected the Kaggle header)", Messages(TrackCsv.Parse("", "e.csv")));

    [Fact]
    public void A_text_that_is_only_a_byte_order_mark_has_no_header_either() =>
        Assert.Equal("b.csv:1: empty file (expected the Kaggle header)", Messages(TrackCsv.ParseNew("\uFEFF", "b.csv")));

    [Fact]
    public void Several_missing_columns_are_listed_with_commas()
    {
        var header = Header.Replace(",artists,album_name,", ",", StringComparison.Ordinal);
        Assert.Equal("t.csv:1: header is not the Kaggle header: missing column(s) artists, album_name",
            Messages(TrackCsv.Parse(header + "\n", "t.csv")));
    }

    [Fact]
    public void Several_repeated_columns_are_listed_with_commas_in_header_order() =>
        Assert.Equal("t.csv:1: header is not the Kaggle header: repeated column(s) key, tempo",
            Messages(TrackCsv.Parse(Header + ",tempo,key\n", "t.csv")));

    [Fact]
    public void A_line_of_one_field_is_a_truncated_row_not_a_blank_line() =>
        Assert.Equal("t.csv:2: column 'track_id': expected 21 fields, found 1 (truncated line?)",
            Messages(TrackCsv.Parse(Header + "\nabc\n", "t.csv")));

    // .NET parses "Infinity", "+nan" and the like itself; these are the spellings it refuses, signs and all
    [Theory]
    [InlineData("-inf")]
    [InlineData("++infinity")]
    [InlineData("--nan")]
    public void A_signed_non_finite_word_is_not_a_finite_number(string value)
    {
        var cells = (string[])Good.Clone();
        cells[9] = value;
        Assert.Equal($"t.csv:2: column 'energy': '{value}' is not a finite number",
            Messages(TrackCsv.Parse(Header + "\n" + string.Join(",", cells) + "\n", "t.csv")));
    }

    // ---------------------------------------------------------------- Json

    static string JsonError<A>(Fin<A> fin) => fin.Match(_ => "ok", e => e.Message);

    [Fact]
    public void Json_names_bad_utf8_and_a_null_document()
    {
        Assert.Equal("w: not valid UTF-8 text", JsonError(Json.Parse(new byte[] { (byte)'"', 0xFF, (byte)'"' }, "w", GenreError.Data)));
        Assert.Equal("w: holds JSON null where an object or array belongs", JsonError(Json.Parse("null", "w", GenreError.Data)));
    }

    [Fact]
    public void Json_read_object_names_a_file_that_holds_an_array()
    {
        var path = Path.Combine(TestFiles.TempDir(), "a.json");
        File.WriteAllText(path, "[1]");
        Assert.Equal($"{path}: not a JSON object", JsonError(Json.ReadObject(path, GenreError.Data)));
    }

    [Fact]
    public void Json_finite_keeps_numbers_and_nulls_what_json_cannot_hold()
    {
        Assert.Equal(1.5, Json.Finite(1.5)!.GetValue<double>());
        Assert.Null(Json.Finite(double.NaN));
        Assert.Null(Json.Finite(double.NegativeInfinity));
    }

    // JsonNode.Parse throws ArgumentException only for unsupported options, so the guard is reached when the caller's error
    // factory throws: an InvalidOperationException from it is caught and the factory asked again with the guard's message;
    // any other exception passes through as it was thrown
    [Fact]
    public void Json_guard_catches_only_argument_and_invalid_operation_exceptions()
    {
        var guarded = Assert.Throws<InvalidOperationException>(() => Json.Parse("null", "w", m => throw new InvalidOperationException(m)));
        Assert.Equal("w: not valid JSON", guarded.Message);
        var other = Assert.Throws<InvalidDataException>(() => Json.Parse("null", "w", m => throw new InvalidDataException(m)));
        Assert.Equal("w: holds JSON null where an object or array belongs", other.Message);
    }

    // ---------------------------------------------------------------- AtomicFile and FolderLock

    [Fact]
    public void An_unexpected_exception_in_an_atomic_write_propagates_and_leaves_no_temporary_file()
    {
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "x.bin");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(1);
            throw new InvalidOperationException("boom");
        }));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void The_lock_file_holds_just_the_holders_pid_on_disk_while_held()
    {
        var dir = TestFiles.TempDir();
        var file = Path.Combine(dir, FolderLock.FileName);
        File.WriteAllText(file, new string('9', 64) + "\n");   // a longer id left by an earlier holder
        var pid = $"{Environment.ProcessId}\n";
        using (Ok(FolderLock.Acquire(dir)))
        {
            // what someone running cat sees now: the size on disk, read without opening the locked file
            Assert.Equal(pid.Length, new FileInfo(file).Length);
        }
        Assert.Equal(pid, File.ReadAllText(file));
    }

    // ---------------------------------------------------------------- Synthetic

    // Synthetic's promises (its doc comments): 450 exact duplicate rows per 114,000, each repeating the row before it (never
    // one row repeated twice in a row), and one row with empty artists, album and track name. These seeds draw duplicate
    // positions at the missing-name row (166), just after it (42), or just after (66) or before (70) an earlier duplicate,
    // which the generator must refuse.
    [Theory]
    [InlineData(42, 20)]
    [InlineData(166, 20)]
    [InlineData(66, 20)]
    [InlineData(70, 20)]
    public void Synthetic_has_its_share_of_duplicate_pairs_and_one_row_without_names(int seed, int rowsPerGenre)
    {
        var rows = Synthetic.Generate(seed, rowsPerGenre).ToArray();
        var want = (int)Math.Round(rows.Length * 450.0 / 114_000);
        static bool Same(Track a, Track b) => a with { RowId = 0 } == b with { RowId = 0 };
        var repeats = Enumerable.Range(1, rows.Length - 1).Where(i => Same(rows[i], rows[i - 1])).ToArray();
        Assert.Equal(want, repeats.Length);
        Assert.DoesNotContain(repeats, i => repeats.Contains(i + 1));
        Assert.Single(rows, t => t.Artists.IsNone && t.AlbumName.IsNone && t.TrackName.IsNone);
    }

    // ---------------------------------------------------------------- NormalDistribution

    static double Halley(double x, double p)
    {
        var e = NormalDistribution.Phi(x) - p;
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    static double Central(double p)
    {
        var q = p - 0.5;
        var r = q * q;
        return Halley(NormalDistribution.Horner(NormalDistribution.CentralNumerator, r) * q /
                      (NormalDistribution.Horner(NormalDistribution.CentralDenominator, r) * r + 1), p);
    }

    // TailBelow itself, and 1 − TailBelow, belong to the central region ("p below it (or above 1 − it) takes the tail form"),
    // as in the exported ONNX graph; the two forms differ there by about 1e-12
    [Fact]
    public void Probit_at_the_region_bounds_takes_the_central_form()
    {
        Assert.Equal(Central(NormalDistribution.TailBelow), NormalDistribution.Probit(NormalDistribution.TailBelow));
        Assert.Equal(Central(1 - NormalDistribution.TailBelow), NormalDistribution.Probit(1 - NormalDistribution.TailBelow));
    }

    // erfc(3) from Python's math.erfc; the series 1 − erf(z) would lose about 12 digits there to cancellation
    [Fact]
    public void Erfc_at_three_is_accurate_to_double_precision()
    {
        const double erfc3 = 2.2090496998585438e-05;
        Assert.True(Math.Abs(NormalDistribution.Erfc(3) - erfc3) < 1e-14 * erfc3, $"{NormalDistribution.Erfc(3):R}");
        // from −3 down the reflection 2 − erfc(−z) holds exactly, as Python's math.erfc(-3) = 2 - math.erfc(3) does
        Assert.Equal(2 - NormalDistribution.Erfc(3), NormalDistribution.Erfc(-3));
    }
}
