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
    static readonly string Earlier = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "legacy", "softmax-tiny");

    static string Temp() => GenreCli.TempDir("cli-reliability");

    /// <summary>softmax on the tiny file with a checkpoint after every epoch: the settings the earlier folder was written with,
    /// on libtorch's gemms as that genre trained (genre's own kernels round differently).</summary>
    static GenreCli.Result Train(string outDir, int epochs, params string[] extra) =>
        GenreCli.Run(["train", "--model", "softmax", "--epochs", $"{epochs}", "--batch-size", "128", "--checkpoint-every", "1", "--threads",
            "1", "--gemm", "libtorch", "--data", Tiny, "--out", outDir, "--quiet", .. extra]);

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
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "weights.safetensors")),
            File.ReadAllBytes(Path.Combine(dir, "weights.safetensors")));
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
    public void A_checkpoint_written_before_checksums_is_refused_then_migrated_and_resumes_bit_identically()
    {
        var straight = Temp();
        Assert.Equal(0, Train(straight, 3).ExitCode);
        var dir = Temp();
        var checkpoints = Path.Combine(dir, "checkpoints");
        Directory.CreateDirectory(checkpoints);
        foreach (var f in Directory.GetFiles(Path.Combine(Earlier, "checkpoints")))
            File.Copy(f, Path.Combine(checkpoints, Path.GetFileName(f)));

        var refused = Train(dir, 3, "--resume");
        OneLine(refused, 5);
        Assert.Equal($"genre: {Ckpt(dir, 2)} has no checksums (a GENRET1 tensor file) (written by an earlier genre): " +
                     $"run genre migrate {checkpoints}",
            refused.Stderr.Trim());
        var migrated = GenreCli.Run("migrate", dir);
        Assert.True(migrated.ExitCode == 0, migrated.Stderr);
        Assert.Contains($"{Ckpt(dir, 2)}: GENRET1 → GENRET2 (checksums)", migrated.Stdout);
        var r = Train(dir, 3, "--resume");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("", r.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight, "weights.safetensors")),
            File.ReadAllBytes(Path.Combine(dir, "weights.safetensors")));
    }

    [Fact]
    public void Training_gemms_are_genres_own_by_default_libtorchs_when_asked_and_nothing_else()
    {
        var (own, libtorch) = (Temp(), Temp());
        Assert.Equal(0, GenreCli.Run("train", "--model", "softmax", "--epochs", "2", "--batch-size", "128", "--threads", "1",
            "--data", Tiny, "--out", own, "--quiet").ExitCode);
        Assert.Equal(0, Train(libtorch, 2).ExitCode);
        // the same model trained twice: equal but for float32 rounding where genre's kernels run (AVX-512F or AVX2 with FMA)
        var (a, b) = (File.ReadAllBytes(Path.Combine(own, "weights.safetensors")),
            File.ReadAllBytes(Path.Combine(libtorch, "weights.safetensors")));
        if (System.Runtime.Intrinsics.X86.Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported) Assert.NotEqual(a, b);
        var refused = GenreCli.Run("train", "--model", "softmax", "--epochs", "1", "--gemm", "mkl", "--data", Tiny, "--out", Temp());
        OneLine(refused, 2);
        Assert.Equal("genre: train: --gemm is own or libtorch, not 'mkl'", refused.Stderr.Trim());
    }

    [Fact]
    public void A_model_saved_before_checksums_is_refused_then_migrated_and_evaluates_to_its_recorded_metrics()
    {
        var dir = Folders.CopyTree(Earlier, Temp());
        var refused = GenreCli.Run("evaluate", "--model-dir", dir, "--data", Tiny, "--json");
        OneLine(refused, 5);
        Assert.Equal($"genre: {Path.Combine(dir, "weights.bin")} holds the weights in place of weights.safetensors " +
                     $"(written by an earlier genre): run genre migrate {dir}", refused.Stderr.Trim());
        var migrated = GenreCli.Run("migrate", dir);
        Assert.True(migrated.ExitCode == 0, migrated.Stderr);
        Assert.EndsWith($"{dir}: 4 file(s) migrated", migrated.Stdout.Trim());
        var r = GenreCli.Run("evaluate", "--model-dir", dir, "--data", Tiny, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(r.Stdout);
        using var recorded = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")));
        foreach (var metric in new[] { "test_accuracy", "test_loss" })
            Assert.Equal(recorded.RootElement.GetProperty(metric).GetDouble(), json.RootElement.GetProperty(metric).GetDouble());
        var again = GenreCli.Run("migrate", dir);
        Assert.Equal(0, again.ExitCode);
        Assert.Equal($"{dir}: nothing to migrate (every file is in the current format)", again.Stdout.Trim());
    }

    [Fact]
    public void Migrate_refuses_a_damaged_earlier_file_with_exit_5_naming_it_and_writes_nothing()
    {
        var dir = Folders.CopyTree(Earlier, Temp());
        var bin = Path.Combine(dir, "weights.bin");
        Flip(bin, 20); // inside the header's JSON, which GENRET1 does not checksum
        var before = Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order().Select(File.ReadAllBytes).ToArray();
        var r = GenreCli.Run("migrate", dir);
        OneLine(r, 5);
        Assert.StartsWith($"genre: {bin}: ", r.Stderr);
        Assert.Equal(before, Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order().Select(File.ReadAllBytes).ToArray());
    }

    [Fact]
    public void Migrate_names_one_folder()
    {
        OneLine(GenreCli.Run("migrate"), 2);
        OneLine(GenreCli.Run("migrate", Temp(), Temp()), 2);
        OneLine(GenreCli.Run("migrate", Temp(), "--seed", "x"), 2);
        var missing = Path.Combine(Temp(), "nope");
        var r = GenreCli.Run("migrate", missing);
        OneLine(r, 4);
        Assert.Equal($"genre: {missing}: folder not found", r.Stderr.Trim());
    }

    [Fact]
    public void A_diverging_training_exits_6_naming_epoch_and_batch_and_writes_no_results()
    {
        var dir = Temp();
        var r = GenreCli.Run("train", "--model", "dnn1", "--epochs", "3", "--batch-size", "64", "--learning-rate", "1e36", "--threads", "1",
            "--data", Tiny, "--out", dir, "--quiet");
        OneLine(r, 6);
        Assert.Matches(@"^genre: dnn1: training diverged at epoch 1, batch \d+ of 4: .*; stopped — no checkpoint had been written$",
            r.Stderr.Trim());
        foreach (var f in new[] { "weights.safetensors", "model.json", "history.json", "metrics.json" }) Assert.False(
            File.Exists(Path.Combine(dir, f)), f);
        Assert.Empty(Directory.Exists(Path.Combine(dir, "checkpoints")) ? Directory.GetFiles(Path.Combine(dir, "checkpoints")) : []);
    }

    static Process Start(string outDir)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { GenreCli.Dll, "train", "--model", "rnn2", "--epochs", "30", "--batch-size", "128", "--checkpoint-every",
            "1",
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
            Assert.Equal($"genre: {dir}: another genre process is writing this folder (it holds .genre.lock); wait for it to finish or " +
                $"use another output folder",
                         second.Stderr.Trim());
            first.Kill(); // SIGKILL: no chance to release anything itself
            first.WaitForExit();
        }
        var third = GenreCli.Run("train", "--model", "rnn2", "--epochs", "1", "--batch-size", "128", "--threads", "1", "--data", Small,
            "--out", dir, "--quiet");
        Assert.True(third.ExitCode == 0, third.Stderr);
    }
}
