using System.Diagnostics;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Genre.Eval;

/// <summary>One LightGBM configuration: shrinkage, tree size, and boosting rounds (stopped early on validation log-loss).</summary>
public sealed record GbdtSettings(double LearningRate, int Leaves, int MinLeaf, int MaxRounds = 600, int EarlyStop = 20)
{
    /// <summary>"lr 0.05, 15 leaves, ≥ 50 rows a leaf, ≤ 400 rounds (early stop 10)".</summary>
    public string Describe() => FormattableString.Invariant($"lr {LearningRate}, {Leaves} leaves, ≥ {MinLeaf} rows a leaf, ≤ {MaxRounds} rounds (early stop {EarlyStop})");
}

/// <summary>A configuration tried, with its validation accuracy; the one with the best is used on the test set.</summary>
public sealed record GbdtTrial(GbdtSettings Settings, double ValAccuracy, double Seconds);

/// <summary>The gbdt experiment: the configurations tried, the chosen one, its test score and per-row predictions.</summary>
public sealed record GbdtResult(Seq<GbdtTrial> Trials, GbdtSettings Chosen, Evaluation Test, double Seconds, int[] TestLabels, int[] TestPredictions,
                                Seq<string> Classes, Provenance How)
{
    /// <summary>The experiment's name (its folder, its <c>--only</c> value).</summary>
    public const string Name = "gbdt";
    /// <summary>The experiment's title in reports.</summary>
    public const string Title = "Gradient-boosted trees (LightGBM, ML.NET)";
    /// <summary>The test labels and predictions as the statistics read them.</summary>
    public ScoredRows Rows => new(Name, TestLabels, TestPredictions, Classes, false);
    /// <summary>The chosen configuration's validation accuracy.</summary>
    public double ValAccuracy => Trials.Find(t => t.Settings == Chosen).Map(t => t.ValAccuracy).IfNone(double.NaN);
}

/// <summary>
/// Gradient-boosted trees on the report's 15 features and split (ML.NET's LightGBM multiclass trainer, softmax objective):
/// each candidate configuration is fitted on train with early stopping on validation, the one with the best validation
/// accuracy is scored once on test. The folder keeps the chosen model (<c>model.zip</c>) and the trials (<c>gbdt.json</c>),
/// so a finished run is re-scored, not refitted.
/// </summary>
public static class Gbdt
{
    /// <summary>
    /// The candidates: two learning rates and two tree sizes, each stopped early on validation log-loss (with 114 classes a
    /// round fits 114 trees, and training accuracy runs far ahead of validation within tens of rounds).
    /// </summary>
    public static readonly Seq<GbdtSettings> Candidates = Seq(
        new GbdtSettings(0.05, 31, 20, MaxRounds: 400, EarlyStop: 10),
        new GbdtSettings(0.05, 15, 50, MaxRounds: 400, EarlyStop: 10),
        new GbdtSettings(0.1, 31, 20, MaxRounds: 400, EarlyStop: 10));

    /// <summary>Fit each candidate, keep the best on validation, score it on test; a finished <paramref name="dir"/> is
    /// re-scored.</summary>
    public static Fin<GbdtResult> Run(PreparedData data, Seq<GbdtSettings> candidates, string dir, int seed, int threads)
    {
        var clock = Stopwatch.StartNew();
        var json = Path.Combine(dir, "gbdt.json");
        var ml = new MLContext(seed);
        return Stored(json, candidates).Match(
            trials => Guard(() =>
            {
                using var stream = File.OpenRead(Path.Combine(dir, "model.zip"));
                var model = ml.Model.Load(stream, out _);
                var chosen = trials.OrderByDescending(t => t.ValAccuracy).First().Settings;
                var (test, predictions) = Score(ml, model, data.Scaled.Test);
                return new GbdtResult(trials, chosen, test, Json.Double(ReadJson(json), "seconds").IfNone(0), data.Scaled.Test.Y, predictions,
                    data.Genres.Classes, new Provenance.AlreadyDone());
            }, e => GenreError.Model($"{dir}: cannot read the stored gbdt model ({e.Message})")),
            () => Guard(() =>
            {
                Directory.CreateDirectory(dir);
                var train = View(ml, data.Scaled.Train);
                var val = View(ml, data.Scaled.Val);
                var fitted = candidates.Map(s =>
                {
                    var c = Stopwatch.StartNew();
                    var model = Fit(ml, s, train, val, seed, threads);
                    return (Trial: new GbdtTrial(s, Score(ml, model, data.Scaled.Val).Test.Accuracy, c.Elapsed.TotalSeconds), Model: model);
                }).Strict();
                var best = fitted.OrderByDescending(f => f.Trial.ValAccuracy).First();
                var (test, predictions) = Score(ml, best.Model, data.Scaled.Test);
                var seconds = clock.Elapsed.TotalSeconds;
                using (var stream = File.Create(Path.Combine(dir, "model.zip.tmp"))) ml.Model.Save(best.Model, train.Schema, stream);
                File.Move(Path.Combine(dir, "model.zip.tmp"), Path.Combine(dir, "model.zip"), overwrite: true);
                var result = new GbdtResult(fitted.Map(f => f.Trial), best.Trial.Settings, test, seconds, data.Scaled.Test.Y, predictions,
                    data.Genres.Classes, new Provenance.Trained());
                AtomicFile.WriteAllText(json, ToJson(result).ToJsonString(new() { WriteIndented = true })).IfFail(e => throw new IOException(e.Message));
                return result;
            }, e => GenreError.Model($"{dir}: gbdt training failed ({e.Message})")));
    }

    static Fin<A> Guard<A>(Func<A> f, Func<Exception, LanguageExt.Common.Error> error)
    {
        try { return f(); }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or FormatException or UnauthorizedAccessException
                                  or System.Text.Json.JsonException)
        { return error(e); }
    }

    static ITransformer Fit(MLContext ml, GbdtSettings s, IDataView train, IDataView val, int seed, int threads) =>
        ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            LearningRate = s.LearningRate,
            NumberOfLeaves = s.Leaves,
            MinimumExampleCountPerLeaf = s.MinLeaf,
            NumberOfIterations = s.MaxRounds,
            EarlyStoppingRound = s.EarlyStop,
            UseSoftmax = true,
            EvaluationMetric = LightGbmMulticlassTrainer.Options.EvaluateMetricType.LogLoss,
            Seed = seed,
            Deterministic = true,
            NumberOfThreads = threads > 0 ? threads : null,
            Silent = true,
        }).Fit(train, val);

    /// <summary>Test (or validation) loss and accuracy as model.evaluate computes them, and the argmax predictions.</summary>
    static (Evaluation Test, int[] Predictions) Score(MLContext ml, ITransformer model, Dataset d)
    {
        var scores = model.Transform(View(ml, d)).GetColumn<float[]>("Score").ToArray();
        var k = d.Classes.Count;
        var probabilities = new float[d.Count * k];
        for (var i = 0; i < d.Count; i++) System.Array.Copy(scores[i], 0, probabilities, i * k, Math.Min(k, scores[i].Length));
        return Metrics.Score(d.Y, probabilities, k);
    }

    sealed class Row
    {
        public float[] Features = [];
        public uint Label;
    }

    /// <summary>
    /// Rows as an ML.NET view: the features as a float vector, the class as a key. Loading a POCO's uint into a key column
    /// ML.NET reads it as 0-based and stores key c + 1 for class c, so Score slot c is class c.
    /// </summary>
    static IDataView View(MLContext ml, Dataset d)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d.X.Cols);
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), d.Classes.Count);
        var rows = Enumerable.Range(0, d.Count).Select(i => new Row
        {
            Features = d.X.Row(i).ToArray().Select(v => (float)v).ToArray(),
            Label = (uint)d.Y[i],
        }).ToList();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    static JsonObject ToJson(GbdtResult r) => new()
    {
        ["chosen"] = SettingsJson(r.Chosen),
        ["seconds"] = r.Seconds,
        ["test_accuracy"] = Json.Finite(r.Test.Accuracy),
        ["trials"] = new JsonArray(r.Trials.Map(t => (JsonNode)new JsonObject
        {
            ["settings"] = SettingsJson(t.Settings),
            ["val_accuracy"] = t.ValAccuracy,
            ["seconds"] = t.Seconds,
        }).ToArray()),
    };

    static JsonObject SettingsJson(GbdtSettings s) => new()
    {
        ["learning_rate"] = s.LearningRate,
        ["leaves"] = s.Leaves,
        ["min_leaf"] = s.MinLeaf,
        ["max_rounds"] = s.MaxRounds,
        ["early_stop"] = s.EarlyStop,
    };

    static JsonObject ReadJson(string path) => JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? new JsonObject();

    /// <summary>The stored trials when the folder finished with exactly these candidates (else None: fit again).</summary>
    static Option<Seq<GbdtTrial>> Stored(string json, Seq<GbdtSettings> candidates)
    {
        if (!File.Exists(json) || !File.Exists(Path.Combine(Path.GetDirectoryName(json)!, "model.zip"))) return None;
        try
        {
            var trials = (ReadJson(json)["trials"] as JsonArray ?? []).Select(t => new GbdtTrial(
                new GbdtSettings((double)t!["settings"]!["learning_rate"]!, (int)t["settings"]!["leaves"]!, (int)t["settings"]!["min_leaf"]!,
                    (int)t["settings"]!["max_rounds"]!, (int)t["settings"]!["early_stop"]!),
                (double)t["val_accuracy"]!, (double)t["seconds"]!)).ToSeq().Strict();
            return trials.Map(t => t.Settings).SequenceEqual(candidates) ? Some(trials) : None;
        }
        catch (Exception) { return None; }
    }
}
