using Xunit.Abstractions;

namespace Genre.Cli.Tests;

/// <summary>
/// <c>reproduce --slurm --submit</c> on a real Slurm (issue 26): tests/slurm/run starts a private single-node cluster (installing
/// Debian's slurm-wlm and munge when missing), submits the fast profile over 2 seeds × 3 experiments on the small synthetic file,
/// scancels one task mid-training, resubmits, and compares everything with the same request run locally in one process. The
/// script runs once for both tests (minutes of daemons and training); each test reads its part of the script's result lines.
/// </summary>
public sealed class SlurmTests(SlurmRun run, ITestOutputHelper output) : IClassFixture<SlurmRun>
{
    /// <summary>The shared run's result, its output shown, once it has exited 0.</summary>
    GenreCli.Result Succeeded()
    {
        var r = run.Result.Value;
        output.WriteLine(r.Stdout);
        Assert.True(r.ExitCode == 0, $"tests/slurm/run exited {r.ExitCode}:\n{r.Stdout}\n{r.Stderr}");
        return r;
    }

    [SlurmFact]
    public void A_reproduce_submitted_to_Slurm_equals_the_same_request_run_locally_value_for_value()
    {
        var r = Succeeded();
        Assert.Contains("plan: 6 unit(s) to train", r.Stdout);
        Assert.Contains("result: metrics.json equal (3 files,", r.Stdout);
        Assert.Contains("report.md equal (3 files; seconds masked)", r.Stdout);
        Assert.Contains("result: weights equal (6 units", r.Stdout);
    }

    [SlurmFact]
    public void A_scancelled_task_is_listed_by_collect_and_resubmitted_alone_it_resumes_to_the_same_weights()
    {
        var r = Succeeded();
        Assert.Contains("result: collect listed the cancelled unit seed-2/rnn1 with its log; checkpoints: epoch-", r.Stdout);
        Assert.Contains("plan: 1 unit(s) to train", r.Stdout);
        Assert.Contains("result: resubmitted 1 unit; collect completed", r.Stdout);
        Assert.Contains("the resumed seed-2/rnn1 included", r.Stdout);
    }
}

/// <summary>One run of tests/slurm/run, started by the first test that asks for it (none when every test is skipped).</summary>
public sealed class SlurmRun
{
    public static string Script => Path.Combine(GenreCli.RepoRoot, "tests", "slurm", "run");

    public Lazy<GenreCli.Result> Result { get; } = new(() => Bash(Script, "--dll", GenreCli.Dll));

    internal static GenreCli.Result Bash(params string[] args) =>
        GenreCli.Process("bash", Directory.GetCurrentDirectory(), null, args);
}

/// <summary>Needs root and Slurm and munge installed or installable with apt-get (tests/slurm/run --check); skipped by name
/// otherwise.</summary>
public sealed class SlurmFactAttribute : FactAttribute
{
    static readonly Lazy<string?> WhyNot = new(() =>
    {
        var check = SlurmRun.Bash(SlurmRun.Script, "--check");
        var last = check.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return check.ExitCode switch
        {
            0 => null,
            77 => last.StartsWith("skip: ") ? last["skip: ".Length..] : last,
            _ => $"tests/slurm/run --check exited {check.ExitCode}: {last} {check.Stderr.Trim()}",
        };
    });

    public SlurmFactAttribute() => Skip = WhyNot.Value;
}
