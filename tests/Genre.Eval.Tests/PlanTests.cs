using System.Diagnostics;
using Genre.Eval.Plans;

namespace Genre.Eval.Tests;

/// <summary>A reproduce request as units of work and as Slurm scripts (issue 26): pure values, no training.</summary>
public class PlanTests
{
    static readonly Seq<string> Genre = Seq1("/opt/genre dir/genre");

    static PlanRequest Request(string profile = "paper", string only = "softmax,mlp,rnn1,rnn2,dnn1", string seeds = "1,2") =>
        new(Genre, profile, Ok(SeedFolder.Parse(seeds)), Ok(Experiments.Only(Some(only))), "/shared/out", "/data/dataset.csv", None, None);

    static Profile ProfileFor(int seed) => Ok(Profiles.ByName("paper", seed));

    [Fact]
    public void Units_are_seed_times_experiment_with_twins_once_longest_first_and_finished_ones_left_out()
    {
        var plan = Plan.Of(Request(), ProfileFor, Seq((1, "rnn1"), (2, "softmax")));
        Assert.Equal(new[] { "seed-1/rnn2", "seed-2/rnn2", "seed-2/rnn1", "seed-1/softmax", "seed-1/mlp+dnn1", "seed-2/mlp+dnn1" },
                     plan.Units.Map(u => u.Name).ToArray());
        Assert.Equal(new[] { CostClass.Rnn2, CostClass.Rnn2, CostClass.Lstm, CostClass.Dense, CostClass.Dense, CostClass.Dense },
                     plan.Units.Map(u => u.Cost).ToArray());
        Assert.Equal(new[] { "seed-1/rnn1", "seed-2/softmax" }, plan.Finished.ToArray());
        Assert.All(plan.Units, u => Assert.Equal(1000, u.Settings.Epochs));
        var twins = plan.Units[4];
        Assert.Equal(Genre + Seq("reproduce", "--profile", "paper", "--seeds", "1", "--only", "mlp,dnn1", "--out", "/shared/out",
            "--data", "/data/dataset.csv", "--no-report"), twins.Command);
        Assert.Equal("/shared/out/logs/seed-1-mlp+dnn1.log", twins.Log);
        Assert.Equal(Genre + Seq("reproduce", "--profile", "paper", "--collect", "--out", "/shared/out", "--data", "/data/dataset.csv"),
                     plan.Collect);
    }

    [Fact]
    public void Under_the_fast_profile_mlp_and_dnn1_are_still_twins_and_everything_finished_leaves_no_unit()
    {
        var r = Request("fast");
        var plan = Plan.Of(r, s => Profiles.Fast(s), Seq<(int, string)>());
        Assert.Contains(plan.Units, u => u.Name == "seed-2/mlp+dnn1" && u.Settings.Epochs == 150);
        var all = r.Seeds.Bind(s => r.Experiments.Map(e => (s, e.Name)));
        var done = Plan.Of(r, s => Profiles.Fast(s), all);
        Assert.True(done.Units.IsEmpty);
        Assert.Equal(10, done.Finished.Count);
        Assert.Equal("index\tunit\tseed\texperiments\tcost\tepochs\tbatch_size\tlog\tcommand\n", done.Tsv());
    }

    [Fact]
    public void Plan_json_and_tsv_carry_each_unit_with_its_command_line_task_k_on_line_k_plus_one()
    {
        var plan = Plan.Of(Request(only: "rnn2,softmax", seeds: "3"), ProfileFor, Seq<(int, string)>());
        var tsv = plan.Tsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, tsv.Length);
        Assert.StartsWith("1\tseed-3/rnn2\t3\trnn2\trnn2\t1000\t10000\t/shared/out/logs/seed-3-rnn2.log\t" +
                          "'/opt/genre dir/genre' reproduce", tsv[1]);
        Assert.StartsWith("2\tseed-3/softmax\t3\tsoftmax\tdense\t", tsv[2]);
        var json = plan.Json();
        Assert.Equal("seed-3/softmax", json["units"]![1]!["unit"]!.GetValue<string>());
        Assert.Equal(2, json["units"]![1]!["index"]!.GetValue<int>());
        Assert.Equal("--no-report", json["units"]![0]!["command"]!.AsArray().Last()!.GetValue<string>());
    }

    [Fact]
    public void The_array_script_runs_one_unit_per_task_with_the_tasks_cpus_a_log_per_unit_requeue_and_a_warning_signal()
    {
        var plan = Plan.Of(Request(), ProfileFor, Seq<(int, string)>());
        var o = Ok(SlurmOptions.Of(Some("gpu,cpu"), 4, Some("2-00:00:00"), Some(3)));
        var script = Slurm.ArrayScript(plan, o);
        Assert.StartsWith("#!/bin/bash\n", script);
        Assert.Contains($"#SBATCH --job-name={Slurm.JobName("/shared/out")}\n", script);
        Assert.Contains("#SBATCH --array=1-8%3\n", script);
        Assert.Contains("#SBATCH --partition=gpu,cpu\n#SBATCH --cpus-per-task=4\n#SBATCH --time=2-00:00:00\n", script);
        Assert.Contains("#SBATCH --output=/shared/out/logs/slurm-%A_%a.out\n", script);
        Assert.Contains("#SBATCH --requeue\n", script);
        Assert.Contains("#SBATCH --signal=B:USR1@120\n", script);
        Assert.Contains("  8) unit=seed-2/mlp+dnn1; log=/shared/out/logs/seed-2-mlp+dnn1.log\n", script);
        Assert.Contains("--threads \"${SLURM_CPUS_PER_TASK:-1}\"", script);
        Assert.Contains("scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"", script);
        Assert.DoesNotContain("--partition", Slurm.ArrayScript(plan, SlurmOptions.Default));
        Assert.Contains("#SBATCH --array=1-8\n", Slurm.ArrayScript(plan, SlurmOptions.Default));
        Assert.All(script.Split('\n').Where(l => l.StartsWith("#SBATCH")), l => Assert.DoesNotContain(" ", l.Trim()[8..]));
    }

    [Fact]
    public void The_collect_script_collects_then_writes_the_plan_again_to_list_what_did_not_finish()
    {
        var plan = Plan.Of(Request() with { AuthorsModels = Some("/ref/authors models") }, ProfileFor, Seq<(int, string)>());
        var script = Slurm.CollectScript(plan, SlurmOptions.Default);
        Assert.Contains($"#SBATCH --job-name={Slurm.CollectName("/shared/out")}\n", script);
        Assert.Contains("#SBATCH --output=/shared/out/logs/collect-%j.out\n", script);
        Assert.Contains("collect=('/opt/genre dir/genre' reproduce --profile paper --collect --out /shared/out --data /data/dataset.csv " +
                        "--authors-models '/ref/authors models')\n", script);
        Assert.Contains("--only softmax,mlp,rnn1,rnn2,dnn1 --out /shared/out --data /data/dataset.csv --plan", script);
        Assert.Contains("tsv=/shared/out/plan.tsv\n", script);
        Assert.Contains("exit 1", script);
    }

    [Fact]
    public void Both_scripts_are_valid_bash()
    {
        var plan = Plan.Of(Request(), ProfileFor, Seq<(int, string)>());
        foreach (var script in new[] { Slurm.ArrayScript(plan, SlurmOptions.Default), Slurm.CollectScript(plan, SlurmOptions.Default) })
        {
            var r = Bash(["-n"], script);
            Assert.True(r.Code == 0, r.Err);
        }
    }

    [Theory]
    [InlineData("plain-word_1.0")]
    [InlineData("with space")]
    [InlineData("it's")]
    [InlineData("$HOME `x` \"q\" \\ *")]
    [InlineData("")]
    public void A_quoted_word_reads_back_as_itself_in_bash(string word)
    {
        var r = Bash(["-c", $"printf '%s' {Shell.Quote(word)}"], "");
        Assert.Equal(word, r.Out);
    }

    [Theory]
    [InlineData("gpu partition", 1, null, null, "--partition: 'gpu partition' is not a partition name")]
    [InlineData(null, 0, null, null, "--cpus-per-task: 0 is not a positive number of CPUs")]
    [InlineData(null, 1, "two hours", null, "--time: 'two hours' is not a Slurm time limit")]
    [InlineData(null, 1, null, 0, "--max-parallel: 0 is not a positive number of tasks")]
    public void Slurm_options_that_sbatch_would_refuse_are_usage_errors(string? partition, int cpus, string? time, int? parallel,
                                                                         string message)
    {
        var e = SlurmOptions.Of(Optional(partition), cpus, Optional(time), parallel is int p ? Some(p) : None)
            .Match(_ => throw new Xunit.Sdk.XunitException("expected failure"), e => e);
        Assert.Equal(GenreError.UsageCode, e.Code);
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("90")]
    [InlineData("30:00")]
    [InlineData("12:00:00")]
    [InlineData("1-12")]
    [InlineData("2-00:00:00")]
    [InlineData("UNLIMITED")]
    public void Slurm_time_formats_are_accepted(string time) => Ok(SlurmOptions.Of(None, 1, Some(time), None));

    static (int Code, string Out, string Err) Bash(string[] args, string stdin)
    {
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output, err.Result);
    }
}
