using System.Globalization;
using Genre.TestSupport;

namespace Genre.Properties;

/// <summary>
/// Issue 24: the command line on generated input, run as a user runs it (the built <c>genre</c>, a child process): predict writes
/// one row per track in the file's order whatever the text in it; a bad cell anywhere is one line naming the file, the column and
/// the value, exit 3 and no output; an option a command does not take is a usage error naming it, exit 2.
/// </summary>
public class CliProperties
{
    static string Golden(string name) => Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", name);

    /// <summary>A dense net trained 1 epoch on the tiny synthetic file (3 tracks per genre): a folder predict reads.</summary>
    static readonly Lazy<string> Trained = new(() =>
    {
        var dir = Path.Combine(GenreCli.TempDir("cli-properties"), "dnn1");
        var r = GenreCli.Run("train", "--model", "dnn1", "--epochs", "1", "--batch-size", "64", "--data", Golden("synthetic-tiny.csv"),
            "--out", dir, "--quiet");
        return r.ExitCode == 0 ? dir : throw new InvalidOperationException(r.Stderr);
    });

    static Arbitrary<Seq<Track>> Tracks => GenreArb.Tracks(8).Filter(t => t.Count >= 1);

    [Property(MaxTest = 5)]
    public Property Predict_writes_one_row_per_track_in_the_files_order() =>
        Prop.ForAll(Tracks, tracks =>
        {
            var dir = GenreCli.TempDir("cli-properties");
            var data = Path.Combine(dir, "tracks.csv");
            TrackCsv.Save(data, tracks).IfFail(e => throw new InvalidOperationException(e.Message));
            var output = Path.Combine(dir, "predictions.csv");
            var r = GenreCli.Run("predict", "--model-dir", Trained.Value, "--data", data, "--out", output, "--top-k", "2");
            if (r.ExitCode != 0) return false.Label($"exit {r.ExitCode}: {r.Stderr}");
            var rows = File.ReadAllLines(output).Skip(1).Select(l => l.Split(',')).ToArray();
            return (rows.Length == tracks.Count).Label($"{rows.Length} rows for {tracks.Count} tracks")
                .And(rows.Select(x => long.Parse(x[0], CultureInfo.InvariantCulture)).SequenceEqual(tracks.Map(t => t.RowId))
                    .Label("rows are not in the file's order"))
                .And(rows.All(x => KaggleGenres.Sorted.Contains(x[1])).Label("a predicted genre is not one of the model's"));
        });

    /// <summary>The numeric columns of the Kaggle header (a bad value there is a data error).</summary>
    static readonly string[] Numeric = ["popularity", "duration_ms", "danceability", "energy", "key", "loudness", "mode", "speechiness",
        "acousticness", "instrumentalness", "liveness", "valence", "tempo", "time_signature"];

    /// <summary>A numeric column, a value that is not a number, and which row to put it in.</summary>
    static readonly Gen<(string Column, string Value, int At)> Damage =
        from column in Gen.Elements(Numeric)
        from value in Gen.Elements("lots", "x1", "--", "1.2.3", "one")
        from at in Gen.Choose(0, 7)
        select (column, value, at);

    [Property(MaxTest = 5)]
    public Property A_bad_cell_is_one_line_naming_file_column_and_value_exit_3_and_no_output() =>
        Prop.ForAll(Tracks, Damage.ToArbitrary(), (tracks, damage) =>
        {
            var (column, value, at) = damage;
            var dir = GenreCli.TempDir("cli-properties");
            var data = Path.Combine(dir, "bad.csv");
            var row = at % tracks.Count;
            // the damaged row is written with a number no generated track holds in that column, then the number is replaced
            var damaged = TrackCsv.FormatRow(WithSentinel(tracks[row], column)).Replace(SentinelText(column), value);
            var after = string.Concat(tracks.Skip(row + 1).Map(t => TrackCsv.FormatRow(t) + "\n"));
            File.WriteAllText(data, TrackCsv.Format(tracks.Take(row)) + damaged + "\n" + after);
            var output = Path.Combine(dir, "predictions.csv");
            var r = GenreCli.Run("predict", "--model-dir", Trained.Value, "--data", data, "--out", output);
            var line = r.Stderr.Trim();
            return (r.ExitCode == 3).Label($"exit {r.ExitCode}: {r.Stderr}")
                .And((!line.Contains('\n')).Label("more than one line"))
                .And(line.StartsWith($"genre: {data}:", StringComparison.Ordinal).Label($"does not name the file: {line}"))
                .And((line.Contains($"column '{column}': '{value}' is not a number")
                      || line.Contains($"column '{column}': '{value}' is not an integer"))
                    .Label($"does not name the column and value: {line}"))
                .And((!File.Exists(output) && Directory.GetFiles(dir, ".predictions.csv*").Length == 0).Label("output was written"));
        });

    const long Sentinel = 987_654_321;

    /// <summary>How the file writes the sentinel in <paramref name="column"/>: an integer, or a float in Python's repr.</summary>
    static string SentinelText(string column) =>
        column is "popularity" or "duration_ms" or "key" or "mode" or "time_signature" ? "987654321" : "987654321.0";

    static Track WithSentinel(Track t, string column) => column switch
    {
        "popularity" => t with { Popularity = Sentinel },
        "duration_ms" => t with { DurationMs = Sentinel },
        "danceability" => t with { Danceability = Sentinel },
        "energy" => t with { Energy = Sentinel },
        "key" => t with { Key = Sentinel },
        "loudness" => t with { Loudness = Sentinel },
        "mode" => t with { Mode = Sentinel },
        "speechiness" => t with { Speechiness = Sentinel },
        "acousticness" => t with { Acousticness = Sentinel },
        "instrumentalness" => t with { Instrumentalness = Sentinel },
        "liveness" => t with { Liveness = Sentinel },
        "valence" => t with { Valence = Sentinel },
        "tempo" => t with { Tempo = Sentinel },
        _ => t with { TimeSignature = Sentinel },
    };

    static readonly string[] Commands = ["train", "evaluate", "predict", "export", "reproduce", "data", "audit"];

    [Property(MaxTest = 8)]
    public Property An_option_a_command_does_not_take_is_a_usage_error_naming_it() =>
        Prop.ForAll(Gen.Elements(Commands).ToArbitrary(),
            Gen.Elements('q', 'z', 'x', 'w').ArrayOf().Where(a => a.Length is >= 1 and <= 6).Select(a => "zz" + new string(a))
                .ToArbitrary(),
            (command, option) =>
            {
                var r = GenreCli.Run(command, "--" + option, "1");
                var line = r.Stderr.Trim();
                return (r.ExitCode == 2).Label($"exit {r.ExitCode}: {line}")
                    .And((!line.Contains('\n') && line.Contains("--" + option)).Label($"not one line naming --{option}: {line}"));
            });
}
