using System.Runtime.InteropServices;
using Genre.Data;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend.Torch;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre train</c>: its options are declared once, in <see cref="Verb"/> (parsing, <c>--help</c> and completion come from
/// there). Ctrl-C stops after the current epoch with a checkpoint (exit 130). <c>--init-from DIR</c> (a model folder or a TF2
/// SavedModel of the same architecture) starts from its weights — <c>--model</c> may then be left out.
/// </summary>
public static class TrainCommand
{
    public const int InterruptedCode = 130;

    public static readonly Verb Verb = new(
        "train", "train one of the report's models with Keras semantics", Seq(
            Opt.Valued("model", "NAME", $"a model of the zoo: {string.Join("|", Zoo.Names)}"),
            Opt.Valued("epochs", "N", "epochs (default 1000)"),
            Opt.Valued("batch-size", "B", "batch size (default 10000)"),
            Opt.Valued("learning-rate", "R", "Adam's learning rate (default 0.001)"),
            Opt.Valued("cosine-decay", "ALPHA", "lower the rate along Keras' CosineDecay to ALPHA × R at the end"),
            Opt.Valued("coslog", "N", "RealMLP's schedule instead: N cosine cycles of the rate on a log time scale"),
            Opt.Valued("beta2", "B", "Adam's β₂ (default 0.999; RealMLP uses 0.95)"),
            Opt.Valued("label-smoothing", "EPS", "train on (1 − EPS)·one-hot + EPS / classes (default 0; RealMLP uses 0.1)"),
            Opt.Valued("seed", "S", "initial weights and shuffles (default 2)"),
            SharedOptions.Reduced, SharedOptions.Mapping, SharedOptions.Data,
            Opt.Valued("out", "DIR", "the model folder (default out/train-NAME)"),
            Opt.Flag("resume", "continue from the newest checkpoint that verifies"),
            Opt.Valued("checkpoint-every", "N", "epochs between checkpoints (default 10)"),
            Opt.Valued("early-stopping", "PATIENCE", "stop after PATIENCE epochs without a better validation loss (default: off)"),
            Opt.Valued("init-from", "DIR", "start from the weights of a model folder or TF2 SavedModel of the same architecture"),
            Opt.Flag("no-shuffle", "train in the data's order (Keras fit(shuffle=False))"),
            SharedOptions.Threads,
            Opt.Valued("gemm", "own|libtorch", "training's matrix products: genre's kernels (default) or libtorch's, which " +
                "continue a run an earlier genre checkpointed bit for bit"),
            Opt.Flag("quiet", "no progress lines")), Run);

    static Fin<int> Run(Args a) =>
        from init in a.Get("init-from").Match(dir => ModelFolder.LoadAny(dir).Map(Some), () => FinSucc(Option<StoredModel>.None))
        from spec in a.Get("model").Match(Zoo.ByName, () => init.Map(i => i.Spec)
            .ToFin(GenreError.Usage($"train: --model is required ({string.Join(", ", Zoo.Names)}) unless --init-from DIR gives the model")))
        let name = spec.Name
        from epochs in a.Int("epochs", 1000)
        from batch in a.Int("batch-size", 10_000)
        from seed in a.Int("seed", 2)
        from threads in a.Int("threads", 0)
        from ownGemm in a.Get("gemm", "own") switch
        {
            "own" => FinSucc(true),
            "libtorch" => FinSucc(false),
            var other => FinFail<bool>(GenreError.Usage($"train: --gemm is own or libtorch, not '{other}'")),
        }
        from every in a.Int("checkpoint-every", 10)
        from patience in a.Int("early-stopping", 0)
        from rate in a.Double("learning-rate", 1e-3)
        from alpha in a.Double("cosine-decay", double.NaN)
        from _d in double.IsNaN(alpha) || alpha is >= 0 and <= 1
            ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Usage(
                "train: --cosine-decay ALPHA needs 0 ≤ ALPHA ≤ 1 (the final rate as a fraction of --learning-rate)"))
        from cycles in a.Int("coslog", 0)
        from beta2 in a.Double("beta2", 0.999)
        from smoothing in a.Double("label-smoothing", 0)
        from _s in (cycles, double.IsNaN(alpha)) switch
        {
            ( < 0, _) => FinFail<Unit>(GenreError.Usage("train: --coslog N needs N ≥ 1 cycles")),
            ( > 0, false) => FinFail<Unit>(GenreError.Usage("train: give --cosine-decay or --coslog, not both")),
            _ => beta2 is > 0 and < 1 && smoothing is >= 0 and < 1
                ? FinSucc(unit)
                : FinFail<Unit>(GenreError.Usage("train: --beta2 needs 0 < B < 1 and --label-smoothing 0 ≤ EPS < 1")),
        }
        from _0 in epochs >= 0 && batch > 0 && every > 0 && rate > 0
            ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Usage("train: --epochs ≥ 0, --batch-size > 0, --checkpoint-every > 0 and --learning-rate > 0"))
        from mapping in a.Mapping()
        from _m in mapping.IsSome && a.Flag("reduced")
            ? FinFail<Unit>(GenreError.Usage("train: give --reduced or --mapping, not both"))
            : FinSucc(unit)
        let labels = mapping || (a.Flag("reduced") || name == "reduced-rnn1" ? Some(GenreMapping.ReportMerges) : None)
        let dir = a.Get("out", Path.Combine("out", "train-" + name))
        from _1 in Writable(dir)
            // the folder is this process's from here on: a second run on it stops before loading anything
        from code in FolderLock.While(dir, () =>
            from source in Sources.Resolve(a)
            // the folder it starts from says what its model reads; else the model's name does
            let features = init.Bind(i => i.Preprocessing).Map(p => p.Pipeline.Stage).IfNone(() => Zoo.FeaturesOf(name))
            from loaded in ReportPipeline.Load(source.Path, labels, features)
            let classes = loaded.Data.Genres.Count
            let sized = spec.WithClasses(classes)
            let config = new TrainingConfig(epochs, batch, seed, new AdamSettings(rate, Beta2: beta2,
                Decay: cycles > 0 ? Some<RateSchedule>(new CosLog(cycles))
                    : double.IsNaN(alpha) ? None : Some<RateSchedule>(new CosineDecay(alpha))),
                EarlyStopping: patience > 0 ? Some(new EarlyStopping(Patience: patience)) : None,
                Checkpoints: Some(new CheckpointPolicy(Path.Combine(dir, "checkpoints"), every)), Resume: a.Flag("resume"),
                    Shuffle: !a.Flag("no-shuffle"), LabelSmoothing: smoothing)
            from initial in init.Match(i => SameArchitecture(sized, i, a.Get("init-from", "")).Map(Some),
                () => FinSucc(Option<ModelWeights>.None))
            from outcome in WithCtrlC(cancel => TrainingRun.Run(Runtime.Backend(threads, ownGemm), sized, loaded.Data, config, dir,
                Progress(a.Flag("quiet")), cancel, initial))
            select PrintOutcome(outcome, dir))
        select code;

    /// <summary>The weights of <paramref name="source"/> when its layers and input are <paramref name="spec"/>'s (names may
    /// differ).</summary>
    static Fin<ModelWeights> SameArchitecture(Sequential spec, StoredModel source, string dir) =>
        source.Spec.InputShape == spec.InputShape && source.Spec.Layers == spec.Layers
            ? FinSucc(source.Weights)
            : GenreError.Model($"{dir}: --init-from model {source.Spec.Name} ({Describe(source.Spec)}) is not the architecture of " +
                $"{spec.Name} ({Describe(spec)})" +
                (source.Spec.Classes() != spec.Classes()
                    ? $"; it predicts {Shown(source.Spec.Classes())} classes, the data has {Shown(spec.Classes())} " +
                      "(--reduced for the 66-genre model)"
                    : ""));

    static string Shown(Option<int> classes) => classes.Map(c => c.ToString()).IfNone("no");

    static string Describe(Sequential s) =>
        $"input ({string.Join(", ", s.InputShape)}); " + string.Join(", ", s.Layers.Map(LayerKinds.Describe));

    static Fin<Unit> Writable(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".write-test-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return GenreError.Io($"{dir}: output folder is not writable ({GenreError.Reason(e)})");
        }
    }

    internal static Fin<A> WithCtrlC<A>(Func<CancellationToken, Fin<A>> run)
    {
        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler handler = (_, e) =>
        {
            e.Cancel = true;
            Console.Error.WriteLine("genre: interrupt received — finishing the current epoch and writing a checkpoint…");
            cts.Cancel();
        };
        Console.CancelKeyPress += handler;
        // SIGTERM is how schedulers stop a job (Slurm's scancel, preemption, time limit, then SIGKILL after a grace period):
        // stopped as Ctrl-C stops it, after the epoch with a checkpoint, rather than killed mid-epoch
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Console.Error.WriteLine("genre: SIGTERM received — finishing the current epoch and writing a checkpoint…");
            cts.Cancel();
        });
        try { return run(cts.Token); }
        finally { Console.CancelKeyPress -= handler; }
    }

    static IProgress<Models.TrainingEvent> Progress(bool quiet) => SyncProgress.Of(e =>
    {
        if (e is Models.CheckpointSkipped skipped)
        {
            Console.Error.WriteLine(Warning(skipped));
            return;
        }
        if (quiet) return;
        switch (e)
        {
            case Models.EpochEnded { Metrics: var m } ee:
                Console.WriteLine($"epoch {m.Epoch}/{ee.Epochs}  loss {m.Loss:F4}  accuracy {m.Accuracy:F4}  val_loss {m.ValLoss:F4}  " +
                    $"val_accuracy {m.ValAccuracy:F4}  {m.Seconds:F1}s");
                break;
            case Models.CheckpointWritten c:
                Console.WriteLine($"checkpoint {c.Path}");
                break;
        }
    });

    /// <summary>One line: the damaged checkpoint, why, where training resumes and where the damaged file was kept.</summary>
    internal static string Warning(Models.CheckpointSkipped s) =>
        $"genre: warning: skipped a damaged checkpoint ({s.Reason}); resuming from {s.ResumedFrom}" +
        s.KeptAs.Match(kept => $"; the damaged file is kept as {kept}", () => "");

    static int PrintOutcome(TrainingOutcome o, string dir)
    {
        if (o.Interrupted)
        {
            Console.Error.WriteLine($"genre: interrupted after epoch {o.History.Epochs.Count}; rerun with --resume to continue");
            return InterruptedCode;
        }
        Console.WriteLine($"{o.Spec.Name}: test accuracy {o.Test.Accuracy:F8}, test loss {o.Test.Loss:F6} after {o.History.Epochs.Count} " +
            $"epochs in {o.Seconds:F1}s; saved to {dir}");
        return 0;
    }
}
