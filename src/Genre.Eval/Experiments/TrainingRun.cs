using System.Diagnostics;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval;

/// <summary>What one training run produced.</summary>
public sealed record TrainingOutcome(Sequential Spec, History History, Evaluation Test, double Seconds, int[] TestPredictions,
    bool Interrupted)
{
    /// <summary>The model's test probabilities (rows × classes), for the metrics beyond accuracy.</summary>
    public float[] TestProbabilities { get; init; } = [];
}

/// <summary>
/// Train one model on prepared data and keep everything: checkpoints under <c>dir/checkpoints</c> (resumable), then
/// the model folder (<see cref="Classifier.Save"/>: the model, its weights and its fitted preprocessing), <c>history.json</c> and
/// <c>metrics.json</c>, each written atomically. Callers that may share <c>dir</c> with another process hold its
/// lock file (<c>.genre.lock</c>) meanwhile. Numbers that are not finite are written as null (JSON has no NaN).
/// </summary>
public static class TrainingRun
{
    /// <summary>
    /// Compiles <paramref name="spec"/> (or loads <paramref name="initial"/>), fits it on the training split with validation,
    /// evaluates it on the test split and, unless cancelled before the last epoch, saves the model folder and metrics in
    /// <paramref name="dir"/>. Fails with the first model, I/O or divergence error; the compiled model is disposed either way.
    /// </summary>
    /// <param name="backend">Compiles and loads models.</param>
    /// <param name="spec">The model to train.</param>
    /// <param name="data">The prepared splits (train, val, test) and preprocessing.</param>
    /// <param name="config">Epochs, batch, seed, optimizer; without a checkpoint policy, checkpoints go to <c>dir/checkpoints</c>.</param>
    /// <param name="dir">The run's folder.</param>
    /// <param name="progress">Receives batch, epoch and checkpoint events.</param>
    /// <param name="cancel">Stops training at the end of the current epoch; the outcome is then marked interrupted and no model folder is
    /// saved.</param>
    /// <param name="initial">Weights to start from (fine-tuning); without them the model starts from Keras' initializers drawn from the
    /// seed.</param>
    public static Fin<TrainingOutcome> Run(IBackend backend, Sequential spec, PreparedData data, TrainingConfig config, string dir,
                                           IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default,
                                           Option<ModelWeights> initial = default)
    {
        var train = LabeledData.From(data.Scaled.Train);
        var val = LabeledData.From(data.Scaled.Val);
        var test = LabeledData.From(data.Scaled.Test);
        var withCheckpoints = config.Checkpoints.IsSome
            ? config
            : config with { Checkpoints = new CheckpointPolicy(Path.Combine(dir, "checkpoints"), RestartOnOtherSettings: true) };
        return from model in initial.Match(w => backend.Load(spec, w), () => backend.Compile(spec, config.Seed))
               from outcome in model.Use(m =>
                   from history in m.Fit(train, Some(val), withCheckpoints, progress, cancel)
                   let evaluation = m.Evaluate(test, config.BatchSize)
                   let probabilities = m.Predict(test.X, test.Rows, config.BatchSize)
                   let predictions = Metrics.Argmax(probabilities, test.Classes)
                   let interrupted = cancel.IsCancellationRequested && history.Epochs.Count < config.Epochs
                   from _1 in interrupted ? FinSucc(unit) : Classifier.Of(data, spec, m.Weights()).Save(dir)
                   select new TrainingOutcome(spec, history, evaluation, TrainingSeconds(history), predictions, interrupted)
                   { TestProbabilities = probabilities })
               from _2 in outcome.Interrupted ? FinSucc(unit) : WriteMetrics(dir, outcome)
               select outcome;
    }

    /// <summary>
    /// The seconds its epochs took, summed: a run resumed from a checkpoint counts the epochs of every session that trained it,
    /// not only the last one.
    /// </summary>
    public static double TrainingSeconds(History history) => history.Epochs.Sum(e => e.Seconds);

    /// <summary>The history as <c>history.json</c>: one object per epoch (loss, accuracy, val_loss, val_accuracy, seconds; non-finite
    /// values null).</summary>
    public static JsonArray HistoryJson(History h) =>
        new(h.Epochs.Map(e => (JsonNode)new JsonObject
        {
            ["epoch"] = e.Epoch,
            ["loss"] = Json.Finite(e.Loss),
            ["accuracy"] = Json.Finite(e.Accuracy),
            ["val_loss"] = Json.Finite(e.ValLoss),
            ["val_accuracy"] = Json.Finite(e.ValAccuracy),
            ["seconds"] = e.Seconds,
        }).ToArray());

    /// <summary>The outcome as <c>metrics.json</c>: model, test accuracy and loss, test rows, epochs and training seconds (non-finite
    /// values null).</summary>
    public static JsonObject MetricsJson(TrainingOutcome o) => new()
    {
        ["model"] = o.Spec.Name,
        ["test_accuracy"] = Json.Finite(o.Test.Accuracy),
        ["test_loss"] = Json.Finite(o.Test.Loss),
        ["n"] = o.Test.Count,
        ["epochs"] = o.History.Epochs.Count,
        ["seconds"] = o.Seconds,
    };

    internal static Fin<Unit> WriteMetrics(string dir, TrainingOutcome o) =>
        from _1 in AtomicFile.WriteAllText(Path.Combine(dir, "history.json"), HistoryJson(o.History).ToJsonString())
        from _2 in AtomicFile.WriteAllText(Path.Combine(dir, "metrics.json"), MetricsJson(o).ToJsonString(new() { WriteIndented = true }))
        select unit;
}
