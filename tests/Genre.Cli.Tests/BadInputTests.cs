namespace Genre.Cli.Tests;

/// <summary>
/// The bad-input corpus (issue 7): each case is generated here, run through the CLI, and must give one line on stderr
/// naming the file and row/column (or tensor and shape), the documented exit code, no stack trace, and no output file.
/// </summary>
public class BadInputTests
{
    const string Header = ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key," +
                          "loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre";
    const string Good = "0,5SuOikwiRyPMVoIQDJUgSV,Gen " +
        "Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic";

    static readonly string Dir = Path.Combine(Path.GetTempPath(), "genre-bad-" + Guid.NewGuid().ToString("N"));

    static string File_(string name, string text)
    {
        Directory.CreateDirectory(Dir);
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static TheoryData<string, string, int, string> Csvs => new()
    {
        { "empty.csv", "", 3, "empty.csv:1: empty file (expected the Kaggle header)" },
        { "renamed.csv", Header.Replace("tempo", "bpm") + "\n" + Good + "\n", 3, "renamed.csv:1: header is not the Kaggle header: " +
            "missing column(s) tempo; unexpected column(s) bpm" },
        { "missing.csv", Header.Replace(",valence", "") + "\n", 3, "missing.csv:1: header is not the Kaggle header: missing column(s) " +
            "valence" },
        { "extra.csv", Header + ",x\n", 3, "extra.csv:1: header is not the Kaggle header: unexpected column(s) x" },
        { "truncated.csv", Header + "\n" + Good + "\n" + Good[..60], 3, "truncated.csv:3: column 'explicit': expected 21 fields, found 7 " +
            "(truncated line?)" },
        {
            "text.csv", Header + "\n" + Good.Replace("0.676", "lots") + "\n", 3,
            "text.csv:2: column 'danceability': 'lots' is not a number"
        },
        { "nan.csv", Header + "\n" + Good.Replace("87.917", "NaN") + "\n", 3, "nan.csv:2: column 'tempo': 'NaN' is not a finite number" },
        { "negative.csv", Header + "\n" + Good.Replace("230666", "-230666") + "\n", 3, "negative.csv:2: column 'duration_ms': negative " +
            "duration '-230666'" },
    };

    [Theory, MemberData(nameof(Csvs))]
    public void Bad_csv_files_fail_cleanly(string name, string text, int code, string message)
    {
        var path = File_(name, text);
        var split = Path.Combine(Dir, name + ".split.csv");
        var r = GenreCli.Run("data", "--data", path, "--export-split", split);
        Assert.Equal(code, r.ExitCode);
        Assert.Equal($"genre: {path.Replace(name, "")}{message}", r.Stderr.Trim().Split('\n')[0]);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(split));
    }

    /// <summary>Issue 18: a header-only file said "cannot split 0 rows …" without naming the file.</summary>
    [Fact]
    public void Bom_and_header_only_are_fine_but_a_file_without_rows_says_so_by_name()
    {
        var path = File_("bom.csv", "\uFEFF" + Header + "\n");
        var r = GenreCli.Run("data", "--data", path);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"genre: {path}: no data rows (only the header)", r.Stderr.Trim());
    }

    [Fact]
    public void A_file_with_too_few_rows_to_split_names_itself()
    {
        var path = File_("two.csv", Header + "\n" + Good + "\n" + Good.Replace("0,5Su", "1,6Su") + "\n");
        var r = GenreCli.Run("data", "--data", path);
        Assert.Equal(3, r.ExitCode);
        Assert.StartsWith($"genre: {path}: 2 row(s) after cleaning are too few for the report's train/validation/test split",
            r.Stderr.Trim());
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    /// <summary>Issue 18: two bad cells were each reported correctly but exited 1 (internal error) instead of 3.</summary>
    [Fact]
    public void Several_bad_cells_are_each_named_and_exit_3()
    {
        var path = File_("two-bad.csv", Header + "\n" + Good.Replace("0.676", "lots") + "\n" + Good.Replace("87.917", "fast") + "\n");
        var r = GenreCli.Run("data", "--data", path);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal(new[] { $"genre: {path}:2: column 'danceability': 'lots' is not a number", $"genre: {path}:3: column 'tempo': " +
            $"'fast' is not a number" },
                     r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Missing_data_file_is_an_io_error()
    {
        var r = GenreCli.Run("data", "--data", Path.Combine(Dir, "nope.csv"));
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("nope.csv: file not found (from --data)", r.Stderr);
    }

    [Fact]
    public void Missing_authors_models_folder_is_an_io_error_naming_its_origin()
    {
        var r = GenreCli.Run("reproduce", "--only", "softmax", "--out", Path.Combine(Dir, "never"), "--authors-models",
            Path.Combine(Dir, "no-models"));
        Assert.Equal(4, r.ExitCode);
        Assert.Equal($"genre: {Path.Combine(Dir, "no-models")}: folder not found (from --authors-models)", r.Stderr.Trim());
        var env = GenreCli.Run(Dir, new Dictionary<string, string?> { ["GENRE_AUTHORS_MODELS"] = Path.Combine(Dir, "gone") },
            "reproduce", "--only", "softmax", "--out", Path.Combine(Dir, "never"));
        Assert.Equal(4, env.ExitCode);
        Assert.EndsWith("gone: folder not found (from $GENRE_AUTHORS_MODELS)", env.Stderr.Trim());
        Assert.False(Directory.Exists(Path.Combine(Dir, "never")));
    }

    [Fact]
    public void Unwritable_output_is_an_io_error_and_leaves_nothing()
    {
        var blocker = File_("blocker", "x");
        var r = GenreCli.Run("synth", "--rows-per-genre", "1", "--out", Path.Combine(blocker, "d.csv"));
        Assert.Equal(4, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Theory]
    [InlineData("train", "--model", "rnn9")]
    [InlineData("train", "--model", "dnn1", "--learning-rate", "fast")]
    [InlineData("train", "--model", "dnn1", "--learning-rate", "0")]
    [InlineData("summary", "--model", "cnn")]
    [InlineData("synth", "--rows-per-genre", "many")]
    [InlineData("data", "--bogus", "1")]
    public void Usage_errors_exit_2(params string[] args)
    {
        var r = GenreCli.Run(args);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [AuthorsModelsFact]
    public void A_broken_saved_model_is_a_model_error_naming_the_file()
    {
        var dir = Path.Combine(Dir, "broken-model");
        Directory.CreateDirectory(Path.Combine(dir, "variables"));
        var src = Path.Combine(GenreCli.SharedReference, "authors-models", "DNN1net");
        File.Copy(Path.Combine(src, "keras_metadata.pb"), Path.Combine(dir, "keras_metadata.pb"));
        var r = GenreCli.Run("evaluate", "--saved-model", dir, "--data",
            Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-tiny.csv"));
        Assert.Equal(5, r.ExitCode);
        Assert.Contains("variables.index: missing", r.Stderr);
    }
}

public class MappingInputTests
{
    static readonly string Data = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");
    static readonly string Model = Path.Combine(GenreCli.SharedReference, "authors-models", "RNN1net");

    static GenreCli.Result Evaluate(string mappingText)
    {
        var path = Path.Combine(Path.GetTempPath(), $"genre-map-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, mappingText);
        return GenreCli.Run("evaluate", "--saved-model", Model, "--data", Data, "--mapping", path);
    }

    [AuthorsModelsTheory]
    [InlineData("k-pop,pop\nnot-a-genre,pop\n", "unknown genre 'not-a-genre'")]
    [InlineData("k-pop,pop\npop,rock\n", "target 'pop' (of 'k-pop') is itself merged away")]
    [InlineData("k-pop,pop\nk-pop,rock\n", "genre 'k-pop' is mapped more than once")]
    public void Bad_mappings_are_data_errors(string text, string message)
    {
        var r = Evaluate(text);
        Assert.Equal(3, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [AuthorsModelsTheory]
    [InlineData("report")]
    public void Merge_aware_accuracy_is_reported_and_not_below_plain_accuracy(string mapping)
    {
        var r = GenreCli.Run("evaluate", "--saved-model", Model, "--data", Data, "--mapping", mapping, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(r.Stdout);
        Assert.True(json.RootElement.GetProperty("merged_accuracy").GetDouble() >= json.RootElement.GetProperty("test_accuracy")
            .GetDouble());
    }
}
