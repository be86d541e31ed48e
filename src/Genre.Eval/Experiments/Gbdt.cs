using System.Diagnostics;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Data.Stages;
using Genre.Eval.Boosting;
using Genre.Models;

namespace Genre.Eval;

/// <summary>One LightGBM configuration: shrinkage, tree size, and boosting rounds (stopped early on validation accuracy).</summary>
public sealed record GbdtSettings(double LearningRate, int Leaves, int MinLeaf, int MaxRounds = 600, int EarlyStop = 20)
{
    /// <summary>"lr 0.05, 15 leaves, ≥ 50 rows a leaf, ≤ 400 rounds (early stop 10)".</summary>
    public string Describe() =>
        FormattableString.Invariant(
            $"lr {LearningRate}, {Leaves} leaves, ≥ {MinLeaf} rows a leaf, ≤ {MaxRounds} rounds (early stop {EarlyStop})");

    /// <summary>The booster these settings fit: LightGBM's defaults for everything they do not name.</summary>
    public BoosterSettings Booster(int classes, int seed, int threads) =>
        new(classes, LearningRate, Leaves, MinLeaf, MaxRounds, EarlyStop, seed, threads);
}

/// <summary>A configuration tried, with its validation accuracy at the round kept (0 in files written before rounds were
/// recorded).</summary>
public sealed record GbdtTrial(GbdtSettings Settings, double ValAccuracy, double Seconds, int Rounds = 0);

/// <summary>The gbdt experiment: the configurations tried, the chosen one, its test score and per-row predictions.</summary>
public sealed record GbdtResult(Seq<GbdtTrial> Trials, GbdtSettings Chosen, Evaluation Test, double Seconds, int[] TestLabels,
                                int[] TestPredictions,
                                Seq<string> Classes, Provenance How)
{
    /// <summary>The experiment's name (its folder, its <c>--only</c> value).</summary>
    public const string Name = "gbdt";
    /// <summary>The experiment's title in reports.</summary>
    public const string Title = "Gradient-boosted trees (LightGBM)";
    /// <summary>The test labels and predictions as the statistics read them.</summary>
    public ScoredRows Rows => new(Name, TestLabels, TestPredictions, Classes, false);
    /// <summary>The chosen configuration's validation accuracy.</summary>
    public double ValAccuracy => Trials.Find(t => t.Settings == Chosen).Map(t => t.ValAccuracy).IfNone(double.NaN);
    /// <summary>Test class probabilities (rows × classes), for the metrics beyond accuracy.</summary>
    public float[] TestProbabilities { get; init; } = [];
    /// <summary>Top-k, macro-F1, family and listed-genre accuracy and calibration (None until scored).</summary>
    public Option<ProbabilityMetrics> Scores { get; init; }
}

/// <summary>
/// Gradient-boosted trees on the report's 15 features and split (native LightGBM, multiclass softmax, through
/// <see cref="Boosting.Booster"/>): each candidate configuration is fitted on train, stopped early on validation accuracy
/// (the metric the choice is made on) and cut at its best round; the one with the best validation accuracy is scored once on
/// test. The folder keeps the chosen model as LightGBM's text (<c>model.txt</c>) and the trials (<c>gbdt.json</c>, which
/// records the model's checksum and rounds), so a finished run is re-scored, not refitted.
/// </summary>
public static class Gbdt
{
    /// <summary>
    /// The candidates: the settings a public claim used (127 leaves, learning rate 0.05, LightGBM's other defaults) and two
    /// smaller trees, each stopped 30 rounds after its best validation accuracy.
    /// </summary>
    public static readonly Seq<GbdtSettings> Candidates = Seq(
        new GbdtSettings(0.05, 127, 20, MaxRounds: 500, EarlyStop: 30),
        new GbdtSettings(0.05, 31, 20, MaxRounds: 500, EarlyStop: 30),
        new GbdtSettings(0.05, 15, 50, MaxRounds: 500, EarlyStop: 30));

    /// <summary>The trials file (<c>gbdt.json</c>, with its own crc32c) and the chosen model (<c>model.txt</c>) of a folder.</summary>
    public const string TrialsFile = "gbdt.json", ModelFile = "model.txt";

    /// <summary>What a finished folder stored: the trials, the seconds they took, and the chosen model's rounds and
    /// checksum.</summary>
    public sealed record StoredRun(Seq<GbdtTrial> Trials, double Seconds, int Seed, int ModelRounds, uint ModelCrc);

    /// <summary>Fit each candidate, keep the best on validation, score it on test; a folder finished with these candidates is
    /// re-scored.</summary>
    public static Fin<GbdtResult> Run(PreparedData data, Seq<GbdtSettings> candidates, string dir, int seed, int threads) =>
        Finished(dir, candidates, seed).Bind(stored => stored.Match(
            run => Rescored(data, dir, run),
            () => Fitted(data, candidates, dir, seed, threads)));

    /// <summary>
    /// The stored trials when <paramref name="dir"/> finished with exactly these candidates and this seed (its model and its
    /// trials file present, the trials naming the model); None when it holds no finished run of them (a folder from before
    /// native LightGBM, with <c>model.zip</c>, is refitted). A damaged trials file is an error naming it, and so is one an
    /// earlier genre wrote (without its checksum or its seed).
    /// </summary>
    public static Fin<Option<StoredRun>> Finished(string dir, Seq<GbdtSettings> candidates, int seed)
    {
        var path = Path.Combine(dir, TrialsFile);
        return ChecksummedJson.Read(path).Bind(o => o.Match(
            json => Json.Member(json, "model").IsNone
                ? FinSucc(Option<StoredRun>.None)
                : StoredOf(json, path).Map(run =>
                    run.Trials.Map(t => t.Settings).SequenceEqual(candidates) && run.Seed == seed
                    && File.Exists(Path.Combine(dir, ModelFile)) ? Some(run) : None),
            () => FinSucc(Option<StoredRun>.None)));
    }

    /// <summary>
    /// As <see cref="Finished"/>, also taking a folder that finished with one of <paramref name="candidates"/> alone: what a
    /// grouped split's gbdt is (it trains only the configuration chosen on the report split's validation rows).
    /// </summary>
    public static Fin<Option<StoredRun>> FinishedWithAnyOf(string dir, Seq<GbdtSettings> candidates, int seed) =>
        candidates.Map(Seq1).Fold(Finished(dir, candidates, seed),
            (found, one) => found.Bind(o => o.IsSome ? FinSucc(o) : Finished(dir, one, seed)));

    static Fin<GbdtResult> Rescored(PreparedData data, string dir, StoredRun run)
    {
        var test = LabeledData.From(data.Scaled.Test);
        var chosen = run.Trials.OrderByDescending(t => t.ValAccuracy).First().Settings;
        return from model in Model(dir, run, test.Classes, data.Scaled.Test.X.Cols)
               from scored in Score(model, test)
               select new GbdtResult(run.Trials, chosen, scored.Test, run.Seconds, test.Y, scored.Predictions, data.Genres.Classes,
                   new Provenance.AlreadyDone())
               { TestProbabilities = scored.Probabilities };
    }

    /// <summary>
    /// The chosen model of a finished folder: <c>model.txt</c> checked against the checksum and rounds its trials file records,
    /// then read by LightGBM and checked for <paramref name="classes"/> classes and <paramref name="features"/> features.
    /// </summary>
    public static Fin<BoostedModel> Model(string dir, StoredRun run, int classes, int features)
    {
        var path = Path.Combine(dir, ModelFile);
        return from bytes in Files.ReadBytes(path)
               from _ in Crc32c.Compute(bytes) == run.ModelCrc
                   ? FinSucc(unit)
                   : GenreError.Model($"{path}: its checksum does not match {TrialsFile}'s — the file is damaged")
               from model in Booster.Read(System.Text.Encoding.UTF8.GetString(bytes), classes, features, run.ModelRounds, path)
               select model;
    }

    static Fin<GbdtResult> Fitted(PreparedData data, Seq<GbdtSettings> candidates, string dir, int seed, int threads)
    {
        var clock = Stopwatch.StartNew();
        var train = LabeledData.From(data.Scaled.Train);
        var val = LabeledData.From(data.Scaled.Val);
        var test = LabeledData.From(data.Scaled.Test);
        return from fits in candidates.Map(s => Booster.Fit(s.Booster(train.Classes, seed, threads), train, val)
                       .MapError(e => GenreError.Model($"{dir}: gbdt ({s.Describe()}): {e.Message}"))
                       .Map(fit => (Settings: s, Fit: fit)))
                   .Sequence()
               let trials = fits.Map(f => new GbdtTrial(f.Settings, f.Fit.BestValAccuracy, f.Fit.Seconds, f.Fit.BestRound)).Strict()
               let best = fits.OrderByDescending(f => f.Fit.BestValAccuracy).First()
               from scored in Score(best.Fit.Model, test)
               let bytes = System.Text.Encoding.UTF8.GetBytes(best.Fit.Model.Text)
               let result = new GbdtResult(trials, best.Settings, scored.Test, clock.Elapsed.TotalSeconds, test.Y, scored.Predictions,
                   data.Genres.Classes, new Provenance.Trained())
               { TestProbabilities = scored.Probabilities }
               // the model first, then the trials file that names it and marks the folder finished
               from _1 in AtomicFile.WriteAllBytes(Path.Combine(dir, ModelFile), bytes)
               from _2 in ChecksummedJson.Write(Path.Combine(dir, TrialsFile),
                   ToJson(result, seed, best.Fit.BestRound, Crc32c.Compute(bytes)), indented: true)
               select result;
    }

    /// <summary>Test loss and accuracy as model.evaluate computes them, the argmax predictions, and the probabilities.</summary>
    static Fin<(Evaluation Test, int[] Predictions, float[] Probabilities)> Score(BoostedModel model, LabeledData d) =>
        Booster.Predict(model, d.X, d.Rows).Map(p =>
        {
            var (test, predictions) = Metrics.Score(d.Y, p, d.Classes);
            return (test, predictions, p);
        });

    static JsonObject ToJson(GbdtResult r, int seed, int rounds, uint crc) => new()
    {
        ["seed"] = seed,
        ["model"] = new JsonObject { ["file"] = ModelFile, ["rounds"] = rounds, ["crc32c"] = Crc32c.Hex(crc) },
        ["chosen"] = ExperimentJson.ToJson(r.Chosen),
        ["seconds"] = r.Seconds,
        ["test_accuracy"] = Json.Finite(r.Test.Accuracy),
        ["trials"] = new JsonArray(r.Trials.Map(t => (JsonNode)new JsonObject
        {
            ["settings"] = ExperimentJson.ToJson(t.Settings),
            ["val_accuracy"] = t.ValAccuracy,
            ["seconds"] = t.Seconds,
            ["rounds"] = t.Rounds,
        }).ToArray()),
    };

    /// <summary>The trials, seconds and seed a trials file holds, every member checked by type.</summary>
    static Fin<StoredRun> StoredOf(JsonObject o, string path) =>
        from trials in TrialsOf(o, path)
        from seed in Json.Member(o, "seed").Match(_ => StageJson.Int(o, "seed", path), () => EarlierFormat.Refused(path, "has no seed"))
        from model in StageJson.Object(o, "model", path)
        from rounds in StageJson.Int(model, "rounds", $"{path}: model")
        from hex in StageJson.Text(model, "crc32c", $"{path}: model")
        from crc in uint.TryParse(hex, System.Globalization.NumberStyles.HexNumber, null, out var c) && hex.Length == 8
            ? FinSucc(c)
            : GenreError.Model($"{path}: model.crc32c is not 8 hex digits — the file is damaged")
        select new StoredRun(trials.Trials, trials.Seconds, seed, rounds, crc);

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
                from rounds in Json.Member(x, "rounds").Match(_ => StageJson.Int(x, "rounds", $"{path}: trials[{i}]"), () => FinSucc(0))
                select new GbdtTrial(settings, val, seconds, rounds))
            .ToSeq().Sequence()
        from _ in read.IsEmpty ? FinFail<Unit>(GenreError.Model($"{path}: no trials — the file is damaged")) : FinSucc(unit)
        from seconds in StageJson.Number(o, "seconds", path)
        select (read.Strict(), seconds);
}
