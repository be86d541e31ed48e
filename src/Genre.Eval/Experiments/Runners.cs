using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval;

/// <summary>What a runner works with: the backend, the experiment's prepared data, progress, cancellation and, for the trees,
/// their thread count (0: LightGBM's default). <see cref="Index"/> of <see cref="Total"/> places the experiment in its run for
/// progress.</summary>
public sealed record RunContext(IBackend Backend, PreparedData Data, IProgress<ReproduceEvent>? Progress = null,
                                CancellationToken Cancel = default)
{
    /// <summary>The experiment's place in its run (0-based), for progress.</summary>
    public int Index { get; init; }

    /// <summary>How many experiments its run has, for progress.</summary>
    public int Total { get; init; } = 1;

    /// <summary>LightGBM's threads (0: its default).</summary>
    public int Threads { get; init; }
}

/// <summary>
/// One interface for running an experiment in its folder, whatever it fits (<see cref="Runners"/>: one network, an ensemble,
/// gradient-boosted trees): whether the folder holds a finished run of it, training what is missing, re-scoring a finished run,
/// and the files a finished run keeps.
/// </summary>
public interface IRunner<TResult>
{
    /// <summary>The files a finished run keeps in <paramref name="dir"/>.</summary>
    Seq<string> Files(string dir);

    /// <summary>Whether <paramref name="dir"/> holds a finished run of <paramref name="e"/> with <paramref name="s"/>; an error
    /// when what it holds is damaged.</summary>
    Fin<bool> Finished(Experiment e, Settings s, string dir);

    /// <summary>Trains what is not finished (resuming from checkpoints), then scores; a finished run is re-scored. None when a
    /// cancellation stopped it first (what was trained keeps its checkpoints; nothing is marked finished).</summary>
    Fin<Option<TResult>> Run(RunContext c, Experiment e, Settings s, string dir);

    /// <summary>Scores a finished run without training; None when <paramref name="dir"/> holds no finished run of it.</summary>
    Fin<Option<TResult>> Rescore(RunContext c, Experiment e, Settings s, string dir);
}

/// <summary>The runners of the three learners.</summary>
public static class Runners
{
    /// <summary>One network in its folder (<see cref="ExperimentFolder"/>).</summary>
    public static readonly IRunner<ExperimentResult> Net = new NetRunner();

    /// <summary>An ensemble: a network per member in <c>member-k</c>, then <c>ensemble.json</c> (<see cref="Ensembles"/>).</summary>
    public static readonly IRunner<ExperimentResult> Ensemble = new EnsembleRunner();

    /// <summary>Gradient-boosted trees (<see cref="Gbdt"/>).</summary>
    public static readonly IRunner<GbdtResult> Trees = new TreesRunner();

    /// <summary>The runner of a network or an ensemble.</summary>
    public static IRunner<ExperimentResult> OfNetworks(Experiment e) => e.Model is Learner.Ensemble ? Ensemble : Net;

    static Fin<Sequential> SpecOf(Experiment e) =>
        e.Model.Network.ToFin(GenreError.Usage($"{e.Name}: not a network (its model is {e.Model.GetType().Name})"));

    sealed class NetRunner : IRunner<ExperimentResult>
    {
        public Seq<string> Files(string dir) => ExperimentFolder.FilesIn(dir);

        public Fin<bool> Finished(Experiment e, Settings s, string dir) => ExperimentFolder.Finished(dir, e, s).Map(f => f.IsSome);

        public Fin<Option<ExperimentResult>> Run(RunContext c, Experiment e, Settings s, string dir) =>
            ExperimentFolder.Finished(dir, e, s).Bind(finished => finished.Match(
                done => Score(c, e, s, dir, done).Map(Some),
                () => Train(c, e, s, dir)));

        public Fin<Option<ExperimentResult>> Rescore(RunContext c, Experiment e, Settings s, string dir) =>
            ExperimentFolder.Finished(dir, e, s).Bind(finished => finished.Match(
                done => Score(c, e, s, dir, done).Map(Some),
                () => FinSucc(Option<ExperimentResult>.None)));

        static Fin<ExperimentResult> Score(RunContext c, Experiment e, Settings s, string dir, FinishedRun done) =>
            from stored in ModelFolder.Load(dir)
            from _ in Reproduce.Fits(stored.Spec, c.Data, dir)
            from model in c.Backend.Load(stored.Spec, stored.Weights)
            let scored = Reproduce.Score(model, c.Data)
            select new ExperimentResult(e, s, scored.Test, done.History, done.Seconds, scored.Confusion, c.Data.Genres.Classes,
                new Provenance.AlreadyDone())
            { TestLabels = c.Data.Scaled.Test.Y, TestPredictions = scored.Predictions, TestProbabilities = scored.Probabilities };

        /// <summary>Trains in <paramref name="dir"/> under its lock (other experiments of the same output may train beside it),
        /// saves the classifier and metrics, and marks the folder finished unless interrupted.</summary>
        internal static Fin<Option<ExperimentResult>> Train(RunContext c, Experiment e, Settings s, string dir)
        {
            var relay = new SyncProgress<TrainingEvent>(ev => c.Progress?.Report(new ExperimentTraining(e, s.Seed, ev)));
            var data = c.Data;
            return from spec in SpecOf(e)
                   from outcome in FolderLock.While(dir, () =>
                       from o in TrainingRun.Run(c.Backend, spec, data, s.ToConfig(), dir, relay, c.Cancel)
                       from _ in o.Interrupted ? FinSucc(unit) : ExperimentFolder.MarkFinished(dir, e, s)
                       select o)
                   select outcome.Interrupted
                       ? Option<ExperimentResult>.None
                       : Some(new ExperimentResult(e, s, outcome.Test, outcome.History, outcome.Seconds,
                           Metrics.Confusion(data.Scaled.Test.Y, outcome.TestPredictions, data.Genres.Count), data.Genres.Classes,
                           new Provenance.Trained())
                       {
                           TestLabels = data.Scaled.Test.Y,
                           TestPredictions = outcome.TestPredictions,
                           TestProbabilities = outcome.TestProbabilities,
                       });
        }
    }

    sealed class EnsembleRunner : IRunner<ExperimentResult>
    {
        public Seq<string> Files(string dir) =>
            Seq1(EnsembleFolder.FileName) + EnsembleFolder.Members(dir).IfFail(Seq<string>())
                .Bind(m => ExperimentFolder.FilesIn(Path.Combine(dir, m)).Map(f => Path.Combine(m, f)));

        public Fin<bool> Finished(Experiment e, Settings s, string dir) =>
            !EnsembleFolder.Is(dir)
                ? FinSucc(false)
                : Enumerable.Range(1, e.Members).ToSeq()
                    .Map(k => ExperimentFolder.Finished(Path.Combine(dir, EnsembleFolder.MemberName(k)), Ensembles.Member(e, k),
                        Ensembles.MemberSettings(s, k)).Map(f => f.IsSome))
                    .Sequence().Map(all => all.ForAll(x => x));

        public Fin<Option<ExperimentResult>> Run(RunContext c, Experiment e, Settings s, string dir) =>
            Ensembles.Run(c.Backend, e, s, c.Data, dir, (member, ms, at) =>
            {
                c.Progress?.Report(new ExperimentStarted(member, c.Index, c.Total, ms)); // each member is announced as it starts
                return NetRunner.Train(c, member, ms, at);
            }, c.Cancel);

        public Fin<Option<ExperimentResult>> Rescore(RunContext c, Experiment e, Settings s, string dir) =>
            EnsembleFolder.Is(dir) ? Ensembles.Run(c.Backend, e, s, c.Data, dir, trainOne: null, c.Cancel) : Option<ExperimentResult>.None;
    }

    sealed class TreesRunner : IRunner<GbdtResult>
    {
        public Seq<string> Files(string dir) => Seq(Gbdt.TrialsFile, Gbdt.ModelFile);

        public Fin<bool> Finished(Experiment e, Settings s, string dir) =>
            CandidatesOf(e).Bind(candidates => Gbdt.Finished(dir, candidates, s.Seed)).Map(f => f.IsSome);

        public Fin<Option<GbdtResult>> Run(RunContext c, Experiment e, Settings s, string dir) =>
            c.Cancel.IsCancellationRequested
                ? Option<GbdtResult>.None
                : CandidatesOf(e).Bind(candidates => Gbdt.Run(c.Data, candidates, dir, s.Seed, c.Threads)).Map(Some);

        public Fin<Option<GbdtResult>> Rescore(RunContext c, Experiment e, Settings s, string dir) =>
            Finished(e, s, dir).Bind(done => done ? Run(c, e, s, dir) : Option<GbdtResult>.None);

        static Fin<Seq<GbdtSettings>> CandidatesOf(Experiment e) =>
            e.Model is Learner.Trees t ? t.Candidates : GenreError.Usage($"{e.Name}: not gradient-boosted trees");
    }
}
