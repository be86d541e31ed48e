using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Eval.Boosting;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval;

/// <summary>A blend across model families scored: its weight, validation and test accuracy, interval, and McNemar against the
/// first model alone.</summary>
public sealed record CrossFamilyResult(Blend Blend, double FirstVal, double SecondVal, double FirstTest, double SecondTest,
                                       double Test, Interval TestInterval, McNemarTest AgainstFirst)
{
    /// <summary>The split the blend was chosen and scored on (each folder trained on it).</summary>
    public DataSplit Split { get; init; } = DataSplit.Report;

    /// <summary>The blend's metrics beyond accuracy on the test rows (top-k, macro-F1, family, calibration).</summary>
    public Option<ProbabilityMetrics> Scores { get; init; }

    /// <summary>The blend on the test rows with an identical-feature twin in training and on the others.</summary>
    public Option<TwinScores> Twins { get; init; }
}

/// <summary>A blend of several finished folders scored: its weights, validation and test accuracy, interval, each model's own
/// accuracies, and McNemar against the first model alone.</summary>
public sealed record CrossFamilyBlend(Seq<string> Folders, WeightedBlend Blend, Seq<(double Val, double Test)> Models,
                                      double Test, Interval TestInterval, McNemarTest AgainstFirst)
{
    /// <summary>The split the blend was chosen and scored on (each folder trained on it).</summary>
    public DataSplit Split { get; init; } = DataSplit.Report;

    /// <summary>The blend's metrics beyond accuracy on the test rows (top-k, macro-F1, family, calibration).</summary>
    public Option<ProbabilityMetrics> Scores { get; init; }

    /// <summary>The blend on the test rows with an identical-feature twin in training and on the others.</summary>
    public Option<TwinScores> Twins { get; init; }
}

/// <summary>
/// An ensemble across families: two (or more, <see cref="RunMany"/>) finished folders — each a network classifier's (one model
/// or an ensemble, with its own pipeline) or a gbdt run's (its <c>gbdt.json</c>) — their probabilities mixed with the weights
/// that are best on the validation rows of the data's split (<see cref="Blend"/>, <see cref="WeightedBlend"/>), scored once on its
/// test rows. Every folder must predict the data's genres in its order and, to be an honest score, have trained on that split.
/// </summary>
public static class CrossFamily
{
    /// <summary>Blend <paramref name="firstDir"/>'s model with <paramref name="secondDir"/>'s on <paramref name="data"/> (its
    /// split, its cleaned tracks kept); <paramref name="seed"/> names a gbdt folder's run.</summary>
    public static Fin<CrossFamilyResult> Run(IBackend backend, ReportData data, string firstDir, string secondDir, int seed)
    {
        var d = data.Full;
        var val = LabeledData.From(d.Scaled.Val);
        var test = LabeledData.From(d.Scaled.Test);
        return from split in data.Positions()
               from first in Probabilities(backend, data, (split.Val, val), (split.Test, test), firstDir, seed)
               from second in Probabilities(backend, data, (split.Val, val), (split.Test, test), secondDir, seed)
               let blend = Blend.Choose(first.Val, second.Val, val.Y, val.Classes)
               let mixed = blend.Apply(first.Test, second.Test)
               let predicted = Metrics.Argmax(mixed, test.Classes)
               let firstHits = Uncertainty.Hits(test.Y, Metrics.Argmax(first.Test, test.Classes))
               let hits = Uncertainty.Hits(test.Y, predicted)
               select new CrossFamilyResult(blend, Metrics.Accuracy(val, first.Val), Metrics.Accuracy(val, second.Val),
                   Uncertainty.Accuracy(firstHits), Metrics.Accuracy(test, second.Test), Uncertainty.Accuracy(hits),
                   Uncertainty.Bootstrap(hits), Uncertainty.McNemar(hits, firstHits))
               {
                   Split = data.Split,
                   Scores = BlendScores(data, test, predicted, mixed),
                   Twins = TwinsOf(data, split, test, predicted),
               };
    }

    /// <summary>Blend the models of every folder in <paramref name="dirs"/> (at least two) with the weights of best validation
    /// accuracy on the simplex grid (<see cref="WeightedBlend"/>), scored once on the test rows with the metrics beyond accuracy;
    /// McNemar against the first.</summary>
    public static Fin<CrossFamilyBlend> RunMany(IBackend backend, ReportData data, Seq<string> dirs, int seed)
    {
        if (dirs.Count < 2) return GenreError.Usage($"a blend needs at least two folders, got {dirs.Count}");
        var d = data.Full;
        var val = LabeledData.From(d.Scaled.Val);
        var test = LabeledData.From(d.Scaled.Test);
        return from split in data.Positions()
               from models in dirs.Map(dir => Probabilities(backend, data, (split.Val, val), (split.Test, test), dir, seed)).Sequence()
               let blend = WeightedBlend.Choose(models.Map(m => m.Val).Strict(), val.Y, val.Classes)
               let mixed = blend.Apply(models.Map(m => m.Test).Strict())
               let predicted = Metrics.Argmax(mixed, test.Classes)
               let hits = Uncertainty.Hits(test.Y, predicted)
               let firstHits = Uncertainty.Hits(test.Y, Metrics.Argmax(models.Head.Test, test.Classes))
               select new CrossFamilyBlend(dirs, blend,
                   models.Map(m => (Metrics.Accuracy(val, m.Val), Metrics.Accuracy(test, m.Test))).Strict(),
                   Uncertainty.Accuracy(hits), Uncertainty.Bootstrap(hits), Uncertainty.McNemar(hits, firstHits))
               {
                   Split = data.Split,
                   Scores = BlendScores(data, test, predicted, mixed),
                   Twins = TwinsOf(data, split, test, predicted),
               };
    }

    /// <summary>A blend's metrics beyond accuracy on the test rows of the data's 114 genres.</summary>
    static ProbabilityMetrics BlendScores(ReportData data, LabeledData test, int[] predicted, float[] mixed) =>
        Reproduce.ScoresOf(new ScoredRows("blend", test.Y, predicted, data.Full.Genres.Classes, false), mixed, data.Full,
            data.Cleaned, None);

    /// <summary>The blend's test predictions scored apart on the rows with an identical-feature twin in training.</summary>
    static TwinScores TwinsOf(ReportData data, (int[] Train, int[] Val, int[] Test) split, LabeledData test, int[] predicted) =>
        Eval.Twins.Score(Eval.Twins.GenresOfTwins(Features.Of(data.Cleaned), split.Train, data.Full.Scaled.Train.Y, split.Test),
            test.Y, predicted);

    /// <summary>A blend of several folders as a JSON record, the folders as given.</summary>
    public static JsonObject ToJson(CrossFamilyBlend r) => new()
    {
        ["folders"] = new JsonArray(r.Folders.Map(f => (JsonNode)f).ToArray()),
        ["weights"] = new JsonArray(r.Blend.Weights.Map(w => (JsonNode)w).ToArray()),
        ["val_accuracy"] = r.Blend.ValAccuracy,
        ["test_accuracy"] = r.Test,
        ["test_interval"] = new JsonArray(r.TestInterval.Lower, r.TestInterval.Upper),
        ["grid_points"] = r.Blend.Points,
        ["models"] = new JsonArray(r.Folders.Zip(r.Models).Map(p => (JsonNode)new JsonObject
        {
            ["folder"] = p.Item1,
            ["val_accuracy"] = p.Item2.Val,
            ["test_accuracy"] = p.Item2.Test,
        }).ToArray()),
        ["mcnemar_against_first"] = McNemarJson(r.AgainstFirst),
        ["split"] = ExperimentJson.SplitName(r.Split),
        ["scores"] = ScoresJson(r.Scores),
        ["twins"] = TwinsJson(r.Twins),
    };

    // Option.Match refuses a null result: a blend without scores or twins has a null member through Case
    static JsonObject? TwinsJson(Option<TwinScores> twins) => twins.Case is TwinScores t
        ? new JsonObject
        {
            ["rows"] = t.Rows,
            ["accuracy"] = t.Accuracy,
            ["predicted_twin_genre"] = t.PredictedTwinGenre,
            ["other_rows"] = t.OtherRows,
            ["other_accuracy"] = t.OtherAccuracy,
        }
        : null;

    static JsonObject? ScoresJson(Option<ProbabilityMetrics> scores) => scores.Case is ProbabilityMetrics m ? ScoresReport.Json(m) : null;

    /// <summary>McNemar of the blend (its first side) against the first model alone, as <c>blend.json</c> records it.</summary>
    static JsonObject McNemarJson(McNemarTest t) => new()
    {
        ["rows"] = t.Rows,
        ["only_blend"] = t.OnlyFirst,
        ["only_first"] = t.OnlySecond,
        ["p_value"] = t.PValue,
    };

    /// <summary>Writes a blend of several folders as JSON to <paramref name="path"/> atomically.</summary>
    public static Fin<Unit> Write(string path, CrossFamilyBlend r) =>
        AtomicFile.WriteAllText(path, ToJson(r).ToJsonString(Indented) + "\n");

    /// <summary>The result as a JSON record (what <c>blend.json</c> beside a committed blend holds), with the two folders as
    /// given.</summary>
    public static JsonObject ToJson(CrossFamilyResult r, string firstDir, string secondDir) => new()
    {
        ["first"] = firstDir,
        ["second"] = secondDir,
        ["weight_on_first"] = r.Blend.Weight,
        ["val_accuracy"] = r.Blend.ValAccuracy,
        ["test_accuracy"] = r.Test,
        ["test_interval"] = new JsonArray(r.TestInterval.Lower, r.TestInterval.Upper),
        ["first_val_accuracy"] = r.FirstVal,
        ["second_val_accuracy"] = r.SecondVal,
        ["first_test_accuracy"] = r.FirstTest,
        ["second_test_accuracy"] = r.SecondTest,
        ["mcnemar_against_first"] = McNemarJson(r.AgainstFirst),
        ["split"] = ExperimentJson.SplitName(r.Split),
        ["scores"] = ScoresJson(r.Scores),
        ["twins"] = TwinsJson(r.Twins),
    };

    /// <summary>Writes <see cref="ToJson(CrossFamilyResult, string, string)"/>'s record to <paramref name="path"/> atomically (an I/O
    /// error naming it otherwise).</summary>
    public static Fin<Unit> Write(string path, CrossFamilyResult r, string firstDir, string secondDir) =>
        AtomicFile.WriteAllText(path, ToJson(r, firstDir, secondDir).ToJsonString(Indented) + "\n");

    static readonly System.Text.Json.JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A finished folder's probabilities on the validation and test rows (each given as positions into the cleaned
    /// tracks and as the report pipeline's rows): LightGBM's for a gbdt folder, on the pipeline's rows; else the classifier's, on
    /// the tracks through its own pipeline.</summary>
    static Fin<(float[] Val, float[] Test)> Probabilities(IBackend backend, ReportData data, (int[] Rows, LabeledData Data) val,
                                                          (int[] Rows, LabeledData Data) test, string dir, int seed)
    {
        var d = data.Full;
        if (File.Exists(Path.Combine(dir, Gbdt.TrialsFile)))
            return from stored in Gbdt.FinishedWithAnyOf(dir, Gbdt.Candidates, seed)
                       .Bind(o => o.ToFin(GenreError.Io($"{dir}: no finished gbdt run of genre's candidates with seed {seed}")))
                   from trees in Gbdt.Model(dir, stored, val.Data.Classes, d.Scaled.Val.X.Cols)
                   from treesVal in Booster.Predict(trees, val.Data.X, val.Data.Rows)
                   from treesTest in Booster.Predict(trees, test.Data.X, test.Data.Rows)
                   select (treesVal, treesTest);
        return from net in Classifier.Load(dir)
               from _ in net.Genres.SequenceEqual(d.Genres.Classes)
                   ? FinSucc(unit)
                   : GenreError.Model($"{dir}: predicts other genres than the data's {d.Genres.Count}")
               from netVal in net.Probabilities(backend, val.Rows.Select(i => data.Cleaned[i]).ToSeq(), "validation rows")
               from netTest in net.Probabilities(backend, test.Rows.Select(i => data.Cleaned[i]).ToSeq(), "test rows")
               select (netVal, netTest);
    }
}
