using System.ComponentModel;
using System.Diagnostics;
using Genre.Data;
using Genre.Eval;
using Genre.Eval.Plans;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre reproduce --seeds LIST … --plan</c> writes the units still to train (plan.json, plan.tsv) without training;
/// <c>--slurm [--partition P] [--cpus-per-task N] [--time T] [--max-parallel M] [--submit]</c> also writes them as a Slurm array
/// job and a collect job (and with <c>--submit</c> hands both to <c>sbatch</c>); <c>--no-report</c> is what each unit runs: it
/// trains its experiments into their seed folders and writes no report; <c>--workers N</c> runs the plan here, N units at a time
/// (each with its share of the cores), then its collect step.
/// </summary>
public static partial class ReproduceCommand
{
    static Seq<Opt> PlanOptions => Seq(
        Opt.Flag("plan", "write the units still to train (plan.json, plan.tsv, Kubernetes Jobs) without training"),
        Opt.Flag("slurm", "also write them as a Slurm array job and a collect job"),
        Opt.Valued("partition", "P", "the Slurm partition"),
        Opt.Valued("cpus-per-task", "N", "CPUs per Slurm task (the unit's threads)"),
        Opt.Valued("time", "T", "the Slurm time limit per task"),
        Opt.Valued("max-parallel", "M", "at most M Slurm tasks at once"),
        Opt.Flag("submit", "hand the Slurm jobs to sbatch and print their ids"),
        Opt.Flag("no-report", "what each unit runs: train its experiments, write no report"),
        Opt.Valued("workers", "N", "run the plan here, N units at a time, then its collect step"));
    static readonly string[] SlurmOnly = ["partition", "cpus-per-task", "time", "max-parallel", "submit"];

    static bool IsPlanned(Args a) => a.Flag("plan") || a.Flag("slurm") || a.Get("workers").IsSome;

    static Fin<Unit> PlanUsage(Args a) =>
        (IsPlanned(a) || a.Flag("no-report")) && a.Flag("collect")
            ? GenreError.Usage("reproduce --collect is a plan's last step: it takes no --plan, --slurm, --workers or --no-report")
        : (IsPlanned(a) || a.Flag("no-report")) && a.Get("seeds").IsNone
            ? GenreError.Usage("reproduce --plan, --slurm, --workers and --no-report work on seed folders: give --seeds LIST " +
                               "(e.g. --seeds 1-5)")
        : IsPlanned(a) && a.Flag("no-report")
            ? GenreError.Usage("reproduce: --no-report trains a unit of a plan; give it or --plan/--slurm/--workers, not both")
        : a.Get("workers").IsSome && (a.Flag("plan") || a.Flag("slurm"))
            ? GenreError.Usage("reproduce: --workers runs the plan on this machine; give it or --plan/--slurm, not both")
        : SlurmOnly.FirstOrDefault(o => a.Get(o).IsSome && !a.Flag("slurm")) is string lone
            ? GenreError.Usage($"reproduce: --{lone} goes with --slurm")
        : FinSucc(unit);

    /// <summary>The profile of each seed, as a multi-seed run takes it.</summary>
    static Func<int, Profile> ProfileFor(Profile profile) => s => Profiles.ByName(profile.Name, s).IfFail(profile);

    /// <summary>
    /// Writes the plan (and the Slurm scripts) and, with <c>--submit</c>, submits them. Units run with the task's CPUs as threads
    /// under Slurm, so an explicit <c>--threads</c> reaches the plan's commands only without <c>--slurm</c>.
    /// </summary>
    static Fin<int> Planned(Args a, Profile profile, Seq<int> seeds, Seq<Experiment> experiments, string outDir, DataSource source,
                            Option<string> authorsDir) =>
        from threads in a.Int("threads", 0)
        from slurm in a.Flag("slurm") ? SlurmOptionsOf(a).Map(Some) : FinSucc(Option<SlurmOptions>.None)
        from workers in a.Get("workers").IsSome ? WorkersOf(a).Map(Some) : FinSucc(Option<Workers>.None)
        let request = new PlanRequest(Self(), profile.Name, seeds, experiments, Path.GetFullPath(outDir), Path.GetFullPath(source.Path),
            authorsDir.Map(Path.GetFullPath), a.Get("threads").IsSome && slurm.IsNone && workers.IsNone ? Some(threads) : None)
        from finished in PlanFolders.Finished(request.OutDir, ProfileFor(profile), seeds, experiments)
        let plan = Plan.Of(request, ProfileFor(profile), finished)
        from _ in PlanFolders.Write(plan)
        from code in slurm.Match(o => Scheduled(plan, o, a.Flag("submit")),
            () => workers.Match(w => Local(plan, w), () => FinSucc(PrintPlan(plan))))
        select code;

    static Fin<Workers> WorkersOf(Args a) =>
        from count in a.Int("workers", 1)
        from threads in a.Int("threads", 0)
        from w in Workers.Of(count, Environment.ProcessorCount, a.Get("threads").Map(_ => threads))
        select w;

    /// <summary>
    /// <c>--workers</c>: the plan's units run here, N at a time, each logging to its file as under Slurm; then the collect step
    /// writes the reports. Ctrl-C stops every running unit after its epoch with a checkpoint (exit 130, no report); a unit that
    /// failed is listed with its log after the collect step, and the run exits 1.
    /// </summary>
    static Fin<int> Local(Plan plan, Workers w)
    {
        var dir = plan.Request.OutDir;
        var total = plan.Units.Count;
        Console.WriteLine(total == 0
            ? $"plan: nothing left to train in {dir} ({plan.Finished.Count} finished)"
            : $"plan: {total} unit(s) to train in {dir}, {Math.Min(w.Count, total)} at a time with {w.ThreadsPerUnit} thread(s) each"
              + (plan.Finished.IsEmpty ? "" : $" ({plan.Finished.Count} finished, left out)"));
        var progress = new Models.SyncProgress<WorkerEvent>(e => Console.WriteLine(e switch
        {
            UnitStarted s => $"  [{s.Index}/{total}] {s.Unit.Name}: started, log {s.Unit.Log}",
            UnitEnded { Outcome: var o } => $"  [{o.Index}/{total}] {o.Unit.Name}: " +
                                            (o.Finished ? $"trained in {o.Seconds:F0} s" : $"{o.Describe()} after {o.Seconds:F0} s"),
            _ => "",
        }));
        return from run in TrainCommand.WithCtrlC(cancel =>
                   FinSucc((Outcomes: LocalWorkers.Run(plan, w, UnitProcess.Run, progress, cancel),
                            Stopped: cancel.IsCancellationRequested)))
               from code in run.Stopped ? FinSucc(Interrupted(dir)) : Collected(plan, run.Outcomes)
               select code;
    }

    static Fin<int> Collected(Plan plan, Seq<UnitOutcome> outcomes) =>
        from collected in UnitProcess.Attached(plan.Collect)
        let failed = outcomes.Filter(o => !o.Finished)
        select failed.IsEmpty ? collected : Unfinished(failed);

    static int Unfinished(Seq<UnitOutcome> failed)
    {
        Console.Error.WriteLine($"genre: {failed.Count} unit(s) did not finish: " +
                                string.Join("; ", failed.Map(o => $"{o.Unit.Name} ({o.Describe()}, log {o.Unit.Log})")) +
                                "; run the same command again to train what is missing");
        return 1;
    }

    static Fin<SlurmOptions> SlurmOptionsOf(Args a) =>
        from cpus in a.Int("cpus-per-task", SlurmOptions.Default.CpusPerTask)
        from parallel in a.Int("max-parallel", 0)
        from o in SlurmOptions.Of(a.Get("partition"), cpus, a.Get("time"), a.Get("max-parallel").Map(_ => parallel))
        select o;

    /// <summary>How this process was started: the apphost <c>genre</c>, or <c>dotnet genre.dll</c>; the units run the same.</summary>
    static Seq<string> Self()
    {
        var process = Environment.ProcessPath ?? "genre";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? Seq(process, typeof(ReproduceCommand).Assembly.Location)
            : Seq1(process);
    }

    static int PrintPlan(Plan plan)
    {
        var dir = plan.Request.OutDir;
        Console.WriteLine(plan.Units.IsEmpty
            ? $"plan: nothing left to train in {dir} ({plan.Finished.Count} finished)"
            : $"plan: {plan.Units.Count} unit(s) to train in {dir}"
              + (plan.Finished.IsEmpty ? "" : $" ({plan.Finished.Count} finished, left out)"));
        foreach (var (line, i) in plan.Lines().Select((l, i) => (l, i))) Console.WriteLine($"  {i + 1}. {line}");
        Console.WriteLine($"then collect: {Shell.Line(plan.Collect)}");
        Console.WriteLine($"wrote {Path.Combine(dir, Plan.JsonFile)} and {Plan.TsvFile}");
        return 0;
    }

    /// <summary>The Slurm scripts written, and with <paramref name="submit"/> handed to sbatch unless jobs of the same output folder
    /// are still queued (a rerun then would train their units twice).</summary>
    static Fin<int> Scheduled(Plan plan, SlurmOptions o, bool submit) =>
        from written in PlanFolders.WriteSlurm(plan, o)
        from code in submit ? Submit(plan, written.Array, written.Collect) : FinSucc(PrintScripts(plan, o, written.Array, written.Collect))
        select code;

    static int PrintScripts(Plan plan, SlurmOptions o, Option<string> array, string collect)
    {
        PrintPlan(plan);
        foreach (var path in array)
        {
            var atOnce = o.MaxParallel.Map(m => $", at most {m} at a time").IfNone("");
            Console.WriteLine($"wrote {path} ({plan.Units.Count} task(s){atOnce}) and {collect}; submit with");
            Console.WriteLine($"  sbatch --parsable {Shell.Quote(path)}");
            Console.WriteLine($"  sbatch --dependency=afterany:<its job id> {Shell.Quote(collect)}");
        }
        if (array.IsNone) Console.WriteLine($"wrote {collect}; submit with\n  sbatch {Shell.Quote(collect)}");
        Console.WriteLine("or run this command again with --submit");
        return 0;
    }

    static Fin<int> Submit(Plan plan, Option<string> array, string collect)
    {
        var dir = plan.Request.OutDir;
        var names = $"{Slurm.JobName(dir)},{Slurm.CollectName(dir)}";
        return from queued in Tool("squeue", "--noheader", "--name", names, "--format", "%i")
               let ids = queued.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
               from _ in ids.Length == 0
                   ? FinSucc(unit)
                   : FinFail<Unit>(GenreError.Io($"{dir}: Slurm jobs of this output folder are still queued or running " +
                       $"({string.Join(", ", ids)}: squeue --name {names}); wait for them, or scancel them, then run this again"))
               from arrayId in array.Match(path => Tool("sbatch", "--parsable", path).Map(JobId).Map(Some),
                   () => FinSucc(Option<string>.None))
               from collectId in arrayId.Match(
                   id => Tool("sbatch", "--parsable", $"--dependency=afterany:{id}", collect),
                   () => Tool("sbatch", "--parsable", collect)).Map(JobId)
               select PrintSubmitted(plan, arrayId, collectId);
    }

    static int PrintSubmitted(Plan plan, Option<string> arrayId, string collectId)
    {
        PrintPlan(plan);
        var dir = plan.Request.OutDir;
        foreach (var id in arrayId)
            Console.WriteLine($"array job {id}: {plan.Units.Count} unit(s), each logging to " +
                              $"{Path.Combine(dir, Plan.LogsFolder)}/seed-S-NAME.log (squeue --name {Slurm.JobName(dir)})");
        Console.WriteLine($"collect job {collectId}: " + (arrayId.IsSome ? "runs when the array job has ended, " : "") +
                          $"writes {Path.Combine(dir, "report.md")} and lists unfinished units");
        return 0;
    }

    /// <summary>"12" from sbatch --parsable's "12" or "12;cluster".</summary>
    static string JobId(string parsable) => parsable.Trim().Split(';')[0];

    /// <summary>A Slurm command's stdout, or an I/O error with its first line of stderr (exit 4).</summary>
    static Fin<string> Tool(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            var why = stderr.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
            return p.ExitCode == 0
                ? FinSucc(stdout)
                : GenreError.Io($"{tool} {string.Join(" ", args)}: exit {p.ExitCode}{(why is null ? "" : $" ({why})")}");
        }
        catch (Win32Exception)
        {
            return GenreError.Io($"{tool}: not found — --submit needs Slurm's commands on PATH (a login node); " +
                                 "without --submit, submit the scripts in the output folder's slurm/ yourself");
        }
    }

    /// <summary><c>--no-report</c>: a plan's unit, trained; exit 130 when interrupted (its checkpoint kept), as a whole run.</summary>
    static Fin<int> Units(Profile profile, Seq<int> seeds, Seq<Experiment> experiments, string outDir, DataSource source, int threads) =>
        from run in TrainCommand.WithCtrlC(cancel => Render(experiments, seeds, progress =>
                Reproduce.TrainUnits(Runtime.Backend(threads), source, ProfileFor(profile), seeds, experiments, outDir, progress, cancel))
            .Map(result => (result, Stopped: cancel.IsCancellationRequested)))
        select run.Stopped ? Interrupted(outDir) : UnitsDone(run.result, outDir);

    static int UnitsDone(Seq<SeedRun> runs, string outDir)
    {
        foreach (var r in runs.Bind(s => s.Result.Results.Map(x => (s.Seed, x))))
            Console.WriteLine($"seed-{r.Seed}/{r.x.Experiment.Name}: {Outcome(r.x)}");
        Console.WriteLine($"trained into {outDir}; no report written (the plan's collect step writes it: reproduce --collect)");
        return 0;
    }
}
