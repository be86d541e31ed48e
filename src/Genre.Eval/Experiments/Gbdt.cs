using System.Diagnostics;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Data.Stages;
using Genre.Models;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.LightGbm;

namespace Genre.Eval;

/// <summary>One LightGBM configuration: shrinkage, tree size, and boosting rounds (stopped early on validation log-loss).</summary>
public sealed record GbdtSettings(double LearningRate, int Leaves, int MinLeaf, int MaxRounds = 600, int EarlyStop = 20)
{
    /// <summary>"lr 0.05, 15 leaves, ≥ 50 rows a leaf, ≤ 400 rounds (early stop 10)".</summary>
    public string Describe() =>
        FormattableString.Invariant(
            $"lr {LearningRate}, {Leaves} leaves, ≥ {MinLeaf} rows a leaf, ≤ {MaxRounds} rounds (early stop {EarlyStop})");
}

/// <summary>A configuration tried, with its validation accuracy; the one with the best is used on the test set.</summary>
public sealed record GbdtTrial(GbdtSettings Settings, double ValAccuracy, double Seconds);

/// <summary>The gbdt experiment: the configurations tried, the chosen one, its test score and per-row predictions.</summary>
public sealed record GbdtResult(Seq<GbdtTrial> Trials, GbdtSettings Chosen, Evaluation Test, double Seconds, int[] TestLabels,
                                int[] TestPredictions,
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

    /// <summary>The trials file (<c>gbdt.json</c>, with its own crc32c) and the chosen model (<c>model.zip</c>) of a folder.</summary>
    public const string TrialsFile = "gbdt.json", ModelFile = "model.zip";

    /// <summary>What a finished folder stored: the trials and the seconds they took.</summary>
    public sealed record StoredRun(Seq<GbdtTrial> Trials, double Seconds, int Seed);

    /// <summary>Fit each candidate, keep the best on validation, score it on test; a folder finished with these candidates is
    /// re-scored.</summary>
    public static Fin<GbdtResult> Run(PreparedData data, Seq<GbdtSettings> candidates, string dir, int seed, int threads) =>
        Finished(dir, candidates, seed).Bind(stored => stored.Match(
            run => Rescored(data, dir, run, seed),
            () => Fitted(data, candidates, dir, seed, threads)));

    /// <summary>
    /// The stored trials when <paramref name="dir"/> finished with exactly these candidates and this seed (its model and its
    /// trials file present); None when it holds no finished run of them. A damaged trials file is an error naming it, and so is
    /// one an earlier genre wrote (without its checksum or its seed).
    /// </summary>
    public static Fin<Option<StoredRun>> Finished(string dir, Seq<GbdtSettings> candidates, int seed)
    {
        var path = Path.Combine(dir, TrialsFile);
        return ChecksummedJson.Read(path).Bind(o => o.Match(
            json => StoredOf(json, path).Map(run =>
                run.Trials.Map(t => t.Settings).SequenceEqual(candidates) && run.Seed == seed
                && File.Exists(Path.Combine(dir, ModelFile)) ? Some(run) : None),
            () => FinSucc(Option<StoredRun>.None)));
    }

    static Fin<GbdtResult> Rescored(PreparedData data, string dir, StoredRun run, int seed)
    {
        var ml = new MLContext(seed);
        var path = Path.Combine(dir, ModelFile);
        return Files.ReadBytes(path).Bind(bytes => Guard(() =>
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var model = ml.Model.Load(stream, out _);
            var chosen = run.Trials.OrderByDescending(t => t.ValAccuracy).First().Settings;
            var (test, predictions) = Score(ml, model, data.Scaled.Test);
            return new GbdtResult(run.Trials, chosen, test, run.Seconds, data.Scaled.Test.Y, predictions, data.Genres.Classes,
                new Provenance.AlreadyDone());
        }, e => GenreError.Model($"{path}: cannot read the stored gbdt model ({GenreError.Reason(e)})")));
    }

    static Fin<GbdtResult> Fitted(PreparedData data, Seq<GbdtSettings> candidates, string dir, int seed, int threads)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed);
        return from fitted in Guard(() =>
               {
                   var train = View(ml, data.Scaled.Train);
                   var val = View(ml, data.Scaled.Val);
                   var trials = candidates.Map(s =>
                   {
                       var c = Stopwatch.StartNew();
                       var model = Fit(ml, s, train, val, seed, threads);
                       var accuracy = Score(ml, model, data.Scaled.Val).Test.Accuracy;
                       return (Trial: new GbdtTrial(s, accuracy, c.Elapsed.TotalSeconds), Model: model);
                   }).Strict();
                   var best = trials.OrderByDescending(f => f.Trial.ValAccuracy).First();
                   var (test, predictions) = Score(ml, best.Model, data.Scaled.Test);
                   return (Result: new GbdtResult(trials.Map(f => f.Trial), best.Trial.Settings, test, clock.Elapsed.TotalSeconds,
                       data.Scaled.Test.Y, predictions, data.Genres.Classes, new Provenance.Trained()), best.Model, train.Schema);
               }, e => GenreError.Model($"{dir}: gbdt training failed ({GenreError.Reason(e)})"))
               // the model first, then the trials file that marks the folder finished
               from _1 in AtomicFile.Write(Path.Combine(dir, ModelFile), stream => ml.Model.Save(fitted.Model, fitted.Schema, stream))
               from _2 in ChecksummedJson.Write(Path.Combine(dir, TrialsFile), ToJson(fitted.Result, seed), indented: true)
               select fitted.Result;
    }

    /// <summary>ML.NET reports a failure (a damaged model.zip, a trainer that cannot fit) by throwing: at this edge, and only
    /// here, those exceptions become the caller's error.</summary>
    static Fin<A> Guard<A>(Func<A> f, Func<Exception, LanguageExt.Common.Error> error)
    {
        try { return f(); }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or FormatException
                                  or InvalidDataException or UnauthorizedAccessException)
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

    static JsonObject ToJson(GbdtResult r, int seed) => new()
    {
        ["seed"] = seed,
        ["chosen"] = ExperimentJson.ToJson(r.Chosen),
        ["seconds"] = r.Seconds,
        ["test_accuracy"] = Json.Finite(r.Test.Accuracy),
        ["trials"] = new JsonArray(r.Trials.Map(t => (JsonNode)new JsonObject
        {
            ["settings"] = ExperimentJson.ToJson(t.Settings),
            ["val_accuracy"] = t.ValAccuracy,
            ["seconds"] = t.Seconds,
        }).ToArray()),
    };

    /// <summary>The trials, seconds and seed a trials file holds, every member checked by type.</summary>
    static Fin<StoredRun> StoredOf(JsonObject o, string path) =>
        from trials in TrialsOf(o, path)
        from seed in Json.Member(o, "seed").Match(_ => StageJson.Int(o, "seed", path), () => EarlierFormat.Refused(path, "has no seed"))
        select new StoredRun(trials.Trials, trials.Seconds, seed);

    /// <summary>The trials and seconds, every member checked by type: also what <c>genre migrate</c> checks of a file without
    /// its seed.</summary>
    internal static Fin<(Seq<GbdtTrial> Trials, double Seconds)> TrialsOf(JsonObject o, string path) =>
        from trials in StageJson.Array(o, "trials", path)
        from read in trials.Select((t, i) =>
                from x in StageJson.Object(t, $"{path}: trials[{i}]")
                from settings in StageJson.Object(x, "settings", $"{path}: trials[{i}]")
                    .Bind(js => ExperimentJson.GbdtOf(js, $"{path}: trials[{i}].settings"))
                from val in StageJson.Number(x, "val_accuracy", $"{path}: trials[{i}]")
                from seconds in StageJson.Number(x, "seconds", $"{path}: trials[{i}]")
                select new GbdtTrial(settings, val, seconds))
            .ToSeq().Sequence()
        from _ in read.IsEmpty ? FinFail<Unit>(GenreError.Model($"{path}: no trials — the file is damaged")) : FinSucc(unit)
        from seconds in StageJson.Number(o, "seconds", path)
        select (read.Strict(), seconds);
}
