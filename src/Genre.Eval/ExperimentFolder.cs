using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Eval;

/// <summary>What a finished experiment folder recorded about its training.</summary>
public sealed record FinishedRun(History History, double Seconds);

/// <summary>
/// One experiment's folder in a reproduce output: <c>settings.json</c> marks it finished (written only after the model,
/// history and metrics are saved), <c>history.json</c> and <c>metrics.json</c> hold what training measured.
/// </summary>
public static class ExperimentFolder
{
    /// <summary>
    /// The stored history and training seconds, when the folder holds a finished run with these epochs, batch size, seed and
    /// learning rate (seconds 0 when metrics.json does not record them).
    /// </summary>
    public static Option<FinishedRun> Finished(string dir, Settings settings) =>
        from s in ReadJson(Path.Combine(dir, "settings.json"))
        from epochs in Int(s, "epochs")
        from batch in Int(s, "batch_size")
        from seed in Int(s, "seed")
        let rate = Double(s, "learning_rate").IfNone(1e-3) // folders written before the rate was recorded used Adam's default
        let decay = Double(s, "cosine_decay_alpha").Map(a => new CosineDecay(a)) // absent: a constant rate
        where epochs == settings.Epochs && batch == settings.BatchSize && seed == settings.Seed && rate == settings.LearningRate && decay == settings.Decay
        from metrics in ReadJson(Path.Combine(dir, "metrics.json"))
        from h in ReadJson(Path.Combine(dir, "history.json"))
        from history in HistoryOf(h)
        select new FinishedRun(history, Double(metrics, "seconds").IfNone(0));

    /// <summary>Written as soon as an experiment's model and metrics are saved, so a later failure never costs its training.</summary>
    public static Fin<Unit> MarkFinished(string dir, Settings settings)
    {
        var json = new JsonObject
        {
            ["epochs"] = settings.Epochs, ["batch_size"] = settings.BatchSize, ["seed"] = settings.Seed, ["learning_rate"] = settings.LearningRate,
        };
        foreach (var d in settings.Decay) json["cosine_decay_alpha"] = d.Alpha;
        return AtomicFile.WriteAllText(Path.Combine(dir, "settings.json"), json.ToJsonString());
    }

    /// <summary>
    /// Give <paramref name="to"/> the finished training of its twin in <paramref name="source"/> (same layers, labels and settings):
    /// the same weights under this experiment's model name, the same history and test metrics, then the finished marker.
    /// </summary>
    public static Fin<Unit> CopyTraining(string source, string to, Sequential spec, ExperimentResult twin) =>
        from stored in ModelFolder.Load(source)
        from _1 in ModelFolder.Save(to, spec, stored.Weights, stored.Preprocessing)
        from _2 in TrainingRun.WriteMetrics(to, new TrainingOutcome(spec, twin.History, twin.Test, twin.Seconds, [], false))
        from _3 in MarkFinished(to, twin.Settings)
        select unit;

    static Option<JsonNode> ReadJson(string path)
    {
        try { return File.Exists(path) ? Optional(JsonNode.Parse(File.ReadAllText(path))) : None; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException) { return None; }
    }

    static Option<JsonValue> Value(JsonNode node, string key) =>
        node is JsonObject o && o.TryGetPropertyValue(key, out var v) && v is JsonValue value ? Some(value) : None;

    static Option<int> Int(JsonNode node, string key) =>
        Value(node, key).Bind(v => v.TryGetValue<int>(out var i) ? Some(i) : None);

    static Option<double> Double(JsonNode node, string key) =>
        Value(node, key).Bind(v => v.TryGetValue<double>(out var d) ? Some(d) : None);

    /// <summary>val_loss/val_accuracy are null when there was no validation set: read as NaN.</summary>
    static Option<EpochMetrics> EpochOf(JsonNode? e) =>
        e is null ? None :
        from epoch in Int(e, "epoch")
        from loss in Double(e, "loss")
        from accuracy in Double(e, "accuracy")
        from seconds in Double(e, "seconds")
        select new EpochMetrics(epoch, loss, accuracy, Double(e, "val_loss").IfNone(double.NaN), Double(e, "val_accuracy").IfNone(double.NaN), seconds);

    static Option<History> HistoryOf(JsonNode h) =>
        h is JsonArray a
            ? a.Select(EpochOf).ToSeq().Sequence().Map(epochs => new History(epochs.Strict()))
            : None;
}
