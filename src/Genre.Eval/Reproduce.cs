using System.Diagnostics;
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Import;

namespace Genre.Eval;

/// <summary>One experiment of a reproduce run, finished.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="Settings">The settings it was trained with.</param>
/// <param name="Test">Loss and accuracy on the test split.</param>
/// <param name="History">Every epoch's metrics.</param>
/// <param name="Seconds">Training time in seconds, summed over every session that trained it (resumed runs included).</param>
/// <param name="Confusion">Test confusion matrix: rows = true class, columns = predicted class, both indices into <paramref
/// name="Classes"/>.</param>
/// <param name="Classes">The genres, in the model's output order.</param>
/// <param name="How">Whether this run trained it, found it done, or shared another experiment's training.</param>
public sealed record ExperimentResult(Experiment Experiment, Settings Settings, Evaluation Test, History History, double Seconds,
                                      long[,] Confusion, Seq<string> Classes, Provenance How)
{
    /// <summary>The test rows' labels and this model's predictions, in the test split's order (empty when not kept).</summary>
    public int[] TestLabels { get; init; } = [];
    /// <summary>This model's predicted class per test row (empty when not kept).</summary>
    public int[] TestPredictions { get; init; } = [];

    /// <summary>An ensemble's own validation accuracy and its members' scores (None for one model).</summary>
    public Option<EnsembleScores> Ensemble { get; init; }

    /// <summary>The labels and predictions as the statistics read them.</summary>
    public ScoredRows Rows => new(Experiment.Name, TestLabels, TestPredictions, Classes, Experiment.Reduced);

    /// <summary>The epochs it ran, for a table: its history's length, or each member's for an ensemble ("63, 70, 58").</summary>
    public string EpochsRun =>
        Ensemble.Match(Ensembles.EpochsRun, () => History.Epochs.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>How this run obtained an experiment's model.</summary>
public abstract record Provenance
{
    /// <summary>Trained (or resumed from a checkpoint) by this run.</summary>
    public sealed record Trained : Provenance;
    /// <summary>Finished earlier in the output folder with the same settings: loaded and re-scored.</summary>
    public sealed record AlreadyDone : Provenance;
    /// <summary>Same layers, labels and settings as an experiment before it: trained once, weights shared.</summary>
    public sealed record SameTrainingAs(string Experiment) : Provenance;

    /// <summary>A few words for reports and the CLI: "trained", "already done" or "same training as NAME".</summary>
    public string Describe() => this switch
    {
        Trained => "trained",
        AlreadyDone => "already done",
        SameTrainingAs s => $"same training as {s.Experiment}",
        _ => "?",
    };
}

/// <summary>An authors' SavedModel re-scored on this run's test split.</summary>
/// <param name="Experiment">The experiment it belongs to.</param>
/// <param name="Model">The SavedModel's folder name, e.g. RNN1net.</param>
/// <param name="Test">Its loss and accuracy on the test split.</param>
public sealed record AuthorsScore(string Experiment, string Model, Evaluation Test)
{
    /// <summary>The test rows' labels and the authors' model's predictions (empty when not kept).</summary>
    public int[] TestLabels { get; init; } = [];
    /// <summary>The authors' model's predicted class per test row (empty when not kept).</summary>
    public int[] TestPredictions { get; init; } = [];
    /// <summary>The class names the labels and predictions index.</summary>
    public Seq<string> Classes { get; init; } = Seq<string>();

    /// <summary>The labels and predictions as the statistics read them.</summary>
    public ScoredRows Rows => new(Experiment, TestLabels, TestPredictions, Classes, Experiments.OfReport.Find(e => e.Name == Experiment).Exists(e => e.Reduced));
}

/// <summary>A reproduce run.</summary>
/// <param name="Source">Where the data came from.</param>
/// <param name="Profile">The training settings' profile.</param>
/// <param name="Results">The experiments run, in the report's order.</param>
/// <param name="Authors">The authors' SavedModels that were found and scored (none without an authors' folder).</param>
/// <param name="Seconds">Wall-clock seconds of the whole run.</param>
public sealed record ReproduceResult(DataSource Source, Profile Profile, Seq<ExperimentResult> Results, Seq<AuthorsScore> Authors, double Seconds)
{
    /// <summary>The gradient-boosted trees baseline, when run (<see cref="Beyond.Gbdt"/>) or finished in the folder.</summary>
    public Option<GbdtResult> Gbdt { get; init; }
    /// <summary>The experiments again on the track-aware split (<see cref="Beyond.TrackAware"/>), and gbdt's chosen configuration
    /// there.</summary>
    public Seq<ExperimentResult> TrackAware { get; init; } = Seq<ExperimentResult>();
    /// <summary>gbdt on the track-aware split, when run or finished there.</summary>
    public Option<GbdtResult> GbdtTrackAware { get; init; }
    /// <summary>RNN1 (the model whose confusion the report merged by) on hand vs learned merges, when RNN1 finished here.</summary>
    public Option<MergeComparison> Merges { get; init; }
}

/// <summary>
/// Work beyond the report's seven experiments: the gbdt baseline (its folder <c>gbdt/</c>), and every requested model trained
/// again on the track-aware split (folder <c>track-aware/</c>). Finished work in those folders is re-scored even when not asked for.
/// </summary>
public sealed record Beyond(bool Gbdt = false, bool TrackAware = false, int Threads = 0);

/// <summary>Progress of a reproduce run, for the CLI to render.</summary>
public abstract record ReproduceEvent;
/// <summary>An experiment is about to be trained or loaded.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="Index">Its position in this run, 0-based.</param>
/// <param name="Total">Experiments in this run.</param>
/// <param name="Settings">The settings it will be trained with.</param>
public sealed record ExperimentStarted(Experiment Experiment, int Index, int Total, Settings Settings) : ReproduceEvent;
/// <summary>A training event of the experiment being trained.</summary>
/// <param name="Experiment">The experiment.</param>
/// <param name="Seed">The seed it trains with.</param>
/// <param name="Event">The model's event (batch, epoch, checkpoint).</param>
public sealed record ExperimentTraining(Experiment Experiment, int Seed, TrainingEvent Event) : ReproduceEvent;
/// <summary>An experiment is done and scored.</summary>
/// <param name="Result">Its result.</param>
public sealed record ExperimentFinished(ExperimentResult Result) : ReproduceEvent;

/// <summary>
/// The whole report, regenerated: prepare the data once (full and merged genres), train each experiment (resuming
/// unfinished ones, skipping finished ones), re-score the authors' SavedModels, write plots, metrics.json and report.md.
/// </summary>
public static class Reproduce
{
    /// <summary>
    /// Runs <paramref name="experiments"/> on the source's data with the profile's settings, writing each experiment's folder,
    /// plots, <c>metrics.json</c> and <c>report.md</c> under <paramref name="outDir"/>; the authors' SavedModels in
    /// <paramref name="authorsDir"/>, when given, are re-scored (those missing are left out). After cancellation the reports are
    /// not written. Fails with the first data, I/O or model error.
    /// </summary>
    public static Fin<ReproduceResult> Run(IBackend backend, DataSource source, Profile profile, Seq<Experiment> experiments, string outDir,
                                           Option<string> authorsDir, IProgress<ReproduceEvent>? progress = null, CancellationToken cancel = default,
                                           Beyond? beyond = null)
    {
        var clock = Stopwatch.StartNew();
        var more = beyond ?? new Beyond();
        var seed = profile.SettingsFor(Experiments.OfReport.Head).Seed;
        return from data in ReportData.Load(source)
               from results in RunAll(backend, profile, experiments, outDir, data.For, progress, cancel)
               from gbdt in GbdtIn(more.Gbdt, data.Full, Gbdt.Candidates, Path.Combine(outDir, "gbdt"), seed, more.Threads, cancel)
               from trackAware in TrackAwareIn(backend, profile, experiments, more, gbdt, Path.Combine(outDir, "track-aware"), data, seed, progress, cancel)
               let authors = authorsDir.Map(dir => ScoreAuthors(backend, results.Map(r => r.Experiment), dir, data.For)).IfNone(Seq<AuthorsScore>())
               from merges in results.Find(x => x.Experiment.Name == "rnn1" && x.TestPredictions.Length > 0)
                   .Map(x => MergeComparisons.Of(backend, x, Path.Combine(outDir, x.Experiment.Name), data.Full, GenreMapping.ReportMerges).Map(Some))
                   .IfNone(FinSucc(Option<MergeComparison>.None))
               let result = new ReproduceResult(source, profile, results, authors, clock.Elapsed.TotalSeconds)
               { Gbdt = gbdt, TrackAware = trackAware.Neural, GbdtTrackAware = trackAware.Trees, Merges = merges }
               from _ in cancel.IsCancellationRequested ? FinSucc(unit) : Write(outDir, result)
               select result;
    }

    /// <summary>
    /// The requested experiments once per seed, each seed in its own reproduce folder <c>outDir/seed-S</c> (resumable; finished
    /// seeds are re-scored, not retrained), then every seed folder already in <paramref name="outDir"/> collected into one
    /// mean ± sd report there (<c>report.md</c>, <c>metrics.json</c>).
    /// </summary>
    public static Fin<SeedsResult> RunSeeds(IBackend backend, DataSource source, Func<int, Profile> profileFor, Seq<int> seeds,
                                            Seq<Experiment> experiments, string outDir, Option<string> authorsDir,
                                            IProgress<ReproduceEvent>? progress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        return from data in ReportData.Load(source)
               from trained in seeds.Fold(FinSucc(Seq<SeedRun>()), (acc, seed) => acc.Bind(done => cancel.IsCancellationRequested
                   ? FinSucc(done)
                   : RunSeed(backend, source, profileFor(seed), experiments, SeedFolder.Path(outDir, seed), data, progress, cancel)
                       .Map(r => done.Add(new SeedRun(seed, r)))))
               from others in SeedFolder.Seeds(outDir).Filter(s => !seeds.Contains(s))
                   .Fold(FinSucc(Seq<SeedRun>()), (acc, seed) => acc.Bind(done =>
                       RunAll(backend, profileFor(seed), Seq<Experiment>(), SeedFolder.Path(outDir, seed), data.For, null, cancel)
                           .Map(rs => done.Add(new SeedRun(seed, new ReproduceResult(source, profileFor(seed), rs, Seq<AuthorsScore>(), 0))))))
               let perSeed = (trained + others).OrderBy(r => r.Seed).ToSeq().Strict()
               let spreads = SeedSpread.Of(perSeed)
               let authors = authorsDir.Map(dir => ScoreAuthors(backend, spreads.Map(x => x.Experiment), dir, data.For)).IfNone(Seq<AuthorsScore>())
               let result = new SeedsResult(source, profileFor(seeds.Head), perSeed, spreads, authors, clock.Elapsed.TotalSeconds)
               from _ in cancel.IsCancellationRequested ? FinSucc(unit) : WriteSeeds(outDir, result)
               select result;
    }

    /// <summary>gbdt when asked for, or re-scored when its folder finished earlier; else nothing.</summary>
    static Fin<Option<GbdtResult>> GbdtIn(bool asked, PreparedData data, Seq<GbdtSettings> candidates, string dir, int seed, int threads,
                                          CancellationToken cancel) =>
        !cancel.IsCancellationRequested && (asked || File.Exists(Path.Combine(dir, "gbdt.json")))
            ? Gbdt.Run(data, candidates, dir, seed, threads).Map(Some)
            : FinSucc(Option<GbdtResult>.None);

    /// <summary>The requested experiments (and gbdt's chosen configuration) on the track-aware split, in <paramref name="dir"/>.</summary>
    static Fin<(Seq<ExperimentResult> Neural, Option<GbdtResult> Trees)> TrackAwareIn(IBackend backend, Profile profile, Seq<Experiment> experiments,
        Beyond more, Option<GbdtResult> gbdt, string dir, ReportData data, int seed, IProgress<ReproduceEvent>? progress, CancellationToken cancel)
    {
        if (cancel.IsCancellationRequested || !(more.TrackAware || Directory.Exists(dir))) return (Seq<ExperimentResult>(), None);
        return from split in TrackAware.Load(data.Cleaned)
               from neural in RunAll(backend, profile, more.TrackAware ? experiments : Seq<Experiment>(), dir, split.For, Renamed(progress, " (track-aware)"), cancel)
               from trees in gbdt.Match(
                   g => GbdtIn(more.TrackAware, split.Full, Seq1(g.Chosen), Path.Combine(dir, "gbdt"), seed, more.Threads, cancel),
                   () => FinSucc(Option<GbdtResult>.None))
               select (neural, trees);
    }

    static Fin<ReproduceResult> RunSeed(IBackend backend, DataSource source, Profile profile, Seq<Experiment> experiments, string dir,
                                        ReportData data, IProgress<ReproduceEvent>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        return from results in RunAll(backend, profile, experiments, dir, data.For, progress, cancel)
               let result = new ReproduceResult(source, profile, results, Seq<AuthorsScore>(), clock.Elapsed.TotalSeconds)
               from _ in cancel.IsCancellationRequested ? FinSucc(unit) : Write(dir, result)
               select result;
    }

    /// <summary>
    /// Train the requested experiments in order, then add every other experiment of the report already finished in
    /// <paramref name="outDir"/> with this profile's settings, so the folder's report and metrics.json cover all of its work.
    /// </summary>
    static Fin<Seq<ExperimentResult>> RunAll(IBackend backend, Profile profile, Seq<Experiment> experiments, string outDir,
                                             Func<Experiment, Fin<PreparedData>> data, IProgress<ReproduceEvent>? progress, CancellationToken cancel)
    {
        var results = Seq<ExperimentResult>();
        for (var i = 0; i < experiments.Count && !cancel.IsCancellationRequested; i++)
        {
            var e = experiments[i];
            var settings = profile.SettingsFor(e);
            var dir = Path.Combine(outDir, e.Name);
            progress?.Report(new ExperimentStarted(e, i, experiments.Count, settings));
            var prepared = data(e);
            if (prepared.Case is LanguageExt.Common.Error failed) return failed;
            var d = (PreparedData)prepared;
            var one = e.Members > 1
                ? Ensembles.Run(backend, e, settings, d, dir, (member, s, at) =>
                    {
                        progress?.Report(new ExperimentStarted(member, i, experiments.Count, s)); // each member is announced as it starts
                        return Train(backend, member, s, d, at, progress, cancel);
                    }, cancel)
                : ExperimentFolder.Finished(dir, settings).Bind(finished => finished.Match(
                done => Rescore(backend, e, settings, d, dir, done),
                () => results.Find(r => SameTraining(r, e, settings)).Match(
                    twin => ExperimentFolder.CopyTraining(Path.Combine(outDir, twin.Experiment.Name), dir, e.Model, twin)
                        .Map(_ => twin with { Experiment = e, How = new Provenance.SameTrainingAs(twin.Experiment.Name) }),
                    () => Train(backend, e, settings, d, dir, progress, cancel)))).Map(Some);
            if (one.IsFail) return one.Map(_ => results);
            // None: cancelled between or inside an ensemble's members
            if (((Option<ExperimentResult>)one).Case is not ExperimentResult r) break;
            if (r.History.Epochs.Count < settings.Epochs && cancel.IsCancellationRequested) break;
            results = results.Add(r);
            progress?.Report(new ExperimentFinished(r));
        }
        if (cancel.IsCancellationRequested) return results;
        var kept = (Experiments.OfReport + Experiments.Beyond)
            .Filter(e => !experiments.Exists(x => x.Name == e.Name))
            .Map(e => (e, Settings: profile.SettingsFor(e), Dir: Path.Combine(outDir, e.Name)))
            .Map(k => k.e.Members > 1
                ? EnsembleFolder.Is(k.Dir)
                    ? data(k.e).Bind(d => Ensembles.Run(backend, k.e, k.Settings, d, k.Dir, trainOne: null, cancel))
                    : FinSucc(Option<ExperimentResult>.None)
                : ExperimentFolder.Finished(k.Dir, k.Settings).Bind(finished => finished.Match(
                    done => data(k.e).Bind(d => Rescore(backend, k.e, k.Settings, d, k.Dir, done)).Map(Some),
                    () => FinSucc(Option<ExperimentResult>.None))))
            .Strict();
        return kept.Fold(FinSucc(results), (acc, k) => acc.Bind(rs => k.Map(found => found.Match(rs.Add, () => rs))))
            .Map(all => all.OrderBy(r => Experiments.OrderOf(r.Experiment)).ToSeq().Strict());
    }


    /// <summary>Same layers (whatever the model's name), same labels, same settings: training would give the same weights.</summary>
    static bool SameTraining(ExperimentResult done, Experiment e, Settings settings) =>
        done.Settings == settings && done.Experiment.Reduced == e.Reduced && done.Experiment.Members == e.Members
        && done.Experiment.Features == e.Features
        && done.Experiment.Model with { Name = e.Model.Name } == e.Model;

    static Fin<ExperimentResult> Train(IBackend backend, Experiment e, Settings settings, PreparedData data, string dir,
                                       IProgress<ReproduceEvent>? progress, CancellationToken cancel)
    {
        var relay = new SyncProgress<TrainingEvent>(ev => progress?.Report(new ExperimentTraining(e, settings.Seed, ev)));
        // the experiment's folder is this process's while it trains; other experiments of the same output may train beside it
        return FolderLock.While(dir, () =>
            from outcome in TrainingRun.Run(backend, e.Model, data, settings.ToConfig(), dir, relay, cancel)
            from _ in outcome.Interrupted ? FinSucc(unit) : ExperimentFolder.MarkFinished(dir, settings)
            select new ExperimentResult(e, settings, outcome.Test, outcome.History, outcome.Seconds,
                Metrics.Confusion(data.Scaled.Test.Y, outcome.TestPredictions, data.Genres.Count), data.Genres.Classes, new Provenance.Trained())
            { TestLabels = data.Scaled.Test.Y, TestPredictions = outcome.TestPredictions });
    }

    static Fin<ExperimentResult> Rescore(IBackend backend, Experiment e, Settings settings, PreparedData data, string dir, FinishedRun done) =>
        from stored in ModelFolder.Load(dir)
        from _ in Fits(stored.Spec, data, dir)
        from model in backend.Load(stored.Spec, stored.Weights)
        let scored = Score(model, data)
        select new ExperimentResult(e, settings, scored.Test, done.History, done.Seconds, scored.Confusion, data.Genres.Classes, new Provenance.AlreadyDone())
        { TestLabels = data.Scaled.Test.Y, TestPredictions = scored.Predictions };

    /// <summary>A stored model reads the data's features (15, or the encoding's columns) and predicts its classes.</summary>
    static Fin<Unit> Fits(Sequential spec, PreparedData data, string dir) =>
        from _ in SpecValidation.AcceptsFeatures(spec, data.Scaled.Train.X.Cols, dir)
        from __ in spec.Layers.Last is Dense d && d.Units == data.Genres.Count
            ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model($"{dir}: the model predicts {(spec.Layers.Last as Dense)?.Units} classes but the data has {data.Genres.Count}"))
        select unit;

    static (Evaluation Test, long[,] Confusion, int[] Predictions) Score(ICompiledModel model, PreparedData data)
    {
        using (model)
        {
            var test = LabeledData.From(data.Scaled.Test);
            var predictions = Metrics.Argmax(model.Predict(test.X, test.Rows), test.Classes);
            return (model.Evaluate(test), Metrics.Confusion(test.Y, predictions, test.Classes), predictions);
        }
    }

    static Seq<AuthorsScore> ScoreAuthors(IBackend backend, Seq<Experiment> experiments, string dir, Func<Experiment, Fin<PreparedData>> data) =>
        experiments.Choose(e => e.AuthorsModel.Map(m => (e, m)))
            .Filter(p => Directory.Exists(Path.Combine(dir, p.m)))
            .Choose(p =>
                (from saved in SavedModel.Load(Path.Combine(dir, p.m))
                 from d in data(p.e)
                 from _ in Fits(saved.Spec, d, Path.Combine(dir, p.m))
                 from model in backend.Load(saved.Spec, saved.Weights)
                 let scored = Score(model, d)
                 select new AuthorsScore(p.e.Name, p.m, scored.Test)
                 {
                     TestLabels = d.Scaled.Test.Y,
                     TestPredictions = scored.Predictions,
                     Classes = d.Genres.Classes,
                 }).ToOption())
            .Strict();

    static Fin<Unit> Write(string outDir, ReproduceResult r) =>
        from _1 in r.Results.Fold(FinSucc(unit), (acc, x) => acc.Bind(_ => Figures(outDir, x, r.Source)))
        from other in ReportWriter.OtherProfile(outDir, r.Profile.Name)
        from _2 in ChecksummedJson.Write(Path.Combine(outDir, "metrics.json"), BeyondReport.AddTo(ReportWriter.MetricsJson(r), r), indented: true)
        from _3 in AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), ReportWriter.Markdown(r, other))
        select unit;

    static Fin<Unit> WriteSeeds(string outDir, SeedsResult r) =>
        from other in ReportWriter.OtherProfile(outDir, r.Profile.Name)
        from _1 in ChecksummedJson.Write(Path.Combine(outDir, "metrics.json"), SeedsReport.MetricsJson(r), indented: true)
        from _2 in AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), SeedsReport.Markdown(r, other))
        select unit;

    /// <summary>An experiment's three figures; on the Kaggle file the learning curves also show the authors' TF2 log.</summary>
    static Fin<Unit> Figures(string outDir, ExperimentResult x, DataSource source)
    {
        var reference = source.IsKaggleFile ? AuthorsCurves.For(x.Experiment.Name) : None;
        var title = x.Ensemble.IsSome ? $"{x.Experiment.Title}: member 1 (seed {x.Settings.Seed})" : x.Experiment.Title;
        var (acc, loss) = Plots.LearningCurves(title, x.History, reference);
        return from _1 in Plots.Save(Path.Combine(outDir, $"{x.Experiment.Name}-accuracy.png"), acc)
               from _2 in Plots.Save(Path.Combine(outDir, $"{x.Experiment.Name}-loss.png"), loss)
               from _3 in Plots.Save(Path.Combine(outDir, $"{x.Experiment.Name}-confusion.png"), Plots.Confusion($"Confusion matrix (recall per actual genre): {x.Experiment.Title}", x.Confusion, x.Classes,
                   x.Experiment.Reduced ? Some(GenreMapping.ReportMerges) : None))
               select unit;
    }

    /// <summary>Progress of a second pass over the same experiments, their names marked so a renderer tells the passes apart.</summary>
    static IProgress<ReproduceEvent>? Renamed(IProgress<ReproduceEvent>? progress, string suffix)
    {
        if (progress is null) return null;
        Experiment Mark(Experiment e) => e with { Name = e.Name + suffix };
        return new SyncProgress<ReproduceEvent>(ev => progress.Report(ev switch
        {
            ExperimentStarted s => s with { Experiment = Mark(s.Experiment) },
            ExperimentTraining t => t with { Experiment = Mark(t.Experiment) },
            ExperimentFinished f => f with { Result = f.Result with { Experiment = Mark(f.Result.Experiment) } },
            _ => ev,
        }));
    }
}
