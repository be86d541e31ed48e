using FsCheck.Experimental;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend.Torch;

namespace Genre.Properties;

/// <summary>
/// Issue 24, point 4: a model-based (stateful) property with FsCheck's state machine. Random sequences of operations on one
/// experiment folder — train k epochs then interrupt, resume to the end, re-run a finished folder, damage a file, a second writer
/// on the folder while it is locked, start over — are checked after each step against a model of what must happen: the final
/// weights are bit-equal to an uninterrupted run's, a damaged file is the documented error naming it, a locked folder refuses the
/// second writer and is left as it was, and nothing is half-written (no temporary files; no finished marker before the last
/// epoch).
/// </summary>
public class TrainingStateMachine
{
    /// <summary>What the folder must hold: the epochs trained so far (checkpointed), whether it is finished, a damaged file.</summary>
    public sealed record Model(int Epochs, bool Finished, Option<string> Damaged)
    {
        public override string ToString() =>
            $"{Epochs} epoch(s){(Finished ? ", finished" : "")}{Damaged.Map(d => $", {d} damaged").IfNone("")}";
    }

    /// <summary>The folder under test and what every run in it shares.</summary>
    public sealed class Folder(string dir)
    {
        public string Dir { get; } = dir;
        public override string ToString() => Dir;
    }

    const int Epochs = 5;
    static readonly TorchBackend Backend = new();
    static readonly Settings Training = new(Epochs, 64, 3) { };
    static readonly Experiment Net = new("state-machine", "a small dense net",
        new Learner.Net(new Sequential(Seq1(15), Seq<Layer>(new Dense(12, Activation.Relu), new Dense(114, Activation.Softmax)), "small")),
        double.NaN, None);
    static readonly PreparedData Data = ReportPipeline.Prepare(Cleaning.Clean(Synthetic.Generate(9, 3)).Tracks, None)
        .Match(d => d, e => throw new InvalidOperationException(e.Message));
    static readonly string Root = Path.Combine(Path.GetTempPath(), "genre-state-machine-" + Guid.NewGuid().ToString("N"));

    /// <summary>The weights of an uninterrupted run: what every finished folder must hold, byte for byte.</summary>
    static readonly Lazy<byte[]> Uninterrupted = new(() =>
    {
        var dir = Path.Combine(Root, "uninterrupted");
        Runners.Net.Run(new RunContext(Backend, Data), Net, Training, dir).IfFail(e => throw new InvalidOperationException(e.Message));
        return File.ReadAllBytes(Path.Combine(dir, ModelFolder.WeightsFile));
    });

    /// <summary>Trains until <paramref name="stopAfter"/> epochs of this session have ended (then the runner is cancelled).</summary>
    static Fin<Option<ExperimentResult>> Train(Folder f, int stopAfter)
    {
        using var cancel = new CancellationTokenSource();
        var ended = 0;
        var progress = new SyncProgress<ReproduceEvent>(ev =>
        {
            if (ev is ExperimentTraining { Event: EpochEnded } && ++ended >= stopAfter) cancel.Cancel();
        });
        return Runners.Net.Run(new RunContext(Backend, Data, progress, cancel.Token), Net, Training, f.Dir);
    }

    static Property Holds(bool ok, string what) => ok.Label(what);

    /// <summary>What holds after every step: no temporary file anywhere in the folder; the marker exactly when finished.</summary>
    static Property Invariants(Folder f, Model m)
    {
        var temporary = Directory.Exists(f.Dir)
            ? Directory.EnumerateFiles(f.Dir, "*.tmp", SearchOption.AllDirectories).ToSeq().Strict()
            : Seq<string>();
        var marked = File.Exists(Path.Combine(f.Dir, ExperimentFolder.MarkerFile));
        return Holds(temporary.IsEmpty, $"half-written: {string.Join(", ", temporary)}")
            .And(Holds(marked == m.Finished,
                marked ? "marked finished before its last epoch" : "not marked finished after its last epoch"));
    }

    static Property SameWeightsAsUninterrupted(Folder f) =>
        Holds(File.ReadAllBytes(Path.Combine(f.Dir, ModelFolder.WeightsFile)).AsSpan().SequenceEqual(Uninterrupted.Value),
            "the final weights differ from an uninterrupted run's");

    /// <summary>Train k epochs, then interrupt (a run that reaches the last epoch finishes).</summary>
    sealed class Interrupt(int k) : Operation<Folder, Model>
    {
        public override bool Pre(Model m) => !m.Finished && m.Damaged.IsNone;
        public override Model Run(Model m) => m with { Epochs = Math.Min(Epochs, m.Epochs + k), Finished = m.Epochs + k >= Epochs };
        public override Property Check(Folder f, Model m) =>
            Train(f, k).Match(
                r => Holds(r.IsSome == m.Finished,
                        m.Finished ? "a run to the last epoch gave no result" : "an interrupted run gave a result")
                    .And(Invariants(f, m))
                    .And(m.Finished ? SameWeightsAsUninterrupted(f) : true.ToProperty()),
                e => false.Label(e.Message));
        public override string ToString() => $"train {k} then interrupt";
    }

    /// <summary>Resume (or start) and run to the end.</summary>
    sealed class Resume : Operation<Folder, Model>
    {
        public override bool Pre(Model m) => !m.Finished && m.Damaged.IsNone;
        public override Model Run(Model m) => m with { Epochs = Epochs, Finished = true };
        public override Property Check(Folder f, Model m) =>
            Train(f, int.MaxValue).Match(
                r => Holds(r.Exists(x => x.How is Provenance.Trained && x.History.Epochs.Count == Epochs),
                        "resumed run's history is not all epochs")
                    .And(Invariants(f, m)).And(SameWeightsAsUninterrupted(f)),
                e => false.Label(e.Message));
        public override string ToString() => "resume to the end";
    }

    /// <summary>Run a finished folder again: re-scored, nothing trained or rewritten.</summary>
    sealed class RunAgain : Operation<Folder, Model>
    {
        public override bool Pre(Model m) => m.Finished && m.Damaged.IsNone;
        public override Model Run(Model m) => m;
        public override Property Check(Folder f, Model m) =>
            Train(f, int.MaxValue).Match(
                r => Holds(r.Exists(x => x.How is Provenance.AlreadyDone), "a finished folder was trained again")
                    .And(Invariants(f, m)).And(SameWeightsAsUninterrupted(f)),
                e => false.Label(e.Message));
        public override string ToString() => "run the finished folder again";
    }

    /// <summary>Flip one byte of one of a finished folder's files: reading it is the documented error, naming the file.</summary>
    sealed class Damage(string file, int at) : Operation<Folder, Model>
    {
        public override bool Pre(Model m) => m.Finished && m.Damaged.IsNone;
        public override Model Run(Model m) => m with { Damaged = file };
        public override Property Check(Folder f, Model m)
        {
            var path = Path.Combine(f.Dir, file);
            var bytes = File.ReadAllBytes(path);
            bytes[at % bytes.Length] ^= 0x20;
            File.WriteAllBytes(path, bytes);
            return Train(f, int.MaxValue).Match(
                _ => false.Label($"{file} was damaged, yet the folder was used"),
                e => Holds(e.Message.Contains(path) && e.Code == GenreError.ModelCode,
                    $"not the documented error naming {path}: [{e.Code}] {e.Message}"))
                .And(Invariants(f, m));
        }
        public override string ToString() => $"damage byte {at} of {file}";
    }

    /// <summary>Another writer while the folder is locked: refused with the documented error, the folder left as it was.</summary>
    sealed class SecondWriter : Operation<Folder, Model>
    {
        public override bool Pre(Model m) => m.Damaged.IsNone;
        public override Model Run(Model m) => m;
        public override Property Check(Folder f, Model m)
        {
            Directory.CreateDirectory(f.Dir);
            var before = Snapshot(f.Dir);
            var outcome = FolderLock.While(f.Dir, () => Train(f, int.MaxValue));
            return outcome.Match(
                _ => m.Finished
                    ? Holds(true, "a finished folder is only read") // re-scoring reads; it takes no lock
                    : false.Label("a second writer trained in a locked folder"),
                e => Holds(e.Message.Contains("another genre process is writing this folder"), $"not the lock error: {e.Message}"))
                .And(Holds(Snapshot(f.Dir) == before, "the locked folder changed")).And(Invariants(f, m));
        }
        public override string ToString() => "a second writer while locked";
    }

    /// <summary>Delete the folder (what the damaged-file error tells the user to do).</summary>
    sealed class StartOver : Operation<Folder, Model>
    {
        public override bool Pre(Model m) => m.Damaged.IsSome;
        public override Model Run(Model m) => new(0, false, None);
        public override Property Check(Folder f, Model m)
        {
            Directory.Delete(f.Dir, recursive: true);
            return Invariants(f, m);
        }
        public override string ToString() => "delete the folder";
    }

    static Seq<(string, long, DateTime)> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(p => !p.EndsWith(FolderLock.FileName))
            .OrderBy(p => p, StringComparer.Ordinal).Select(p => (p, new FileInfo(p).Length, File.GetLastWriteTimeUtc(p))).ToSeq().Strict();

    static readonly Seq<string> Damageable =
        ExperimentFolder.Files + Seq(ModelFolder.WeightsFile, Preprocessing.FileName, ExperimentFolder.MarkerFile);

    sealed class Spec() : Machine<Folder, Model>(8)
    {
        public override Arbitrary<Setup<Folder, Model>> Setup => Arb.From(Gen.Constant((Setup<Folder, Model>)new Fresh()));

        public override Gen<Operation<Folder, Model>> Next(Model m) => Gen.OneOf(
            Gen.Choose(1, Epochs + 1).Select(k => (Operation<Folder, Model>)new Interrupt(k)),
            Gen.Constant((Operation<Folder, Model>)new Resume()),
            Gen.Constant((Operation<Folder, Model>)new RunAgain()),
            from file in Gen.Elements(Damageable.ToArray())
            from at in Gen.Choose(0, 10_000)
            select (Operation<Folder, Model>)new Damage(file, at),
            Gen.Constant((Operation<Folder, Model>)new SecondWriter()),
            Gen.Constant((Operation<Folder, Model>)new StartOver()));
    }

    sealed class Fresh : Setup<Folder, Model>
    {
        public override Folder Actual() => new(Path.Combine(Root, Guid.NewGuid().ToString("N")));
        public override Model Model() => new(0, false, None);
        public override string ToString() => "a fresh folder";
    }

    [Property(MaxTest = 10)]
    public Property Interrupting_resuming_damaging_and_locking_a_folder_do_what_the_model_says() => new Spec().ToProperty();
}
