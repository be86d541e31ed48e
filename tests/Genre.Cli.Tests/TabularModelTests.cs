using System.Globalization;
using System.Text.Json;

namespace Genre.Cli.Tests;

/// <summary>The tabular model (beyond the report): trained on the encoded features, and scored, predicted and exported through
/// the encoding its folder records.</summary>
public class TabularModelTests
{
    static readonly string Data = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");

    [Fact]
    public void A_trained_tabular_model_is_scored_and_predicted_through_its_recorded_encoding()
    {
        var dir = GenreCli.TempDir("cli-tabular");
        var r = GenreCli.Run("train", "--model", "tabular", "--epochs", "4", "--batch-size", "128", "--seed", "3", "--threads", "1",
            "--data", Data, "--out", dir, "--quiet");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var pre = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "preprocessing.json")));
        Assert.Equal("genre-preprocessing/2", pre.RootElement.GetProperty("format").GetString());
        Assert.Equal(11, pre.RootElement.GetProperty("encoding").GetProperty("continuous").GetArrayLength());
        var printed = double.Parse(System.Text.RegularExpressions.Regex.Match(r.Stdout, @"tabular: test accuracy (\d\.\d{8})").Groups[1].Value,
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

        // the ONNX graph holds the MinMaxScaler but not the encoding: --with-scaler is refused, plain export is not
        var withScaler = GenreCli.Run("export", "--model-dir", dir, "--onnx", Path.Combine(dir, "m.onnx"), "--with-scaler");
        Assert.Equal(2, withScaler.ExitCode);
        Assert.Contains("tabular encoding", withScaler.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "m.onnx")));
        Assert.Equal(0, GenreCli.Run("export", "--model-dir", dir, "--onnx", Path.Combine(dir, "m.onnx")).ExitCode);
    }
}
