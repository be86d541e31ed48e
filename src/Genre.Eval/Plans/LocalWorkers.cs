using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Genre.Data;

namespace Genre.Eval.Plans;

/// <summary>
/// How a plan runs on one machine: <see cref="Count"/> units at a time, each training with <see cref="ThreadsPerUnit"/> threads.
/// </summary>
public sealed record Workers(int Count, int ThreadsPerUnit)
{
    /// <summary>
    /// <paramref name="count"/> workers on a machine of <paramref name="cores"/> cores: each unit gets an equal share of the
    /// cores (at least one), or the threads asked for. A usage error naming the option otherwise.
    /// </summary>
    public static Fin<Workers> Of(int count, int cores, Option<int> threads) =>
        count < 1 ? GenreError.Usage($"--workers: {count} is not a positive number of workers")
        : threads.Exists(t => t < 1) ? GenreError.Usage($"--threads: {threads.IfNone(0)} is not a positive number of threads")
        : FinSucc(new Workers(count, threads.IfNone(Math.Max(1, cores / count))));
}

/// <summary>What a unit run by a local worker ended with: its exit code, or why it could not start.</summary>
public sealed record UnitOutcome(int Index, PlanUnit Unit, Fin<int> Exit, double Seconds)
{
    /// <summary>Trained to the end.</summary>
    public bool Finished => Exit.Exists(code => code == 0);

    /// <summary>"exit 5", or the reason it did not start.</summary>
    public string Describe() => Exit.Match(code => $"exit {code}", e => e.Message);
}

/// <summary>A local worker's progress: a unit started or ended.</summary>
public abstract record WorkerEvent(int Index, PlanUnit Unit);

/// <summary>Unit <paramref name="Index"/> (1-based, as in plan.tsv) started with <paramref name="Threads"/> threads.</summary>
public sealed record UnitStarted(int Index, PlanUnit Unit, int Threads) : WorkerEvent(Index, Unit);

/// <summary>A unit ended, however it ended.</summary>
public sealed record UnitEnded(UnitOutcome Outcome) : WorkerEvent(Outcome.Index, Outcome.Unit);

/// <summary>
/// Local lanes over a plan (<c>reproduce --seeds … --workers N</c>): the plan's units run N at a time on this machine, each as
/// its own process with its share of the cores — the commands and logs a Slurm array runs, so a folder started one way can be
/// finished the other. Units are taken in plan order (longest first), so the lanes end close together.
/// </summary>
public static class LocalWorkers
{
    /// <summary>
    /// Runs <paramref name="plan"/>'s units through <paramref name="runUnit"/> (unit, threads, cancel → exit code), at most
    /// <c>w.Count</c> at a time. Once <paramref name="cancel"/> is set no unit starts; those running get the token to stop
    /// after their epoch. Returns the outcome of every unit that ran, in plan order.
    /// </summary>
    public static Seq<UnitOutcome> Run(Plan plan, Workers w, Func<PlanUnit, int, CancellationToken, Fin<int>> runUnit,
                                       IProgress<WorkerEvent>? progress = null, CancellationToken cancel = default)
    {
        var units = plan.Units.ToArray();
        var next = -1;
        var outcomes = new ConcurrentBag<UnitOutcome>();
        void Lane()
        {
            while (!cancel.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= units.Length) return;
                progress?.Report(new UnitStarted(i + 1, units[i], w.ThreadsPerUnit));
                var clock = Stopwatch.StartNew();
                var exit = runUnit(units[i], w.ThreadsPerUnit, cancel);
                var outcome = new UnitOutcome(i + 1, units[i], exit, clock.Elapsed.TotalSeconds);
                outcomes.Add(outcome);
                progress?.Report(new UnitEnded(outcome));
            }
        }
        var lanes = Enumerable.Range(0, Math.Min(w.Count, units.Length)).Select(_ => new Thread(Lane)).ToArray();
        foreach (var lane in lanes) lane.Start();
        foreach (var lane in lanes) lane.Join();
        return outcomes.OrderBy(o => o.Index).ToSeq().Strict();
    }
}

/// <summary>
/// A unit as a child process (the effect <see cref="LocalWorkers.Run"/> is given by the command line): its command with
/// <c>--threads T</c>, stdout and stderr appended to its log, each session headed as a Slurm task's is. On cancel the child gets
/// SIGTERM, which genre takes as Ctrl-C: it finishes the epoch, writes a checkpoint and exits 130.
/// </summary>
public static class UnitProcess
{
    /// <summary>The unit's exit code, or an I/O error when its log cannot be opened or its command cannot start.</summary>
    public static Fin<int> Run(PlanUnit u, int threads, CancellationToken cancel)
    {
        var args = u.Command.Tail + Seq("--threads", threads.ToString(CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(u.Log)!);
            using var log = new StreamWriter(u.Log, append: true) { AutoFlush = true };
            var gate = new object();
            void Line(string? text)
            {
                if (text is null) return;
                lock (gate) log.WriteLine(text);
            }
            Line($"== {Now()} {u.Name}: local worker (process {Environment.ProcessId}), {threads} thread(s)");
            var psi = new ProcessStartInfo(u.Command.Head) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in args) psi.ArgumentList.Add(arg);
            using var p = Process.Start(psi)!;
            p.OutputDataReceived += (_, e) => Line(e.Data);
            p.ErrorDataReceived += (_, e) => Line(e.Data);
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            using (cancel.Register(() => Terminate(p.Id)))
                p.WaitForExit(); // with redirected output, also until both streams are read to the end
            Line($"== {Now()} {u.Name}: exit {p.ExitCode}");
            return p.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Win32Exception)
        {
            return GenreError.Io($"{u.Name}: cannot run {Shell.Quote(u.Command.Head)} logging to {u.Log} ({GenreError.Reason(e)})");
        }
    }

    /// <summary>A command with this process's stdout and stderr (the collect step, whose table the user reads): its exit code.</summary>
    public static Fin<int> Attached(Seq<string> command)
    {
        var psi = new ProcessStartInfo(command.Head);
        foreach (var arg in command.Tail) psi.ArgumentList.Add(arg);
        try
        {
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (Win32Exception e)
        {
            return GenreError.Io($"cannot run {Shell.Line(command)} ({GenreError.Reason(e)})");
        }
    }

    static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    const int SigTerm = 15;

    [DllImport("libc.so.6", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);

    // Process.Kill sends SIGKILL, which would lose the epoch in progress; SIGTERM lets genre checkpoint first
    static void Terminate(int pid) => Kill(pid, SigTerm);
}
