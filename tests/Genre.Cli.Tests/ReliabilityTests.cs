using System.Diagnostics;

namespace Genre.Cli.Tests;

/// <summary>
/// Issue 18's reproductions through the CLI: damaged checkpoints and weights, divergence, two processes on one folder, and
/// files written before checksums. Every failure is one line on stderr, in the project's words, with a documented exit code.
/// </summary>
public class ReliabilityTests
{
    static readonly string Tiny = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-tiny.csv");
    static readonly string Small = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");
    static readonly string Legacy = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "legacy", "softmax-tiny");

    static string Temp() => GenreCli.TempDir("cli-reliability");

    /// <summary>softmax on the tiny file with a checkpoint after every epoch: the settings the legacy folder was written with.</summary>
    static GenreCli.Result Train(string outDir, int epochs, params string[] extra) =>
        GenreCli.Run(["train", "--model", "softmax", "--epochs", $"{epochs}", "--batch-size", "128", "--checkpoint-every", "1", "--threads", "1",
            "--data", Tiny, "--out", outDir, "--quiet", .. extra]);

    static string Ckpt(string outDir, int epoch) => Path.Combine(outDir, "checkpoints", $"epoch-{epoch:D5}.ckpt");

    static void OneLine(GenreCli.Result r, int code)
    {
        Assert.True(r.ExitCode == code, $"exit {r.ExitCode}: {r.Stderr}");
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.DoesNotMatch(@"Exception|\(Parameter '|JsonSerializer|   at ", r.Stderr);
    }

    static void Flip(string path, int at, int count = 4)
    {
        var bytes = File.ReadAllBytes(path);
        if (at < 0) at += bytes.Length;
        for (var k = 0; k < count; k++) bytes[at + k] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }

    [Fact]
    public void A_damaged_newest_checkpoint_is_skipped_with_a_one_line_warning_and_the_run_ends_as_an_uninterrupted_one()
    {
        var straight = Temp();
        Assert.Equal(0, Train(straight, 3).ExitCode);
        var dir = Temp();
        Assert.Equal(0, Train(dir, 2).ExitCode);
        var newest = Ckpt(dir, 2);
        var bytes = File.ReadAllBytes(newest);
        "\0\0\0\0\0\0"u8.ToArray().CopyTo(bytes, 30); // a few bytes of the header overwritten
        File.WriteAllBytes(newest, bytes);

        var r = Train(dir, 3, "--resume");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal($"genre: warning: skipped a damaged checkpoint ({newest}: checksum mismatch in the header — the file is damaged); " +
                     $"resuming from {Ckpt(dir, 1)}; the damaged file is kept as {newest}.damaged", r.Stderr.Trim());
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "weights.safetensors")), File.ReadAllBytes(Path.Combine(dir, "weights.safetensors")));
    }

    [Theory]
    [InlineData("truncated", "truncated: tensor")]
    [InlineData("tensor data", "checksum mismatch in tensor")]
    public void A_damaged_only_checkpoint_is_a_model_error_naming_it(string damage, string why)
    {
        var dir = Temp();
        Assert.Equal(0, Train(dir, 1).ExitCode);
        var path = Ckpt(dir, 1);
        if (damage == "truncated") File.WriteAllBytes(path, File.ReadAllBytes(path)[..5000]);
        else Flip(path, -2000);
        var r = Train(dir, 2, "--resume");
        OneLine(r, 5);
        Assert.StartsWith($"genre: no checkpoint to resume from: {path}: {why}", r.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "checkpoints", "epoch-00002.ckpt")));
    }

    [Fact]
    public void Flipped_bytes_in_the_weights_make_evaluate_fail_naming_them()
    {
        var dir = Temp();
        Assert.Equal(0, Train(dir, 1).ExitCode);
        var weights = Path.Combine(dir, "weights.safetensors");
        Flip(weights, -100);
        var r = GenreCli.Run("evaluate", "--model-dir", dir, "--data", Tiny);
        OneLine(r, 5);
        Assert.StartsWith($"genre: {weights}: checksum mismatch (sha256 of the tensor data is ", r.Stderr.Trim());
        Assert.EndsWith("the file is damaged", r.Stderr.Trim());
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void A_checkpoint_written_before_checksums_resumes_bit_identically()
    {
        var straight = Temp();
        Assert.Equal(0, Train(straight, 3).ExitCode);
        var dir = Temp();
        Directory.CreateDirectory(Path.Combine(dir, "checkpoints"));
        foreach (var f in Directory.GetFiles(Path.Combine(Legacy, "checkpoints"))) File.Copy(f, Path.Combine(dir, "checkpoints", Path.GetFileName(f)));

        var r = Train(dir, 3, "--resume");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "weights.safetensors")), File.ReadAllBytes(Path.Combine(dir, "weights.safetensors")));
    }

    [Fact]
    public void A_model_saved_before_checksums_still_evaluates()
    {
        var r = GenreCli.Run("evaluate", "--model-dir", Legacy, "--data", Tiny, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(r.Stdout);
        using var recorded = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Legacy, "metrics.json")));
        Assert.Equal(recorded.RootElement.GetProperty("test_accuracy").GetDouble(), json.RootElement.GetProperty("test_accuracy").GetDouble());
    }

    [Fact]
    public void A_diverging_training_exits_6_naming_epoch_and_batch_and_writes_no_results()
    {
        var dir = Temp();
        var r = GenreCli.Run("train", "--model", "dnn1", "--epochs", "3", "--batch-size", "64", "--learning-rate", "1e36", "--threads", "1",
            "--data", Tiny, "--out", dir, "--quiet");
        OneLine(r, 6);
        Assert.Matches(@"^genre: dnn1: training diverged at epoch 1, batch \d+ of 4: .*; stopped — no checkpoint had been written$", r.Stderr.Trim());
        foreach (var f in new[] { "weights.safetensors", "model.json", "history.json", "metrics.json" }) Assert.False(File.Exists(Path.Combine(dir, f)), f);
        Assert.Empty(Directory.Exists(Path.Combine(dir, "checkpoints")) ? Directory.GetFiles(Path.Combine(dir, "checkpoints")) : []);
    }

    static Process Start(string outDir)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { GenreCli.Dll, "train", "--model", "rnn2", "--epochs", "30", "--batch-size", "128", "--checkpoint-every", "1",
                     "--threads", "1", "--data", Small, "--out", outDir, "--quiet" })
            psi.ArgumentList.Add(a);
        psi.Environment["GENRE_DATA"] = null;
        return Process.Start(psi)!;
    }

    /// <summary>Issue 18: two `genre train` processes on the same --out both ran and both wrote it.</summary>
    [Fact]
    public void A_second_process_on_the_same_output_folder_is_refused_and_the_lock_goes_with_a_killed_holder()
    {
        var dir = Temp();
        using (var first = Start(dir))
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Ckpt(dir, 1)) && !first.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)) Thread.Sleep(50);
            Assert.True(File.Exists(Ckpt(dir, 1)) && !first.HasExited, "the first run should be training with a checkpoint written");

            var second = GenreCli.Run("train", "--model", "rnn2", "--epochs", "2", "--batch-size", "128", "--threads", "1", "--data", Small,
                "--out", dir, "--resume", "--quiet");
            OneLine(second, 4);
            Assert.Equal($"genre: {dir}: another genre process is writing this folder (it holds .genre.lock); wait for it to finish or use another output folder",
                         second.Stderr.Trim());
            first.Kill(); // SIGKILL: no chance to release anything itself
            first.WaitForExit();
        }
        var third = GenreCli.Run("train", "--model", "rnn2", "--epochs", "1", "--batch-size", "128", "--threads", "1", "--data", Small,
            "--out", dir, "--quiet");
        Assert.True(third.ExitCode == 0, third.Stderr);
    }
}
