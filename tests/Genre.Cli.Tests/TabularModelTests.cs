using System.Globalization;
using System.Text.Json;

namespace Genre.Cli.Tests;

/// <summary>The tabular model (beyond the report): trained through the tabular pipeline, and scored, predicted and exported through
/// the fitted pipeline its folder records.</summary>
public class TabularModelTests
{
    static readonly string Data = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");

    /// <summary>The nets over the tabular columns: the plain one, TabM (members and an ensemble head) and RealMLP (its own
    /// pipeline, periodic embeddings, SELU), issue 27.</summary>
    [Theory]
    [InlineData("tabular")]
    [InlineData("tabm")]
    [InlineData("realmlp")]
    public void A_trained_tabular_model_is_scored_and_predicted_through_its_recorded_encoding(string model)
    {
        var dir = GenreCli.TempDir("cli-tabular");
        var r = GenreCli.Run("train", "--model", model, "--epochs", "4", "--batch-size", "128", "--seed", "3", "--threads", "1",
            "--data", Data, "--out", dir, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var pre = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "preprocessing.json")));
        Assert.Equal("genre-preprocessing/3", pre.RootElement.GetProperty("format").GetString());
        // the folder records the declared pipeline it was fitted from, as typed stages: the model's own
        var config = System.Text.Json.Nodes.JsonNode.Parse(pre.RootElement.GetProperty("pipeline").GetProperty("config").GetRawText());
        var declared = model == "realmlp" ? Genre.Data.Pipelines.RealMlp : Genre.Data.Pipelines.Tabular;
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(declared.Config(), config));
        var printed = double.Parse(System.Text.RegularExpressions.Regex.Match(r.Stdout, model + @": test accuracy (\d\.\d{8})").Groups[1]
            .Value,
            CultureInfo.InvariantCulture);

        // evaluate re-encodes the test split with the stored encoding: the accuracy training printed
        var rescored = GenreCli.Run("evaluate", "--model-dir", dir, "--data", Data, "--json", "--threads", "1");
        Assert.True(rescored.ExitCode == 0, rescored.Stderr);
        using var again = JsonDocument.Parse(rescored.Stdout);
        Assert.Equal(printed, again.RootElement.GetProperty("test_accuracy").GetDouble(), 1e-8);

        // predict reads the raw file through scaler and encoding (a model fed the 15 scaled features would fail on width)
        var predictions = Path.Combine(dir, "predictions.csv");
        var p = GenreCli.Run("predict", "--model-dir", dir, "--data", Data, "--out", predictions, "--threads", "1");
        Assert.True(p.ExitCode == 0, p.Stderr);
        Assert.Matches(@"accuracy \d\.\d{8}", p.Stdout);

        // every stage of the tabular pipeline has an ONNX lowering: the graph reads the 15 raw features
        var inGraph = GenreCli.Run("export", "--model-dir", dir, "--onnx", Path.Combine(dir, "raw.onnx"), "--with-preprocessing");
        Assert.True(inGraph.ExitCode == 0, inGraph.Stderr);
        Assert.Contains("[N, 15] raw", inGraph.Stdout);
        Assert.Equal(0, GenreCli.Run("export", "--model-dir", dir, "--onnx", Path.Combine(dir, "m.onnx")).ExitCode);
    }

    [Fact]
    public void An_ensemble_folder_is_evaluated_and_predicted_as_one_classifier_and_one_model_commands_refuse_it()
    {
        var outDir = Path.Combine(GenreCli.TempDir("cli-ensemble"), "reproduce-fast");
        // --verbose here and below: an internal error then carries its stack trace (a rare one here under load: once in reproduce,
        // once in evaluate, in about 1 of 7 runs of this test on a loaded machine; not seen with the commands alone)
        var r = GenreCli.Run("reproduce", "--profile", "fast", "--only", "tabular-ensemble", "--data", Data, "--out", outDir, "--threads",
            "1", "--verbose");
        Assert.True(r.ExitCode == 0, r.Stderr);
        // each member is announced with its settings, so the log's epoch lines count against its epochs
        Assert.Contains("tabular-ensemble member 2: 100 epochs, batch 1024", r.Stdout);
        Assert.DoesNotContain("epoch 1/1 ", r.Stdout);
        var ens = Path.Combine(outDir, "tabular-ensemble");
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        var entry = metrics.RootElement.GetProperty("experiments").GetProperty("tabular-ensemble");
        Assert.Equal(5, entry.GetProperty("ensemble").GetProperty("members").GetArrayLength());

        // evaluate reads the folder as the mean of its members: the accuracy and loss reproduce wrote
        var scored = GenreCli.Run("evaluate", "--model-dir", ens, "--data", Data, "--json", "--threads", "1", "--verbose");
        Assert.True(scored.ExitCode == 0, scored.Stderr);
        using var json = JsonDocument.Parse(scored.Stdout);
        Assert.Equal(entry.GetProperty("test_accuracy").GetDouble(), json.RootElement.GetProperty("test_accuracy").GetDouble(), 12);
        Assert.Equal(entry.GetProperty("test_loss").GetDouble(), json.RootElement.GetProperty("test_loss").GetDouble(), 9);
        Assert.Contains("an ensemble of 5 tabular models: test accuracy",
            GenreCli.Run("evaluate", "--model-dir", ens, "--data", Data).Stdout);

        var predictions = Path.Combine(outDir, "predictions.csv");
        var p = GenreCli.Run("predict", "--model-dir", ens, "--data", Data, "--out", predictions, "--threads", "1", "--verbose");
        Assert.True(p.ExitCode == 0, p.Stderr);
        Assert.Contains("an ensemble of 5 tabular models: top 3 of", p.Stdout);

        // export writes one model's graph: the ensemble folder is refused (exit 2) naming a member to export instead
        var export = GenreCli.Run("export", "--model-dir", ens, "--onnx", Path.Combine(outDir, "m.onnx"));
        Assert.Equal(2, export.ExitCode);
        Assert.Contains("an ensemble of models", export.Stderr);
        Assert.Contains(Path.Combine(ens, "member-1"), export.Stderr);
        Assert.False(File.Exists(Path.Combine(outDir, "m.onnx")));
        Assert.Equal(0, GenreCli.Run("export", "--model-dir", Path.Combine(ens, "member-1"), "--onnx", Path.Combine(outDir, "m.onnx"))
            .ExitCode);
    }

    /// <summary>
    /// The committed tabular model, ensemble, TabM and RealMLP-style net (results/kaggle/beyond) re-score on the Kaggle file to
    /// the test accuracy their reproduce runs recorded in metrics.json; the ensemble meets issue 16's goal, the report's best
    /// (DNN2, 0.3225) + 3 pt.
    /// </summary>
    [RealDataTheory]
    [InlineData("tabular")]
    [InlineData("tabular-ensemble")]
    [InlineData("tabm")]
    [InlineData("realmlp")]
    public void On_the_real_file_the_committed_beyond_models_score_what_their_runs_recorded(string experiment)
    {
        var root = Path.Combine(GenreCli.RepoRoot, "results", "kaggle", "beyond", experiment);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "metrics.json")));
        var recorded = metrics.RootElement.GetProperty("experiments").GetProperty(experiment).GetProperty("test_accuracy").GetDouble();
        var r = GenreCli.Run("evaluate", "--model-dir", Path.Combine(root, experiment), "--data",
            Environment.GetEnvironmentVariable("GENRE_DATA")!,
            "--json", "--threads", "2");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        var accuracy = json.RootElement.GetProperty("test_accuracy").GetDouble();
        Assert.Equal(recorded, accuracy, 1e-9);
        if (experiment == "tabular-ensemble") Assert.True(accuracy >= 0.3225 + 0.03, $"{experiment}: {accuracy:F4} < 0.3525");
    }
}
