using System.Globalization;
using System.Text.Json;

namespace Genre.Cli.Tests;

/// <summary><c>genre train</c>: what it prints and writes, --reduced, finished-run resume, and its error paths.</summary>
public class TrainCommandTests
{
    static readonly string Data = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-tiny.csv");

    static string Temp() => GenreCli.TempDir("cli-train");

    [Fact]
    public void Train_prints_an_epoch_line_per_epoch_and_writes_history_metrics_and_checkpoints()
    {
        var dir = Temp();
        var r = GenreCli.Run("train", "--model", "rnn1", "--epochs", "3", "--batch-size", "50", "--seed", "4", "--threads", "1",
            "--checkpoint-every", "2", "--data", Data, "--out", dir);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var epochLines = r.Stdout.Split('\n').Where(l => l.StartsWith("epoch ")).ToArray();
        Assert.Equal(3, epochLines.Length);
        Assert.All(epochLines,
            l => Assert.Matches(@"^epoch \d/3  loss \d+\.\d{4}  accuracy \d\.\d{4}  val_loss \d+\.\d{4}  val_accuracy \d\.\d{4}  \d+\.\d+s",
                l));
        Assert.Matches(@"rnn1: test accuracy \d\.\d{8}", r.Stdout);

        using var history = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "history.json")));
        Assert.Equal(3, history.RootElement.GetArrayLength());
        Assert.All(history.RootElement.EnumerateArray(), e => Assert.True(e.GetProperty("val_loss").GetDouble() > 0));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        Assert.Equal(3, metrics.RootElement.GetProperty("epochs").GetInt32());
        // the saved model, scored again by evaluate, gives the accuracy training printed and wrote
        var printed = double.Parse(System.Text.RegularExpressions.Regex.Match(r.Stdout, @"rnn1: test accuracy (\d\.\d{8})").Groups[1].Value,
            CultureInfo.InvariantCulture);
        Assert.Equal(printed, metrics.RootElement.GetProperty("test_accuracy").GetDouble(), 1e-8);
        var rescored = GenreCli.Run("evaluate", "--model-dir", dir, "--data", Data, "--json", "--threads", "1");
        Assert.True(rescored.ExitCode == 0, rescored.Stderr);
        using var again = JsonDocument.Parse(rescored.Stdout);
        Assert.Equal(printed, again.RootElement.GetProperty("test_accuracy").GetDouble(), 1e-8);
        // every 2 epochs and at the end; the two newest kept; no temporary files anywhere
        Assert.Equal(["epoch-00002.ckpt", "epoch-00003.ckpt"], Directory.GetFiles(Path.Combine(dir, "checkpoints"))
            .Select(f => Path.GetFileName(f)).Order().ToArray<string>());
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Reduced_training_sizes_the_output_layer_to_the_merged_genres_and_a_finished_run_resumes_to_itself()
    {
        var dir = Temp();
        string[] args = ["train", "--model", "dnn1", "--reduced", "--epochs", "2", "--batch-size", "64", "--threads", "1", "--data", Data,
            "--out", dir, "--quiet"];
        var r = GenreCli.Run(args);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "model.json")));
        var last = spec.RootElement.GetProperty("layers").EnumerateArray().Last();
        var merged = File.ReadAllLines(Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-tiny.reduced.classes.txt"))
            .Length;
        Assert.Equal(66, merged); // pandas' count of the report's merged genres on this file
        Assert.Equal(merged, last.GetProperty("units").GetInt32());
        var weights = File.ReadAllBytes(Path.Combine(dir, "weights.safetensors"));

        var again = GenreCli.Run([.. args, "--resume"]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(dir, "weights.safetensors")));
    }

    [Fact]
    public void Resuming_with_another_model_is_a_one_line_model_error()
    {
        var dir = Temp();
        Assert.Equal(0, GenreCli.Run("train", "--model", "dnn1", "--epochs", "1", "--batch-size", "64", "--threads", "1", "--data", Data,
            "--out", dir, "--quiet").ExitCode);
        var r = GenreCli.Run("train", "--model", "dnn2", "--epochs", "2", "--batch-size", "64", "--threads", "1", "--data", Data, "--out",
            dir, "--resume", "--quiet");
        Assert.Equal(5, r.ExitCode);
        Assert.Contains("epoch-00001.ckpt", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("--epochs", "-1")]
    [InlineData("--batch-size", "0")]
    [InlineData("--checkpoint-every", "0")]
    [InlineData("--epochs", "many")]
    public void Bad_numbers_are_usage_errors(string option, string value)
    {
        var r = GenreCli.Run("train", "--model", "dnn1", option, value, "--data", Data, "--out", Temp());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option.TrimStart('-'), r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [Theory]
    [InlineData("--coslog", "-1", "--coslog N needs N ≥ 1 cycles")]
    [InlineData("--beta2", "1", "--beta2 needs 0 < B < 1")]
    [InlineData("--label-smoothing", "1", "--label-smoothing 0 ≤ EPS < 1")]
    public void Bad_realmlp_training_options_are_usage_errors_naming_them(string option, string value, string message)
    {
        var r = GenreCli.Run("train", "--model", "realmlp", option, value, "--data", Data, "--out", Temp());
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        var both = GenreCli.Run("train", "--model", "realmlp", "--coslog", "4", "--cosine-decay", "0", "--data", Data, "--out", Temp());
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("give --cosine-decay or --coslog, not both", both.Stderr);
    }

    [Fact]
    public void Realmlps_training_options_reach_the_checkpoints_and_resuming_without_them_is_refused()
    {
        var dir = Temp();
        string[] args = ["train", "--model", "realmlp", "--epochs", "2", "--batch-size", "128", "--threads", "1", "--data", Data,
            "--out", dir, "--quiet"];
        var r = GenreCli.Run([.. args, "--coslog", "4", "--beta2", "0.95", "--label-smoothing", "0.1"]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var refused = GenreCli.Run([.. args, "--resume"]);
        Assert.Equal(2, refused.ExitCode); // other settings than the checkpoint's: a usage error
        Assert.Contains("checkpoint was written with batch 128, seed 2, Adam lr 0.001 with 4 coslog cycles over 2 epochs, " +
                        "label smoothing 0.1; this run uses batch 128, seed 2, Adam lr 0.001", refused.Stderr);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
    }

    /// <summary>A mapping file sizes the output layer to the genres left after its merges; a bad one fails before training.</summary>
    [Fact]
    public void A_mapping_file_sets_the_labels_and_a_bad_one_is_a_data_error_naming_it()
    {
        var dir = Temp();
        var mapping = Path.Combine(dir, "m.csv");
        File.WriteAllText(mapping, "source,target\nk-pop,pop\nj-pop,pop\nmetal,rock\n");
        var outDir = Path.Combine(dir, "out");
        var r = GenreCli.Run("train", "--model", "dnn1", "--mapping", mapping, "--epochs", "1", "--batch-size", "64", "--threads", "1",
            "--data", Data, "--out", outDir, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "model.json")));
        Assert.Equal(114 - 3, spec.RootElement.GetProperty("layers").EnumerateArray().Last().GetProperty("units").GetInt32());

        File.WriteAllText(mapping, "source,target\nk-pop,no-such-genre\n");
        var bad = GenreCli.Run("train", "--model", "dnn1", "--mapping", mapping, "--epochs", "1", "--data", Data, "--out",
            Path.Combine(dir, "bad"));
        Assert.Equal(3, bad.ExitCode);
        Assert.Contains("unknown genre 'no-such-genre'", bad.Stderr);
        Assert.False(Directory.Exists(Path.Combine(dir, "bad", "checkpoints")));

        var both = GenreCli.Run("train", "--model", "dnn1", "--mapping", mapping, "--reduced", "--data", Data, "--out",
            Path.Combine(dir, "both"));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--reduced or --mapping, not both", both.Stderr);
    }
}
