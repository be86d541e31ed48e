using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Genre.Cli.Tests;

/// <summary>
/// <c>genre reproduce --seeds … --workers N</c> (issue 26, point 5): the plan's units run N at a time on this machine as child
/// processes, then the collect step; the result equals the same request run in one process, and Ctrl-C stops every unit with
/// its checkpoint so the same command finishes them.
/// </summary>
public class ReproduceWorkersTests
{
    static readonly string Small = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");

    static string[] Request(string outDir, params string[] more) =>
        ["reproduce", "--profile", "fast", "--seeds", "1,2", "--only", "softmax,rnn1", "--data", Small, "--out", outDir, .. more];

    [Fact]
    public void Two_workers_give_the_metrics_reports_and_weights_of_the_same_request_run_in_one_process()
    {
        var root = GenreCli.TempDir("workers");
        var local = Path.Combine(root, "local");
        var workers = Path.Combine(root, "workers");
        var one = GenreCli.Run(Request(local, "--threads", "1"));
        Assert.True(one.ExitCode == 0, one.Stderr);

        var r = GenreCli.Run(Request(workers, "--workers", "2", "--threads", "1"));
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains($"plan: 4 unit(s) to train in {workers}, 2 at a time with 1 thread(s) each", r.Stdout);
        foreach (var unit in new[] { "seed-1/softmax", "seed-1/rnn1", "seed-2/softmax", "seed-2/rnn1" })
            Assert.Matches($@"\[\d/4\] {unit}: trained in \d+ s", r.Stdout);
        Assert.Contains($"wrote {Path.Combine(workers, "report.md")} and metrics.json", r.Stdout);
        Assert.Contains("seed-2/rnn1: local worker (process ", File.ReadAllText(Path.Combine(workers, "logs", "seed-2-rnn1.log")));

        foreach (var file in new[] { "metrics.json", "seed-1/metrics.json", "seed-2/metrics.json" })
            Assert.Equal(WithoutSeconds(Path.Combine(local, file)), WithoutSeconds(Path.Combine(workers, file)));
        var weights = Directory.GetFiles(local, "weights.safetensors", SearchOption.AllDirectories);
        Assert.Equal(4, weights.Length);
        foreach (var w in weights)
            Assert.True(File.ReadAllBytes(w).SequenceEqual(File.ReadAllBytes(w.Replace(local, workers))), $"{w}: weights differ");

        // everything finished: the same command trains nothing and only collects
        var again = GenreCli.Run(Request(workers, "--workers", "2"));
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("plan: nothing left to train", again.Stdout);
        Assert.Contains("wrote", again.Stdout);
    }

    [Fact]
    public void Sigint_stops_every_running_unit_with_its_checkpoint_and_the_same_command_finishes_them()
    {
        var root = GenreCli.TempDir("workers-int");
        var outDir = Path.Combine(root, "out");
        string[] Request(string dir, string seeds, params string[] more) =>
            ["reproduce", "--profile", "paper", "--seeds", seeds, "--only", "dnn1", "--data", Small, "--out", dir, "--threads", "1",
             .. more];
        var request = Request(outDir, "1,2", "--workers", "2");
        using (var p = Start(request))
        {
            var checkpoints = new[] { 1, 2 }.Select(s => Path.Combine(outDir, $"seed-{s}", "dnn1", "checkpoints")).ToArray();
            var clock = Stopwatch.StartNew();
            while (!checkpoints.All(d => Directory.Exists(d) && Directory.GetFiles(d, "*.ckpt").Length > 0) && !p.HasExited
                   && clock.Elapsed < TimeSpan.FromSeconds(180))
                Thread.Sleep(100);
            Assert.False(p.HasExited, "the run ended before both units wrote a checkpoint");
            using (var kill = Process.Start("kill", $"-INT {p.Id}")) kill.WaitForExit(); // the parent only, not its group
            Assert.True(p.WaitForExit(120_000), "not stopped within 2 minutes of SIGINT");
            var stderr = p.StandardError.ReadToEnd();
            Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}: {stderr}");
            Assert.Contains("genre reproduce: interrupted", stderr);
        }
        Assert.False(File.Exists(Path.Combine(outDir, "report.md")));
        foreach (var seed in new[] { 1, 2 })
        {
            var log = File.ReadAllText(Path.Combine(outDir, "logs", $"seed-{seed}-dnn1.log"));
            Assert.Contains($"seed-{seed}/dnn1: exit 130", log); // each child was told to stop, and stopped as Ctrl-C stops it
            Assert.False(File.Exists(Path.Combine(outDir, $"seed-{seed}", "dnn1", "weights.safetensors")));
        }

        var resumed = GenreCli.Run(request);
        Assert.True(resumed.ExitCode == 0, resumed.Stdout + resumed.Stderr);
        Assert.Contains("plan: 2 unit(s) to train", resumed.Stdout);
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));

        // resumed from its checkpoint, seed 1 ends with the weights of a run never interrupted
        var reference = Path.Combine(root, "reference");
        var whole = GenreCli.Run(Request(reference, "1"));
        Assert.True(whole.ExitCode == 0, whole.Stderr);
        Assert.True(File.ReadAllBytes(Path.Combine(reference, "seed-1", "dnn1", "weights.safetensors"))
            .SequenceEqual(File.ReadAllBytes(Path.Combine(outDir, "seed-1", "dnn1", "weights.safetensors"))), "seed-1 weights differ");
    }

    [Theory]
    [InlineData("--workers: 0 is not a positive number of workers", "--seeds", "1", "--workers", "0")]
    [InlineData("reproduce --plan, --slurm, --workers and --no-report work on seed folders", "--workers", "2")]
    [InlineData("reproduce: --workers runs the plan on this machine; give it or --plan/--slurm, not both", "--seeds", "1",
        "--workers", "2", "--slurm")]
    [InlineData("--collect is a plan's last step: it takes no --plan, --slurm, --workers or --no-report", "--collect",
        "--workers", "2")]
    public void Workers_usage_errors_exit_2_and_write_nothing(string message, params string[] options)
    {
        var outDir = Path.Combine(GenreCli.TempDir("workers-usage"), "never");
        var r = GenreCli.Run(["reproduce", "--data", Small, "--out", outDir, .. options]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(outDir));
    }

    /// <summary>A metrics.json with every "seconds" member (wall-clock time) and the checksum over them removed.</summary>
    static string WithoutSeconds(string path)
    {
        static JsonNode? Strip(JsonNode? node)
        {
            if (node is JsonObject o)
                foreach (var key in o.Select(kv => kv.Key).ToList())
                    if (key is "seconds" or "crc32c") o.Remove(key);
                    else Strip(o[key]);
            if (node is JsonArray a)
                foreach (var item in a) Strip(item);
            return node;
        }
        return Strip(JsonNode.Parse(File.ReadAllText(path)))!.ToJsonString();
    }

    static Process Start(string[] args)
    {
        // restore SIGINT's default disposition for the child (see CrashSafetyTests.Start)
        var psi = new ProcessStartInfo("perl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-e", "$SIG{INT} = 'DEFAULT'; exec { $ARGV[0] } @ARGV or die", "dotnet", GenreCli.Dll })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GENRE_DATA"] = null;
        return Process.Start(psi)!;
    }
}
