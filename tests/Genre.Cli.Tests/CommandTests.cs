using System.Text.Json;

namespace Genre.Cli.Tests;

public class CommandTests
{
    static string Temp() => GenreCli.TempDir("cli");

    [Fact]
    public void Synth_then_data_export_split_covers_every_cleaned_row()
    {
        var dir = Temp();
        var csv = Path.Combine(dir, "d.csv");
        var s = GenreCli.Run("synth", "--rows-per-genre", "6", "--seed", "3", "--out", csv);
        Assert.Equal(0, s.ExitCode);
        Assert.Contains("wrote 684 synthetic tracks", s.Stdout);
        var split = Path.Combine(dir, "split.csv");
        var r = GenreCli.Run("data", "--data", csv, "--export-split", split, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        var clean = json.RootElement.GetProperty("rows_clean").GetInt32();
        var lines = File.ReadAllLines(split);
        Assert.Equal("row_id,subset", lines[0]);
        Assert.Equal(clean, lines.Length - 1);
        Assert.Equal(clean, lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().Count());
        Assert.Equal(json.RootElement.GetProperty("test").GetInt32(), lines.Count(l => l.EndsWith(",test")));
        Assert.Empty(r.Stderr);
    }

    [Fact]
    public void Data_without_a_file_falls_back_to_synthetic_data_with_a_notice()
    {
        var dir = Temp();
        var r = GenreCli.Run(dir, (IDictionary<string, string?>?)null, "data", "--reduced");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Contains("notice: no real dataset found", r.Stderr);
        Assert.Contains("after cleaning: 113,549", r.Stdout);
        Assert.Contains("classes:        66", r.Stdout);
        Assert.Contains("train 72,671 / val 18,168 / test 22,710", r.Stdout);
    }

    [Fact]
    public void Data_says_a_synthetic_file_or_a_users_other_file_is_not_the_Kaggle_file()
    {
        var synthetic = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-tiny.csv");
        var users = Path.Combine(Temp(), "dataset.csv");
        File.Copy(synthetic, users); // without its sidecar: a user's own file in the Kaggle format
        foreach (var (csv, isSynthetic) in new[] { (synthetic, true), (users, false) })
        {
            var r = GenreCli.Run("data", "--data", csv, "--json");
            Assert.True(r.ExitCode == 0, r.Stderr);
            using var json = JsonDocument.Parse(r.Stdout);
            Assert.False(json.RootElement.GetProperty("kaggle_file").GetBoolean(), csv);
            Assert.Equal(isSynthetic, json.RootElement.GetProperty("synthetic").GetBoolean());
            var plain = GenreCli.Run("data", "--data", csv);
            Assert.True(plain.ExitCode == 0, plain.Stderr);
            Assert.Contains("kaggle file:    no", plain.Stdout);
            Assert.DoesNotContain("the Kaggle file the report used:", plain.Stdout);
        }
    }

    [RealDataTheory]
    [InlineData(false, 114)]
    [InlineData(true, 66)]
    public void On_the_real_file_data_says_it_is_the_Kaggle_file_with_the_reports_counts(bool reduced, int classes)
    {
        var data = Environment.GetEnvironmentVariable("GENRE_DATA")!;
        var flags = reduced ? new[] { "--reduced" } : [];
        var r = GenreCli.Run(["data", "--data", data, "--json", .. flags]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        var root = json.RootElement;
        Assert.True(root.GetProperty("kaggle_file").GetBoolean(), $"sha256 {root.GetProperty("sha256").GetString()}");
        Assert.False(root.GetProperty("synthetic").GetBoolean());
        Assert.Equal((114_000, 113_549, classes), (root.GetProperty("rows_read").GetInt32(), root.GetProperty("rows_clean").GetInt32(),
            root.GetProperty("classes").GetInt32()));
        Assert.Equal((72_671, 18_168, 22_710), (root.GetProperty("train").GetInt32(), root.GetProperty("val").GetInt32(),
            root.GetProperty("test").GetInt32()));
        var plain = GenreCli.Run(["data", "--data", data, .. flags]);
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Contains("kaggle file:    yes", plain.Stdout);
        Assert.Contains($"the Kaggle file the report used: {data} (sha256 {Genre.Data.DataSource.KaggleSha256})", plain.Stdout);
    }

    [Fact]
    public void Summary_prints_the_keras_table()
    {
        var r = GenreCli.Run("summary", "--model", "rnn2");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Total params: 182,054", r.Stdout);
    }

    [Fact]
    public void Train_writes_model_metrics_and_resumes()
    {
        var dir = Temp();
        var data = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-tiny.csv");
        var a = GenreCli.Run("train", "--model", "dnn2", "--epochs", "3", "--batch-size", "64", "--data", data, "--out",
            Path.Combine(dir, "a"), "--checkpoint-every", "1");
        Assert.True(a.ExitCode == 0, a.Stderr);
        foreach (var f in new[] { "model.json", "weights.safetensors", "preprocessing.json", "history.json", "metrics.json" }) Assert.True(
            File.Exists(Path.Combine(dir, "a", f)), f);
        var b1 = GenreCli.Run("train", "--model", "dnn2", "--epochs", "2", "--batch-size", "64", "--data", data, "--out",
            Path.Combine(dir, "b"), "--checkpoint-every", "1");
        Assert.Equal(0, b1.ExitCode);
        var b2 = GenreCli.Run("train", "--model", "dnn2", "--epochs", "3", "--batch-size", "64", "--data", data, "--out",
            Path.Combine(dir, "b"), "--checkpoint-every", "1", "--resume");
        Assert.Equal(0, b2.ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a", "weights.safetensors")),
            File.ReadAllBytes(Path.Combine(dir, "b", "weights.safetensors")));
        var ev = GenreCli.Run("evaluate", "--model-dir", Path.Combine(dir, "a"), "--data", data, "--json");
        Assert.True(ev.ExitCode == 0, ev.Stderr);
        using var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "a", "metrics.json")));
        using var e = JsonDocument.Parse(ev.Stdout);
        Assert.Equal(m.RootElement.GetProperty("test_accuracy").GetDouble(), e.RootElement.GetProperty("test_accuracy").GetDouble(), 9);
    }
}
