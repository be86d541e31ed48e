using System.Globalization;

namespace Genre.Cli.Tests;

/// <summary>
/// genre predict (issue 15): new tracks with or without genres, from a trained folder (its own preprocessing) or a TF2
/// SavedModel (the report pipeline fit on --fit-data); checked against evaluate and the numpy reference.
/// </summary>
public class PredictCommandTests
{
    static string Golden(string name) => Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", name);
    static string Small => Golden("synthetic-small.csv");

    static string[][] Rows(string csv) => File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();

    /// <summary>The same file without its last column (track_genre).</summary>
    static string Unlabelled(string csv, string dir)
    {
        var path = Path.Combine(dir, "new-tracks.csv");
        File.WriteAllLines(path, File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]));
        return path;
    }

    static readonly Lazy<string> Trained = new(() =>
    {
        var dir = Path.Combine(GenreCli.TempDir("predict"), "dnn2");
        var r = GenreCli.Run("train", "--model", "dnn2", "--epochs", "2", "--batch-size", "64", "--data", Golden("synthetic-tiny.csv"),
            "--out", dir, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        return dir;
    });

    [Fact]
    public void A_trained_folder_predicts_what_evaluate_predicts_on_every_test_row_with_or_without_genres()
    {
        var dir = GenreCli.TempDir("predict");
        var evaluated = Path.Combine(dir, "evaluate.csv");
        var e = GenreCli.Run("evaluate", "--model-dir", Trained.Value, "--data", Golden("synthetic-tiny.csv"), "--predictions", evaluated);
        Assert.True(e.ExitCode == 0, e.Stderr);
        var labelled = Path.Combine(dir, "labelled.csv");
        var p = GenreCli.Run("predict", "--model-dir", Trained.Value, "--data", Golden("synthetic-tiny.csv"), "--out", labelled, "--top-k",
            "5");
        Assert.True(p.ExitCode == 0, p.Stderr);
        Assert.Matches(@"^accuracy 0\.\d{8} \(\d+ of 342 rows\)$", p.Stdout.Trim().Split('\n').Last());
        var ours = Rows(labelled).ToDictionary(r => r[0]);
        Assert.Equal(342, ours.Count);
        foreach (var row in Rows(evaluated))
        {
            Assert.Equal(row[1], ours[row[0]][1]);
            Assert.Equal(double.Parse(row[2], CultureInfo.InvariantCulture), double.Parse(ours[row[0]][2], CultureInfo.InvariantCulture),
                6);
        }
        var unlabelled = Path.Combine(dir, "unlabelled.csv");
        var u = GenreCli.Run("predict", "--model-dir", Trained.Value, "--data", Unlabelled(Golden("synthetic-tiny.csv"), dir), "--out",
            unlabelled, "--top-k", "5");
        Assert.True(u.ExitCode == 0, u.Stderr);
        Assert.DoesNotContain("accuracy", u.Stdout);
        Assert.Equal(File.ReadAllText(labelled), File.ReadAllText(unlabelled));
    }

    [Fact]
    public void Top_k_genres_are_distinct_and_in_falling_probability_and_the_accuracy_counts_top_1()
    {
        var dir = GenreCli.TempDir("predict");
        var output = Path.Combine(dir, "top.csv");
        var p = GenreCli.Run("predict", "--model-dir", Trained.Value, "--data", Golden("synthetic-tiny.csv"), "--out", output, "--top-k",
            "4");
        Assert.True(p.ExitCode == 0, p.Stderr);
        Assert.Equal("row_id,genre_1,probability_1,genre_2,probability_2,genre_3,probability_3,genre_4,probability_4",
            File.ReadLines(output).First());
        var truth = File.ReadAllLines(Golden("synthetic-tiny.csv")).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[^1]);
        var correct = 0;
        foreach (var r in Rows(output))
        {
            var genres = new[] { r[1], r[3], r[5], r[7] };
            var probs = new[] { r[2], r[4], r[6], r[8] }.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(4, genres.Distinct().Count());
            Assert.True(probs.Zip(probs.Skip(1)).All(q => q.Item1 >= q.Item2), string.Join(",", r));
            if (r[1] == truth[r[0]]) correct++;
        }
        Assert.Contains($"accuracy {(double)correct / 342:F8} ({correct} of 342 rows)", p.Stdout);
    }

    public static TheoryData<string> Authors => new() { "RNN1net", "RNN2net", "DNN1net", "DNN2net", "reducedRNNnet" };

    /// <summary>SavedModel + the pipeline fit on --fit-data: the numpy reference's genre and probability on every test row.</summary>
    [AuthorsModelsTheory, MemberData(nameof(Authors))]
    public void A_SavedModel_with_the_fitted_pipeline_matches_the_numpy_reference(string model)
    {
        var output = Path.Combine(GenreCli.TempDir("predict"), model + ".csv");
        var saved = Path.Combine(GenreCli.SharedReference, "authors-models", model);
        var args = new List<string>
        {
            "predict", "--saved-model", saved, "--fit-data", Small, "--data", Small, "--out", output, "--top-k", "1",
        };
        if (model.StartsWith("reduced")) args.Add("--reduced");
        var r = GenreCli.Run(args.ToArray());
        Assert.True(r.ExitCode == 0, r.Stderr);
        var ours = Rows(output).ToDictionary(x => x[0]);
        foreach (var row in Rows(Path.Combine(GenreCli.RepoRoot, "tests", "golden", "models", model + ".predictions.csv")))
        {
            Assert.Equal(row[1], ours[row[0]][1]);
            Assert.True(Math.Abs(double.Parse(row[2], CultureInfo.InvariantCulture) - double.Parse(
                ours[row[0]][2], CultureInfo.InvariantCulture)) <= 1e-5, row[0]);
        }
    }

    [Fact]
    public void Features_outside_the_training_range_are_allowed_and_counted_in_one_warning_line()
    {
        var dir = GenreCli.TempDir("predict");
        var lines = File.ReadAllLines(Golden("synthetic-tiny.csv"));
        var tempo = lines[0].Split(',').ToList().IndexOf("tempo");
        string Shift(string line, string value) { var f = line.Split(','); f[tempo] = value; return string.Join(",", f); }
        var path = Path.Combine(dir, "odd.csv");
        File.WriteAllLines(path, [lines[0], Shift(lines[1], "1000.0"), Shift(lines[2], "-3.0"), lines[3]]);
        var output = Path.Combine(dir, "odd-out.csv");
        var r = GenreCli.Run("predict", "--model-dir", Trained.Value, "--data", path, "--out", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("warning: 2 of 3 rows have features outside the training range (the scaler extrapolates): tempo 2", r.Stderr.Trim());
        Assert.Equal(4, File.ReadAllLines(output).Length);
    }

    public static TheoryData<string, string, string> BadFiles => new()
    {
        { "missing.csv", "drop tempo", "missing.csv:1: header is not the Kaggle header: missing column(s) tempo" },
        { "text.csv", "energy lots", "text.csv:3: column 'energy': 'lots' is not a number" },
        { "empty.csv", "empty", "empty.csv:1: empty file (expected the Kaggle header)" },
    };

    [Theory, MemberData(nameof(BadFiles))]
    public void Bad_input_is_one_line_naming_file_and_line_exit_3_and_no_output(string name, string damage, string message)
    {
        var dir = GenreCli.TempDir("predict");
        var lines = File.ReadAllLines(Unlabelled(Golden("synthetic-tiny.csv"), dir)).Take(4).ToArray();
        var header = lines[0].Split(',').ToList();
        string[] Damaged() => damage switch
        {
            "drop tempo" => lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != header.IndexOf("tempo")))).ToArray(),
            "energy lots" => [lines[0], lines[1], string.Join(",", lines[2].Split(',')
                .Select((v, i) => i == header.IndexOf("energy") ? "lots" : v)), lines[3]],
            _ => [],
        };
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, damage == "empty" ? "" : string.Join("\n", Damaged()) + "\n");
        var output = Path.Combine(dir, "out.csv");
        var r = GenreCli.Run("predict", "--model-dir", Trained.Value, "--data", path, "--out", output);
        Assert.Equal(3, r.ExitCode);
        Assert.Equal($"genre: {Path.Combine(dir, message)}", r.Stderr.Trim());
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir, ".out.csv*"));
    }

    /// <summary>genre import writes the SavedModel with the fitted preprocessing; the folder then predicts exactly as the SavedModel
    /// did.</summary>
    [AuthorsModelsTheory]
    [InlineData("RNN2net")]
    [InlineData("reducedRNNnet")]
    public void An_imported_SavedModel_predicts_without_the_training_file_exactly_as_before(string model)
    {
        var dir = GenreCli.TempDir("predict");
        var saved = Path.Combine(GenreCli.SharedReference, "authors-models", model);
        var reduced = model.StartsWith("reduced") ? new[] { "--reduced" } : [];
        var imported = Path.Combine(dir, "imported");
        var i = GenreCli.Run(["import", "--saved-model", saved, "--fit-data", Small, "--out", imported, .. reduced]);
        Assert.True(i.ExitCode == 0, i.Stderr);
        Assert.Equal(["model.json", "preprocessing.json", "weights.safetensors"],
            Directory.GetFiles(imported).Select(f => Path.GetFileName(f)).Order().ToArray<string>());
        var viaSaved = Path.Combine(dir, "saved.csv");
        var viaFolder = Path.Combine(dir, "folder.csv");
        var s = GenreCli.Run(["predict", "--saved-model", saved, "--fit-data", Small, "--data", Small, "--out", viaSaved, .. reduced]);
        Assert.True(s.ExitCode == 0, s.Stderr);
        var f = GenreCli.Run(dir, (IDictionary<string, string?>?)null, "predict", "--model-dir", imported, "--data", Small, "--out",
            viaFolder);
        Assert.True(f.ExitCode == 0, f.Stderr);
        Assert.Equal(File.ReadAllText(viaSaved), File.ReadAllText(viaFolder));
        Assert.Equal(s.Stdout.Split('\n')[1], f.Stdout.Split('\n')[1]); // the accuracy line
    }

    [Fact]
    public void A_SavedModel_without_a_training_file_is_a_usage_error_naming_fit_data()
    {
        var dir = GenreCli.TempDir("predict");
        var output = Path.Combine(dir, "out.csv");
        var r = GenreCli.Run(dir, (IDictionary<string, string?>?)null, "predict", "--saved-model",
            Path.Combine(GenreCli.SharedReference, "authors-models", "DNN1net"), "--data", Small, "--out", output);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--fit-data PATH", r.Stderr);
        Assert.False(File.Exists(output));
    }
}
