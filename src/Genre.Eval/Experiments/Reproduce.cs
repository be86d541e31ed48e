using System.Diagnostics;
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Import;

namespace Genre.Eval;

/// <summary>
/// The whole report, regenerated: prepare the data once (full and merged genres), train each experiment (resuming
/// unfinished ones, skipping finished ones), re-score the authors' SavedModels, write plots, metrics.json and report.md.
/// </summary>
public static partial class Reproduce
{
    /// <summary>
    /// Runs <paramref name="experiments"/> on the source's data with the profile's settings, writing each experiment's folder,
    /// plots, <c>metrics.json</c> and <c>report.md</c> under <paramref name="outDir"/>; the authors' SavedModels in
    /// <paramref name="authorsDir"/>, when given, are re-scored (those missing are left out). After cancellation the reports are
    /// not written. Fails with the first data, I/O or model error.
    /// </summary>
    public static Fin<ReproduceResult> Run(IBackend backend, DataSource source, Profile profile, Seq<Experiment> experiments, string outDir,
                                           Option<string> authorsDir, IProgress<ReproduceEvent>? progress = null,
                                           CancellationToken cancel = default,
                                           Beyond? beyond = null)
    {
        var clock = Stopwatch.StartNew();
        var more = beyond ?? new Beyond();
        var seed = profile.SettingsFor(Experiments.OfReport.Head).Seed;
        return from data in ReportData.Load(source)
               from results in RunAll(backend, profile, experiments, outDir, data, progress, cancel)
               from gbdt in GbdtIn(backend, more.Gbdt, data, Experiments.Gbdt, Path.Combine(outDir, "gbdt"), seed, more.Threads, cancel)
               from trackAware in GroupedIn(backend, profile, experiments, more, gbdt, Path.Combine(outDir, "track-aware"), data, seed,
                   progress, cancel, TrackAware.Load, " (track-aware)")
               from artistAware in GroupedIn(backend, profile, experiments, more, gbdt, Path.Combine(outDir, "artist-aware"), data, seed,
                   progress, cancel, ArtistAware.Load, " (artist-aware)")
               let authors = authorsDir.Map(dir => ScoreAuthors(backend, results.Map(r => r.Experiment), dir, data.For))
                   .IfNone(Seq<AuthorsScore>())
               from merges in results.Find(x => x.Experiment.Name == "rnn1" && x.TestPredictions.Length > 0)
                   .Map(x => MergeComparisons.Of(backend, x, Path.Combine(outDir, x.Experiment.Name), data.Full, GenreMapping.ReportMerges)
                       .Map(Some))
                   .IfNone(FinSucc(Option<MergeComparison>.None))
               let result = new ReproduceResult(source, profile, results.Map(x => WithScores(x, data)).Strict(), authors,
                   clock.Elapsed.TotalSeconds)
               {
                   Gbdt = gbdt.Map(g => WithScores(g, data)),
                   TrackAware = trackAware.Neural,
                   GbdtTrackAware = trackAware.Trees,
                   ArtistAware = artistAware.Neural,
                   GbdtArtistAware = artistAware.Trees,
                   Merges = merges,
               }
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
                       RunAll(backend, profileFor(seed), Seq<Experiment>(), SeedFolder.Path(outDir, seed), data, null, cancel)
                           .Map(rs => done.Add(new SeedRun(seed,
                               new ReproduceResult(source, profileFor(seed), rs, Seq<AuthorsScore>(), 0))))))
               let perSeed = (trained + others).OrderBy(r => r.Seed).ToSeq().Strict()
               let spreads = SeedSpread.Of(perSeed)
               let authors = authorsDir.Map(dir => ScoreAuthors(backend, spreads.Map(x => x.Experiment), dir, data.For))
                   .IfNone(Seq<AuthorsScore>())
               let result = new SeedsResult(source, profileFor(seeds.Head), perSeed, spreads, authors, clock.Elapsed.TotalSeconds)
               from _ in cancel.IsCancellationRequested ? FinSucc(unit) : WriteSeeds(outDir, result)
               select result;
    }

    /// <summary>gbdt when asked for, or re-scored when its folder finished earlier; else nothing.</summary>
    static Fin<Option<GbdtResult>> GbdtIn(IBackend backend, bool asked, ReportData data, Experiment trees, string dir, int seed,
                                          int threads,
                                          CancellationToken cancel)
    {
        var e = trees with { Split = data.Split };
        var settings = Profiles.Notebooks with { Seed = seed }; // trees read only the seed
        return data.For(e).Bind(d =>
        {
            var context = new RunContext(backend, d, Cancel: cancel) { Threads = threads };
            return asked ? Runners.Trees.Run(context, e, settings, dir) : Runners.Trees.Rescore(context, e, settings, dir);
        });
    }

    /// <summary>
    /// The requested experiments (and gbdt's chosen configuration) on a grouped split (<paramref name="load"/>: the
    /// track-aware or the artist-aware one), in <paramref name="dir"/>; a folder from an earlier run is re-scored.
    /// </summary>
    static Fin<(Seq<ExperimentResult> Neural, Option<GbdtResult> Trees)> GroupedIn(IBackend backend, Profile profile,
        Seq<Experiment> experiments, Beyond more, Option<GbdtResult> gbdt, string dir, ReportData data, int seed,
        IProgress<ReproduceEvent>? progress, CancellationToken cancel, Func<Seq<Track>, Fin<ReportData>> load, string suffix)
    {
        if (cancel.IsCancellationRequested || !(more.TrackAware || Directory.Exists(dir))) return (Seq<ExperimentResult>(), None);
        return from split in load(data.Cleaned)
               from neural in RunAll(backend, profile, more.TrackAware ? experiments : Seq<Experiment>(), dir, split,
                   Renamed(progress, suffix), cancel)
               from trees in gbdt.Match(
                   g => GbdtIn(backend, more.TrackAware, split, Experiments.Gbdt with { Model = new Learner.Trees(Seq1(g.Chosen)) },
                       Path.Combine(dir, "gbdt"), seed, more.Threads, cancel),
                   () => FinSucc(Option<GbdtResult>.None))
               select (neural, trees);
    }

    static Fin<ReproduceResult> RunSeed(IBackend backend, DataSource source, Profile profile, Seq<Experiment> experiments, string dir,
                                        ReportData data, IProgress<ReproduceEvent>? progress, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        return from results in RunAll(backend, profile, experiments, dir, data, progress, cancel)
               let result = new ReproduceResult(source, profile, results, Seq<AuthorsScore>(), clock.Elapsed.TotalSeconds)
               from _ in cancel.IsCancellationRequested ? FinSucc(unit) : Write(dir, result)
               select result;
    }

    /// <summary>
    /// Train the requested experiments in order (each on <paramref name="data"/>'s split, through its learner's runner), then add
    /// every other experiment of the report already finished in <paramref name="outDir"/> with this profile's settings, so the
    /// folder's report and metrics.json cover all of its work (unless <paramref name="withFinished"/> is false: a plan's unit,
    /// which writes no report).
    /// </summary>
    static Fin<Seq<ExperimentResult>> RunAll(IBackend backend, Profile profile, Seq<Experiment> experiments, string outDir,
                                             ReportData data, IProgress<ReproduceEvent>? progress, CancellationToken cancel,
                                             bool withFinished = true)
    {
        var results = Seq<ExperimentResult>();
        for (var i = 0; i < experiments.Count && !cancel.IsCancellationRequested; i++)
        {
            var e = experiments[i] with { Split = data.Split };
            var settings = profile.SettingsFor(e);
            var dir = Path.Combine(outDir, e.Name);
            progress?.Report(new ExperimentStarted(e, i, experiments.Count, settings));
            var prepared = data.For(e);
            if (prepared.Case is LanguageExt.Common.Error failed) return failed;
            var context = new RunContext(backend, (PreparedData)prepared, progress, cancel) { Index = i, Total = experiments.Count };
            var runner = Runners.OfNetworks(e);
            var one = runner.Finished(e, settings, dir).Bind(finished =>
                !finished && e.Model is Learner.Net net && results.Find(r => SameTraining(r, e, settings)).Case is ExperimentResult twin
                    ? ExperimentFolder.CopyTraining(Path.Combine(outDir, twin.Experiment.Name), dir, e, net.Spec, twin)
                        .Map(_ => Some(twin with { Experiment = e, How = new Provenance.SameTrainingAs(twin.Experiment.Name) }))
                    : runner.Run(context, e, settings, dir));
            if (one.IsFail) return one.Map(_ => results);
            // None: cancelled before it finished
            if (((Option<ExperimentResult>)one).Case is not ExperimentResult r) break;
            results = results.Add(r);
            progress?.Report(new ExperimentFinished(r));
        }
        if (cancel.IsCancellationRequested || !withFinished) return results;
        var kept = (Experiments.OfReport + Experiments.Beyond)
            .Filter(e => !experiments.Exists(x => x.Name == e.Name))
            .Map(e => e with { Split = data.Split })
            .Map(e => data.For(e).Bind(d =>
                Runners.OfNetworks(e).Rescore(new RunContext(backend, d, Cancel: cancel), e, profile.SettingsFor(e),
                    Path.Combine(outDir, e.Name))))
            .Strict();
        return kept.Fold(FinSucc(results), (acc, k) => acc.Bind(rs => k.Map(found => found.Match(rs.Add, () => rs))))
            .Map(all => all.OrderBy(r => Experiments.OrderOf(r.Experiment)).ToSeq().Strict());
    }


    /// <summary>Same layers (whatever the model's name), same labels, features, split and settings: training would give the same
    /// weights.</summary>
    static bool SameTraining(ExperimentResult done, Experiment e, Settings settings) =>
        done.Settings == settings && Unnamed(done.Experiment.RecipeWith(settings)) == Unnamed(e.RecipeWith(settings));

    static Recipe Unnamed(Recipe r) => r with { Model = r.Model is Learner.Net n ? new Learner.Net(n.Spec with { Name = "" }) : r.Model };

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
