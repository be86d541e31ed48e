using Genre.Eval.Plans;

namespace Genre.Eval.Tests;

/// <summary>Local lanes over a plan (issue 26, point 5): the scheduling, with units as functions, and one unit as a process.</summary>
public class LocalWorkersTests
{
    static Plan PaperPlan(string outDir = "/shared/out") =>
        Plan.Of(new PlanRequest(Seq1("genre"), "paper", Ok(SeedFolder.Parse("1-3")), Ok(Experiments.Only(Some("softmax,rnn1,dnn2"))),
            outDir, "/data/dataset.csv", None, None), s => Ok(Profiles.ByName("paper", s)), Seq<(int, string)>());

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Every_unit_runs_once_at_most_n_at_a_time_and_outcomes_come_back_in_plan_order(int n)
    {
        var plan = PaperPlan();
        var running = 0;
        var most = 0;
        var ran = new System.Collections.Concurrent.ConcurrentBag<string>();
        var outcomes = LocalWorkers.Run(plan, new Workers(n, 3), (u, threads, _) =>
        {
            Assert.Equal(3, threads);
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(20);
            ran.Add(u.Name);
            Interlocked.Decrement(ref running);
            return u.Seed == 2 ? 5 : 0;
        });
        Assert.Equal(plan.Units.Map(u => u.Name).OrderBy(x => x), ran.OrderBy(x => x));
        Assert.Equal(Math.Min(n, plan.Units.Count), most);
        Assert.Equal(plan.Units.Map(u => u.Name).ToArray(), outcomes.Map(o => o.Unit.Name).ToArray());
        Assert.Equal(Enumerable.Range(1, plan.Units.Count), outcomes.Map(o => o.Index));
        Assert.All(outcomes, o => Assert.Equal(o.Unit.Seed != 2, o.Finished));
        Assert.Equal("exit 5", outcomes.Find(o => o.Unit.Seed == 2).Map(o => o.Describe()).IfNone(""));
    }

    [Fact]
    public void Once_cancelled_no_unit_starts_and_the_running_ones_get_the_token()
    {
        var plan = PaperPlan();
        using var cts = new CancellationTokenSource();
        var started = 0;
        var sawCancel = 0;
        var outcomes = LocalWorkers.Run(plan, new Workers(2, 1), (_, _, token) =>
        {
            if (Interlocked.Increment(ref started) == 2) cts.Cancel();
            token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10));
            if (token.IsCancellationRequested) Interlocked.Increment(ref sawCancel);
            return 130;
        }, cancel: cts.Token);
        Assert.Equal(2, started);
        Assert.Equal(2, sawCancel);
        Assert.Equal(2, outcomes.Count);
        Assert.All(outcomes, o => Assert.False(o.Finished));
    }

    [Fact]
    public void A_unit_process_appends_its_output_to_its_log_and_returns_its_exit_code()
    {
        var dir = Path.Combine(Path.GetTempPath(), "genre-unit-" + Guid.NewGuid().ToString("N"));
        var log = Path.Combine(dir, "logs", "seed-1-softmax.log");
        var unit = PaperPlan(dir).Units.Head with
        {
            Command = Seq("bash", "-c", "echo \"out $*\"; echo err >&2; exit 3", "unit"),
            Log = log,
        };
        Assert.Equal(3, Ok(UnitProcess.Run(unit, 2, CancellationToken.None)));
        Assert.Equal(3, Ok(UnitProcess.Run(unit, 1, CancellationToken.None)));
        var lines = File.ReadAllLines(log);
        Assert.Equal(8, lines.Length); // two sessions appended, each headed and closed
        Assert.Matches(@"^== \S+Z seed-1/\w+: local worker \(process \d+\), 2 thread\(s\)$", lines[0]);
        Assert.Contains("out --threads 2", lines);
        Assert.Contains("out --threads 1", lines);
        Assert.Contains("err", lines);
        Assert.EndsWith(": exit 3", lines[^1]);
    }

    [Fact]
    public void A_unit_whose_program_is_missing_is_an_io_error_naming_the_unit()
    {
        var dir = Path.Combine(Path.GetTempPath(), "genre-unit-" + Guid.NewGuid().ToString("N"));
        var unit = PaperPlan(dir).Units.Head with { Command = Seq1("/nonexistent/genre") };
        var error = Fail(UnitProcess.Run(unit, 1, CancellationToken.None));
        Assert.StartsWith($"{unit.Name}: cannot run /nonexistent/genre", error);
    }

    [Theory]
    [InlineData(1, 2, 2)]
    [InlineData(2, 2, 1)]
    [InlineData(3, 2, 1)]
    [InlineData(4, 16, 4)]
    public void Each_worker_gets_an_equal_share_of_the_cores_and_at_least_one(int workers, int cores, int threads) =>
        Assert.Equal(threads, Ok(Workers.Of(workers, cores, None)).ThreadsPerUnit);

    [Fact]
    public void Threads_asked_for_win_and_non_positive_counts_are_usage_errors()
    {
        Assert.Equal(new Workers(2, 3), Ok(Workers.Of(2, 16, Some(3))));
        Assert.Contains("--workers: 0 is not a positive number", Fail(Workers.Of(0, 2, None)));
        Assert.Contains("--threads: -1 is not a positive number", Fail(Workers.Of(1, 2, Some(-1))));
    }

    static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
