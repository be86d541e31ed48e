using System.Diagnostics;

namespace Genre.Cli.Tests;

/// <summary>Issue 7: a training killed with SIGKILL after a checkpoint resumes to the same weights; SIGINT stops cleanly.</summary>
public class CrashSafetyTests
{
    static readonly string Data = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");

    static string[] TrainArgs(string outDir, params string[] extra) =>
        new[]
            {
                "train", "--model", "rnn2", "--epochs", "12", "--batch-size", "128", "--checkpoint-every", "1", "--threads", "1",
                "--data", Data, "--out", outDir, "--quiet",
            }
            .Concat(extra).ToArray();

    static Process Start(string[] args)
    {
        // A child started from a background job inherits SIGINT as ignored (the shell does that, and .NET then keeps ignoring
        // it, as nohup expects). perl-base (essential in Debian) restores the default disposition and execs, keeping the pid.
        var psi = new ProcessStartInfo("perl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die", "dotnet", GenreCli.Dll })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GENRE_DATA"] = null;
        return Process.Start(psi)!;
    }

    static bool WaitForCheckpoint(string outDir, Process p, int atLeast)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(120) && !p.HasExited)
        {
            var dir = Path.Combine(outDir, "checkpoints");
            if (Directory.Exists(dir) && Directory.GetFiles(dir, "*.ckpt").Length >= Math.Min(atLeast, 2)
                && Directory.GetFiles(dir, "*.ckpt").Max()!.CompareTo(Path.Combine(dir, $"epoch-{atLeast:D5}.ckpt")) >= 0) return true;
            Thread.Sleep(50);
        }
        return false;
    }

    [Fact]
    public void Sigkill_after_a_checkpoint_then_resume_equals_an_uninterrupted_run()
    {
        var root = Path.Combine(Path.GetTempPath(), "genre-crash-" + Guid.NewGuid().ToString("N"));
        var straight = GenreCli.Run(TrainArgs(Path.Combine(root, "straight")));
        Assert.True(straight.ExitCode == 0, straight.Stderr);

        var killed = Path.Combine(root, "killed");
        using (var p = Start(TrainArgs(killed)))
        {
            Assert.True(WaitForCheckpoint(killed, p, 3), "no checkpoint before the run ended");
            p.Kill(); // SIGKILL
            p.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, "weights.safetensors")), "the killed run must not have finished");
        Assert.Empty(Directory.GetFiles(Path.Combine(killed, "checkpoints"), "*.tmp"));
        var resumed = GenreCli.Run(TrainArgs(killed, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(root, "straight", "weights.safetensors")),
            File.ReadAllBytes(Path.Combine(killed, "weights.safetensors")));
        Assert.Equal(File.ReadAllText(Path.Combine(root, "straight", "metrics.json")).Split("\"seconds\"")[0],
                     File.ReadAllText(Path.Combine(killed, "metrics.json")).Split("\"seconds\"")[0]);
        // the resumed run's seconds count the killed session's epochs too
        var epochs = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(killed, "history.json")))!.AsArray();
        var seconds = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(
            Path.Combine(killed, "metrics.json")))!["seconds"]!.GetValue<double>();
        Assert.Equal(epochs.Sum(e => e!["seconds"]!.GetValue<double>()), seconds, 6);
    }

    [Fact]
    public void Sigint_stops_after_the_epoch_with_a_checkpoint_and_exit_130()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "genre-int-" + Guid.NewGuid().ToString("N"));
        using var p = Start(TrainArgs(outDir));
        Assert.True(WaitForCheckpoint(outDir, p, 2), "no checkpoint before the run ended");
        using (var kill = Process.Start("kill", $"-INT {p.Id}")) kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000));
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}: {stderr}");
        Assert.Contains("interrupted after epoch", stderr);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(outDir, "checkpoints"), "*.ckpt"));
        Assert.False(File.Exists(Path.Combine(outDir, "weights.safetensors")));
    }

    [Fact]
    public void Sigint_stops_reproduce_with_exit_130_and_writes_no_report()
    {
        var outDir = Path.Combine(Path.GetTempPath(), "genre-int-reproduce-" + Guid.NewGuid().ToString("N"));
        using var p = Start(["reproduce", "--profile", "paper", "--only", "rnn2", "--threads", "1", "--data", Data, "--out", outDir]);
        Assert.True(WaitForCheckpoint(Path.Combine(outDir, "rnn2"), p, 2), "no checkpoint before the run ended");
        using (var kill = Process.Start("kill", $"-INT {p.Id}")) kill.WaitForExit();
        Assert.True(p.WaitForExit(60_000));
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}: {stderr}");
        Assert.Contains("genre reproduce: interrupted", stderr);
        Assert.DoesNotContain("wrote", stdout);
        Assert.False(File.Exists(Path.Combine(outDir, "report.md")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(outDir, "rnn2", "checkpoints"), "*.ckpt"));
    }
}

public class DeterminismTests
{
    [Theory]
    [InlineData("rnn1")]
    [InlineData("dnn2")]
    public void Same_seed_gives_bit_identical_weights_and_history_across_runs_and_thread_counts(string model)
    {
        var data = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");
        var root = Path.Combine(Path.GetTempPath(), "genre-det-" + Guid.NewGuid().ToString("N"));
        string Train(string name, string threads)
        {
            var dir = Path.Combine(root, name);
            var r = GenreCli.Run("train", "--model", model, "--epochs", "3", "--batch-size", "128", "--threads", threads, "--data", data,
                "--out", dir, "--quiet");
            Assert.True(r.ExitCode == 0, r.Stderr);
            return dir;
        }
        var a = Train("a", "1");
        var b = Train("b", "1");
        var c = Train("c", "2");
        foreach (var other in new[] { b, c })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, "weights.safetensors")),
                File.ReadAllBytes(Path.Combine(other, "weights.safetensors")));
            string Metrics(string d) => System.Text.RegularExpressions.Regex.Replace(
                File.ReadAllText(Path.Combine(d, "history.json")), "\"seconds\":[0-9.eE+-]+", "");
            Assert.Equal(Metrics(a), Metrics(other));
        }
    }
}
