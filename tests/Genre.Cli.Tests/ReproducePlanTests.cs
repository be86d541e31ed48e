using System.Text.Json;

namespace Genre.Cli.Tests;

/// <summary>`genre reproduce --plan`, `--slurm` (without a cluster: the scripts, and --submit where sbatch is missing) and
/// `--no-report`, the command a plan's unit runs (issue 26).</summary>
public class ReproducePlanTests
{
    static readonly string Small = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");

    static string[] Request(string outDir, params string[] more) =>
        ["reproduce", "--profile", "fast", "--seeds", "1,2", "--only", "softmax,mlp,dnn1", "--data", Small, "--out", outDir, .. more];

    [Fact]
    public void A_plan_trains_nothing_and_a_unit_trained_with_no_report_leaves_the_plan_writes_no_report()
    {
        var outDir = Path.Combine(GenreCli.TempDir("plan"), "out");
        var plan = GenreCli.Run(Request(outDir, "--plan"));
        Assert.True(plan.ExitCode == 0, plan.Stderr);
        Assert.Contains($"plan: 4 unit(s) to train in {outDir}", plan.Stdout);
        Assert.Contains($"  1. seed-1/softmax (dense, 60 epochs) log: {Path.Combine(outDir, "logs", "seed-1-softmax.log")}", plan.Stdout);
        Assert.Contains("  2. seed-1/mlp+dnn1 (dense, 150 epochs)", plan.Stdout);
        Assert.Empty(Directory.GetDirectories(outDir, "seed-*"));
        Assert.True(Directory.Exists(Path.Combine(outDir, "logs")));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(outDir, "plan.tsv")).Length);

        // the first unit's command, as the plan gives it, run as it is (after `dotnet genre.dll`)
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "plan.json"))))
        {
            var command = json.RootElement.GetProperty("units")[0].GetProperty("command").EnumerateArray()
                .Select(c => c.GetString()!).ToArray();
            Assert.Equal("--no-report", command[^1]);
            var reproduce = Array.IndexOf(command, "reproduce");
            var unit = GenreCli.Run([.. command[reproduce..], "--threads", "1"]);
            Assert.True(unit.ExitCode == 0, unit.Stderr);
            Assert.Contains("seed-1/softmax: test accuracy ", unit.Stdout);
        }
        Assert.True(File.Exists(Path.Combine(outDir, "seed-1", "softmax", "settings.json")));
        Assert.False(File.Exists(Path.Combine(outDir, "seed-1", "report.md")));
        Assert.False(File.Exists(Path.Combine(outDir, "report.md")));

        var again = GenreCli.Run(Request(outDir, "--plan"));
        Assert.Contains("plan: 3 unit(s) to train", again.Stdout);
        Assert.Contains("(1 finished, left out)", again.Stdout);
        Assert.DoesNotContain("seed-1/softmax", again.Stdout);
    }

    [Fact]
    public void Slurm_writes_the_array_and_collect_scripts_and_submit_without_slurm_is_an_io_error()
    {
        var outDir = Path.Combine(GenreCli.TempDir("plan-slurm"), "out");
        var r = GenreCli.Run(Request(outDir, "--slurm", "--cpus-per-task", "1", "--max-parallel", "2", "--time", "30:00",
            "--threads", "7"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var array = File.ReadAllText(Path.Combine(outDir, "slurm", "train.sbatch"));
        Assert.Contains("#SBATCH --array=1-4%2\n", array);
        Assert.Contains("#SBATCH --time=30:00\n", array);
        Assert.DoesNotContain("--threads 7", array); // under Slurm a unit's threads are its task's CPUs
        Assert.True(File.Exists(Path.Combine(outDir, "slurm", "collect.sbatch")));
        Assert.Contains($"sbatch --parsable {Path.Combine(outDir, "slurm", "train.sbatch")}", r.Stdout);

        // no Slurm commands on PATH: exit 4, one line, nothing submitted
        var submit = GenreCli.Run(Directory.GetCurrentDirectory(), new Dictionary<string, string?> { ["PATH"] = "/nonexistent" },
            Request(outDir, "--slurm", "--submit"));
        Assert.Equal(4, submit.ExitCode);
        Assert.StartsWith("genre: squeue: not found — --submit needs Slurm's commands on PATH", submit.Stderr);
        Assert.Single(submit.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("reproduce --plan, --slurm, --workers and --no-report work on seed folders: give --seeds LIST", "--plan")]
    [InlineData("reproduce --plan, --slurm, --workers and --no-report work on seed folders", "--no-report", "--seed", "3")]
    [InlineData("reproduce: --partition goes with --slurm", "--plan", "--seeds", "1", "--partition", "short")]
    [InlineData("reproduce: --submit goes with --slurm", "--seeds", "1", "--submit")]
    [InlineData("--no-report trains a unit of a plan; give it or --plan/--slurm/--workers, not both", "--slurm", "--no-report", "--seeds",
        "1")]
    [InlineData("--cpus-per-task: 0 is not a positive number of CPUs", "--slurm", "--seeds", "1", "--cpus-per-task", "0")]
    [InlineData("--time: 'soon' is not a Slurm time limit", "--slurm", "--seeds", "1", "--time", "soon")]
    public void Plan_usage_errors_exit_2_and_write_nothing(string message, params string[] options)
    {
        var outDir = Path.Combine(GenreCli.TempDir("plan-usage"), "never");
        var r = GenreCli.Run(["reproduce", "--data", Small, "--out", outDir, .. options]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(outDir));
    }
}
