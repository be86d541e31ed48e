using Genre.Data;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend.Torch;
using Spectre.Console;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre reproduce [--profile fast|paper] [--only NAME,…] [--out DIR] [--data PATH] [--seed S | --seeds LIST | --collect] [--threads T]
/// [--authors-models DIR] [--beyond] [--track-aware]</c>:
/// the whole report, resumable, with progress (experiment, epoch, loss/accuracy, ETA). <c>--seeds</c> runs one folder per seed
/// and reports mean ± sd; <c>--collect</c> trains nothing and rewrites every seed folder's report and the mean ± sd report.
/// <c>--beyond</c> adds the gbdt baseline (also <c>--only gbdt</c>), the wide and tabular nets and the ensemble of five tabular
/// nets (also <c>--only wide,tabular,tabular-ensemble</c>); <c>--track-aware</c> trains each model again on the track-aware split.
/// <c>--plan</c>, <c>--slurm</c> and <c>--no-report</c> turn a multi-seed request into units of work (ReproducePlans.cs).
/// </summary>
public static partial class ReproduceCommand
{
    public static readonly Verb Verb = new(
        "reproduce", "train the report's seven experiments and write report.md, metrics.json and figures", Seq(
            Opt.Valued("profile", "fast|paper", "the notebooks' settings (paper) or shorter runs (fast, the default)"),
            Opt.Valued("only", "NAME,…", "these experiments only"),
            Opt.Valued("out", "DIR", "the run folder (default out/reproduce-PROFILE)"),
            SharedOptions.Data,
            Opt.Valued("seed", "S", "one seed (default 2)"),
            Opt.Valued("seeds", "LIST", "several seeds, each in OUT/seed-S (1,2,3 or 1-5)"),
            Opt.Flag("collect", "train nothing: re-score every seed folder and write the mean ± sd report"),
            Opt.Valued("authors-models", "DIR", "the authors' SavedModels to re-score (else $GENRE_AUTHORS_MODELS)"),
            Opt.Flag("beyond",
                "also the models beyond the report (gbdt, wide, tabular, tabular-ensemble, tabm, realmlp, realmlp-ensemble)"),
            Opt.Flag("track-aware", "also train every model on the splits grouped by track_id and by artists"),
            SharedOptions.Threads) + PlanOptions, Run);

    static Fin<int> Run(Args a) =>
        from _ in a.Get("seed").IsSome && a.Get("seeds").IsSome ? FinFail<Unit>(
            GenreError.Usage("reproduce: give --seed S or --seeds LIST, not both")) : FinSucc(unit)
        from _c in a.Flag("collect") && (a.Get("seed").IsSome || a.Get("seeds").IsSome || a.Get("only").IsSome)
            ? FinFail<Unit>(GenreError.Usage("reproduce --collect trains nothing: it takes no --seed, --seeds or --only")) : FinSucc(unit)
        from _b in (a.Flag("beyond") || a.Flag("track-aware") || Names(a).Contains(GbdtResult.Name))
            && (a.Get("seeds").IsSome || a.Flag("collect"))
            ? FinFail<Unit>(GenreError.Usage(
                "reproduce: gbdt, --beyond and --track-aware run in a single-seed folder (--seed S), not with --seeds or --collect"))
            : FinSucc(unit)
        from _p in PlanUsage(a)
        from seed in a.Int("seed", 2)
        from threads in a.Int("threads", 0)
        from profile in Profiles.ByName(a.Get("profile", "fast"), seed)
        let outDir = a.Get("out", Path.Combine("out", $"reproduce-{profile.Name}"))
        from seeds in a.Flag("collect")
            ? SeedFolder.Seeds(outDir) is { IsEmpty: false } found ? FinSucc(found)
              : FinFail<Seq<int>>(GenreError.Io($"{outDir}: no seed-S folders to collect (run reproduce --seeds LIST first)"))
            : a.Get("seeds").Map(SeedFolder.Parse).IfNone(FinSucc(Seq<int>()))
        from experiments in a.Flag("collect") ? FinSucc(Seq<Experiment>())
            : Experiments.Only(a.Get("only").Map(_ => string.Join(",", Names(a).Filter(n => n != GbdtResult.Name))))
                .Map(chosen => a.Flag("beyond") ? chosen + Experiments.Beyond.Filter(e => !chosen.Contains(e)) : chosen)
        let beyond = new Beyond(Gbdt: a.Flag("beyond") || Names(a).Contains(GbdtResult.Name), TrackAware: a.Flag("track-aware"),
            Threads: threads)
        from authorsDir in Sources.AuthorsModels(a)
        from source in Sources.Resolve(a)
        from code in IsPlanned(a) ? Planned(a, profile, seeds, experiments, outDir, source, authorsDir)
            : a.Flag("no-report") ? Units(profile, seeds, experiments, outDir, source, threads)
            : seeds.IsEmpty
            ? from run in TrainCommand.WithCtrlC(cancel => Render(experiments, Seq1(seed), progress =>
                  Reproduce.Run(Runtime.Backend(threads), source, profile, experiments, outDir, authorsDir, progress, cancel, beyond))
                  .Map(result => (result, Stopped: cancel.IsCancellationRequested)))
              select run.Stopped ? Interrupted(outDir) : Summarize(run.result, outDir)
            : from run in TrainCommand.WithCtrlC(cancel => Render(experiments, seeds, progress =>
                  Reproduce.RunSeeds(Runtime.Backend(threads), source, s => Profiles.ByName(profile.Name, s).IfFail(profile), seeds,
                      experiments,
                      outDir, authorsDir, progress, cancel))
                  .Map(result => (result, Stopped: cancel.IsCancellationRequested)))
              select run.Stopped ? Interrupted(outDir) : SummarizeSeeds(run.result, outDir)
        select code;

    /// <summary>The names given to --only (none without it).</summary>
    static Seq<string> Names(Args a) =>
        a.Get("only").Map(list => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToSeq().Strict())
            .IfNone(Seq<string>());

    static Fin<T> Render<T>(Seq<Experiment> experiments, Seq<int> seeds, Func<IProgress<ReproduceEvent>, Fin<T>> run)
    {
        if (Console.IsOutputRedirected) return RenderLines(seeds, run);
        Fin<T> result = default;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(ctx =>
            {
                string Key(Experiment e, int seed) => TaskName(seeds, e, seed);
                var known = seeds.Bind(s => experiments.Map(e => Key(e, s))).ToDictionary(k => k, k => ctx.AddTask(k, autoStart: false));
                // passes beyond the listed ones (the track-aware split) get their own bars as they start
                ProgressTask Task(string key) => known.TryGetValue(key, out var t) ? t : known[key] = ctx.AddTask(key, autoStart: false);
                result = run(new SyncProgress<ReproduceEvent>(ev =>
                {
                    switch (ev)
                    {
                        case ExperimentStarted s:
                            Task(Key(s.Experiment, s.Settings.Seed)).MaxValue = Math.Max(1, s.Settings.Epochs);
                            Task(Key(s.Experiment, s.Settings.Seed)).StartTask();
                            break;
                        case ExperimentTraining { Event: CheckpointSkipped skipped }:
                            Console.Error.WriteLine(TrainCommand.Warning(skipped));
                            break;
                        case ExperimentTraining { Event: EpochEnded { Metrics: var m } } t:
                            var task = Task(Key(t.Experiment, t.Seed));
                            task.Value = m.Epoch;
                            task.Description = $"{Key(t.Experiment, t.Seed)} epoch {m.Epoch} loss {m.Loss:F3} acc {m.Accuracy:F3} " +
                                $"val_acc {m.ValAccuracy:F3}";
                            break;
                        case ExperimentFinished f:
                            var done = Task(Key(f.Result.Experiment, f.Result.Settings.Seed));
                            done.Value = done.MaxValue;
                            done.Description = $"{Key(f.Result.Experiment, f.Result.Settings.Seed)} {Outcome(f.Result)}";
                            done.StopTask();
                            break;
                    }
                }));
            });
        return result;
    }

    /// <summary>An experiment's name in progress output, with its seed when several seeds run.</summary>
    static string TaskName(Seq<int> seeds, Experiment e, int seed) => seeds.Count == 1 ? e.Name : $"{e.Name} seed {seed}";

    /// <summary>"test accuracy 0.3173", and how the run got its model when it did not train it.</summary>
    static string Outcome(ExperimentResult r) =>
        $"test accuracy {r.Test.Accuracy:F4}{(r.How is Provenance.Trained ? "" : $" ({r.How.Describe()})")}";

    /// <summary>Blocks of epochs a log line stands for when the output is not a terminal.</summary>
    const int LogBlocks = 10;

    /// <summary>
    /// Progress for a log (output redirected): a line when an experiment starts, one per tenth of its epochs, and one when it
    /// finishes — never a redraw of every bar.
    /// </summary>
    static Fin<T> RenderLines<T>(Seq<int> seeds, Func<IProgress<ReproduceEvent>, Fin<T>> run)
    {
        string Key(Experiment e, int seed) => TaskName(seeds, e, seed);
        var epochs = new Dictionary<string, int>();
        return run(new SyncProgress<ReproduceEvent>(ev =>
        {
            switch (ev)
            {
                case ExperimentStarted s:
                    epochs[Key(s.Experiment, s.Settings.Seed)] = s.Settings.Epochs;
                    Console.WriteLine($"{Key(s.Experiment, s.Settings.Seed)}: {s.Settings.Epochs} epochs, batch {s.Settings.BatchSize}, " +
                        $"Adam {s.Settings.DescribeRate()}");
                    break;
                case ExperimentTraining { Event: CheckpointSkipped skipped }:
                    Console.Error.WriteLine(TrainCommand.Warning(skipped));
                    break;
                case ExperimentTraining { Event: EpochEnded { Metrics: var m } } t:
                    var key = Key(t.Experiment, t.Seed);
                    var total = epochs.GetValueOrDefault(key, m.Epoch);
                    if (m.Epoch == total || m.Epoch % Math.Max(1, total / LogBlocks) == 0)
                        Console.WriteLine($"{key} epoch {m.Epoch}/{total} loss {m.Loss:F4} acc {m.Accuracy:F4} val_acc {m.ValAccuracy:F4}");
                    break;
                case ExperimentFinished f:
                    Console.WriteLine($"{Key(f.Result.Experiment, f.Result.Settings.Seed)}: {Outcome(f.Result)}");
                    break;
            }
        }));
    }

    /// <summary>Ctrl-C: training stopped after an epoch with a checkpoint and no report was written; exit 130, as train.</summary>
    static int Interrupted(string outDir)
    {
        Console.Error.WriteLine($"genre reproduce: interrupted — finished experiments stay in {outDir} and the unfinished one keeps " +
                                "its checkpoints; no report was written; run the same command again to resume");
        return 130;
    }

    static int Summarize(ReproduceResult r, string outDir)
    {
        var table = new Table().AddColumns("experiment", "report (real data)", "ours", "epochs", "seconds", "run");
        foreach (var x in r.Results)
            table.AddRow(x.Experiment.Name, double.IsNaN(x.Experiment.ReportAccuracy) ? "—" : $"{x.Experiment.ReportAccuracy:F4}",
                $"{x.Test.Accuracy:F4}", x.EpochsRun, $"{x.Seconds:F0}", x.How.Describe());
        r.Gbdt.IfSome(g => table.AddRow(GbdtResult.Name, "—", $"{g.Test.Accuracy:F4}", "—", $"{g.Seconds:F0}", g.How.Describe()));
        AnsiConsole.Write(table);
        Console.WriteLine(DataLine(r.Source));
        Console.WriteLine($"wrote {Path.Combine(outDir, "report.md")}, metrics.json and figures in {r.Seconds:F0} s");
        return 0;
    }

    static string DataLine(DataSource source) => source.IsSynthetic
        ? "data: SYNTHETIC — accuracies are not comparable with the report's (see report.md)"
        : $"data: {source.Describe()}";

    static int SummarizeSeeds(SeedsResult r, string outDir)
    {
        var table = new Table().AddColumns("experiment", "report (real data)", "mean ± sd", "seeds", "per seed");
        foreach (var x in r.Experiments)
            table.AddRow(x.Experiment.Name, double.IsNaN(x.Experiment.ReportAccuracy) ? "—" : $"{x.Experiment.ReportAccuracy:F4}",
                SeedsReport.MeanSd(x.Mean, x.Sd), $"{x.Runs.Count}",
                string.Join(", ", x.Runs.Map(run => $"{run.Seed}: {run.Result.Test.Accuracy:F4}")));
        AnsiConsole.Write(table);
        Console.WriteLine(DataLine(r.Source));
        Console.WriteLine($"wrote {Path.Combine(outDir, "report.md")} and metrics.json (mean ± sd over every seed folder in it) in " +
            $"{r.Seconds:F0} s");
        return 0;
    }
}
