using System.Diagnostics;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Import;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Eval;

public sealed record ExperimentResult(Experiment Experiment, Settings Settings, Evaluation Test, History History, double Seconds,
                                      long[,] Confusion, Seq<string> Classes, bool Resumed);

public sealed record AuthorsScore(string Experiment, string Model, Evaluation Test);

public sealed record ReproduceResult(DataSource Source, Profile Profile, Seq<ExperimentResult> Results, Seq<AuthorsScore> Authors, double Seconds);

/// <summary>Progress of a reproduce run, for the CLI to render.</summary>
public abstract record ReproduceEvent;
public sealed record ExperimentStarted(Experiment Experiment, int Index, int Total, Settings Settings) : ReproduceEvent;
public sealed record ExperimentTraining(Experiment Experiment, TrainingEvent Event) : ReproduceEvent;
public sealed record ExperimentFinished(ExperimentResult Result) : ReproduceEvent;

/// <summary>
/// The whole report, regenerated: prepare the data once (full and merged genres), train each experiment (resuming
/// unfinished ones, skipping finished ones), re-score the authors' SavedModels, write plots, metrics.json and report.md.
/// </summary>
public static class Reproduce
{
    public static Fin<ReproduceResult> Run(IBackend backend, DataSource source, Profile profile, Seq<Experiment> experiments, string outDir,
                                           Option<string> authorsDir, IProgress<ReproduceEvent>? progress = null, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        return from tracks in ReportPipeline.ToFin(TrackCsv.Load(source.Path))
               let cleaned = Cleaning.Clean(tracks).Tracks
               from full in ReportPipeline.Prepare(cleaned, None)
               from reduced in ReportPipeline.Prepare(cleaned, Some(GenreMapping.Report))
               from results in RunAll(backend, profile, experiments, outDir, e => e.Reduced ? reduced : full, progress, cancel)
               let authors = authorsDir.Map(dir => ScoreAuthors(backend, experiments, dir, e => e.Reduced ? reduced : full)).IfNone(Seq<AuthorsScore>())
               let result = new ReproduceResult(source, profile, results, authors, clock.Elapsed.TotalSeconds)
               from _ in cancel.IsCancellationRequested ? FinSucc(unit) : Write(outDir, result)
               select result;
    }

    static Fin<Seq<ExperimentResult>> RunAll(IBackend backend, Profile profile, Seq<Experiment> experiments, string outDir,
                                             Func<Experiment, PreparedData> data, IProgress<ReproduceEvent>? progress, CancellationToken cancel)
    {
        var results = Seq<ExperimentResult>();
        for (var i = 0; i < experiments.Count && !cancel.IsCancellationRequested; i++)
        {
            var e = experiments[i];
            var settings = profile.SettingsFor(e);
            progress?.Report(new ExperimentStarted(e, i, experiments.Count, settings));
            var one = RunOne(backend, e, settings, data(e), Path.Combine(outDir, e.Name), progress, cancel);
            if (one.IsFail) return one.Map(_ => results);
            var r = (ExperimentResult)one;
            if (r.History.Epochs.Count < settings.Epochs && cancel.IsCancellationRequested) break;
            results = results.Add(r);
            progress?.Report(new ExperimentFinished(r));
        }
        return results;
    }

    static Fin<ExperimentResult> RunOne(IBackend backend, Experiment e, Settings settings, PreparedData data, string dir,
                                        IProgress<ReproduceEvent>? progress, CancellationToken cancel)
    {
        var spec = e.Model;
        var finished = Finished(dir, settings);
        if (finished.Case is History done)
            return from stored in ModelStore.Load(dir)
                   from model in backend.Load(stored.Spec, stored.Weights)
                   let scored = Score(model, data)
                   select new ExperimentResult(e, settings, scored.Test, done, SecondsOf(dir), scored.Confusion, data.Genres.Classes, true);
        var relay = new Relay(ev => progress?.Report(new ExperimentTraining(e, ev)));
        return from outcome in TrainingRun.Run(backend, spec, data, settings.ToConfig(), dir, relay, cancel)
               from _ in outcome.Interrupted ? FinSucc(unit) : MarkFinished(dir, settings)
               select new ExperimentResult(e, settings, outcome.Test, outcome.History, outcome.Seconds,
                   Metrics.Confusion(data.Scaled.Test.Y, outcome.TestPredictions, data.Genres.Count), data.Genres.Classes, false);
    }

    /// <summary>A finished experiment has metrics.json written for the same epochs and batch size.</summary>
    static Option<History> Finished(string dir, Settings settings)
    {
        try
        {
            var metrics = Path.Combine(dir, "metrics.json");
            var history = Path.Combine(dir, "history.json");
            if (!File.Exists(metrics) || !File.Exists(history) || !File.Exists(Path.Combine(dir, "settings.json"))) return None;
            var s = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "settings.json")))!;
            if (s["epochs"]!.GetValue<int>() != settings.Epochs || s["batch_size"]!.GetValue<int>() != settings.BatchSize || s["seed"]!.GetValue<int>() != settings.Seed) return None;
            return new History(toSeq(JsonNode.Parse(File.ReadAllText(history))!.AsArray().Select(h => new EpochMetrics(
                h!["epoch"]!.GetValue<int>(), h["loss"]!.GetValue<double>(), h["accuracy"]!.GetValue<double>(),
                h["val_loss"]?.GetValue<double>() ?? double.NaN, h["val_accuracy"]?.GetValue<double>() ?? double.NaN, h["seconds"]!.GetValue<double>()))).Strict());
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            return None;
        }
    }

    static double SecondsOf(string dir) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!["seconds"]!.GetValue<double>();

    static (Evaluation Test, long[,] Confusion) Score(ICompiledModel model, PreparedData data)
    {
        using (model)
        {
            var test = LabeledDataOf.Dataset(data.Scaled.Test);
            var predictions = Metrics.Argmax(model.Predict(test.X, test.Rows), test.Classes);
            return (model.Evaluate(test), Metrics.Confusion(test.Y, predictions, test.Classes));
        }
    }

    static Seq<AuthorsScore> ScoreAuthors(IBackend backend, Seq<Experiment> experiments, string dir, Func<Experiment, PreparedData> data) =>
        experiments.Choose(e => e.AuthorsModel.Map(m => (e, m)))
            .Filter(p => Directory.Exists(Path.Combine(dir, p.m)))
            .Choose(p =>
                (from saved in SavedModel.Load(Path.Combine(dir, p.m))
                 from model in backend.Load(saved.Spec, saved.Weights)
                 select new AuthorsScore(p.e.Name, p.m, Score(model, data(p.e)).Test)).ToOption())
            .Strict();

    static Fin<Unit> Write(string outDir, ReproduceResult r) =>
        from _1 in r.Results.Fold(FinSucc(unit), (acc, x) => acc.Bind(_ => Figures(outDir, x)))
        from _2 in AtomicFile.WriteAllText(Path.Combine(outDir, "metrics.json"), ReportWriter.MetricsJson(r).ToJsonString(new() { WriteIndented = true }))
        from _3 in AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), ReportWriter.Markdown(r, ReportWriter.OtherProfile(outDir, r.Profile.Name)))
        select unit;

    static Fin<Unit> Figures(string outDir, ExperimentResult x)
    {
        var (acc, loss) = Plots.LearningCurves(x.Experiment.Title, x.History);
        return from _1 in Plots.Save(Path.Combine(outDir, $"{x.Experiment.Name}-accuracy.png"), acc)
               from _2 in Plots.Save(Path.Combine(outDir, $"{x.Experiment.Name}-loss.png"), loss)
               from _3 in Plots.Save(Path.Combine(outDir, $"{x.Experiment.Name}-confusion.png"), Plots.Confusion($"Confusion matrix: {x.Experiment.Title}", x.Confusion, x.Classes))
               select unit;
    }

    /// <summary>Written as soon as an experiment's model and metrics are saved, so a later failure never costs its training.</summary>
    static Fin<Unit> MarkFinished(string dir, Settings settings) =>
        AtomicFile.WriteAllText(Path.Combine(dir, "settings.json"),
            new JsonObject { ["epochs"] = settings.Epochs, ["batch_size"] = settings.BatchSize, ["seed"] = settings.Seed }.ToJsonString());

    sealed class Relay(Action<TrainingEvent> f) : IProgress<TrainingEvent>
    {
        public void Report(TrainingEvent value) => f(value);
    }
}
