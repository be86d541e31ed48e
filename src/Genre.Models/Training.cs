using Genre.Data;

namespace Genre.Models;

/// <summary>A learning-rate schedule over the whole fit: the factor on the base rate after s of its S steps.</summary>
public abstract record RateSchedule
{
    /// <summary>The factor on the base rate after <paramref name="step"/> (≤ S) of <paramref name="totalSteps"/> S ≥ 1 steps.</summary>
    public abstract double Factor(long step, long totalSteps);
}

/// <summary>
/// Keras <c>CosineDecay</c> spread over the whole fit: at step s of S (S = epochs × batches per epoch) the rate is
/// lr·((1 − α)·½(1 + cos(π·s/S)) + α), so it falls from lr to α·lr by the last step.
/// </summary>
public sealed record CosineDecay(double Alpha = 0.0) : RateSchedule
{
    /// <inheritdoc/>
    public override double Factor(long step, long totalSteps) =>
        (1 - Alpha) * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps)) + Alpha;
}

/// <summary>
/// RealMLP's <c>coslog</c> schedule (Holzmüller et al., NeurIPS 2024; pytabkit's <c>CoslogFunc</c>): ½(1 − cos(2π·log₂(1 +
/// (2ⁿ − 1)·t))), n cosine cycles on a log scale, each twice as long as the one before, starting and ending at 0.
/// </summary>
public sealed record CosLog(int Cycles = 4) : RateSchedule
{
    /// <inheritdoc/>
    public override double Factor(long step, long totalSteps) =>
        0.5 * (1 - Math.Cos(2 * Math.PI * Math.Log2(1 + (Math.Pow(2, Cycles) - 1) * ((double)step / totalSteps))));
}

/// <summary>Keras Adam defaults (tf.keras.optimizers.Adam), optionally with a learning-rate schedule over the fit.</summary>
public sealed record AdamSettings(double LearningRate = 1e-3, double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-7,
    Option<RateSchedule> Decay = default)
{
    /// <summary>The learning rate of the step after <paramref name="step"/> steps, of <paramref name="totalSteps"/> in the fit.</summary>
    public double RateAt(long step, long totalSteps) => Decay.Match(
        d => LearningRate * d.Factor(Math.Min(step, totalSteps), Math.Max(1, totalSteps)),
        () => LearningRate);
}

/// <summary>Stop when the monitored validation metric has not improved for <see cref="Patience"/> epochs. As Keras, the best
/// epoch's weights come back only when training stops early; <see cref="RestoreAtEnd"/> also brings them back when the run
/// ends at its last epoch (RealMLP's choice of the best epoch on validation; not a Keras option).</summary>
public sealed record EarlyStopping(string Monitor = "val_loss", int Patience = 20, double MinDelta = 0.0, bool RestoreBestWeights = true,
                                   bool RestoreAtEnd = false);

/// <summary>
/// Write a checkpoint every <see cref="EveryEpochs"/> epochs (and always at the end) into <see cref="Directory"/>. A checkpoint
/// records the settings that shape training (batch size, seed, Adam, shuffle); resuming one written with other settings fails,
/// or — with <see cref="RestartOnOtherSettings"/>, for folders a tool owns — deletes those checkpoints and starts again.
/// </summary>
public sealed record CheckpointPolicy(string Directory, int EveryEpochs = 10, bool RestartOnOtherSettings = false);

/// <summary>Everything fit() needs besides the data. <see cref="LabelSmoothing"/> ε trains on (1 − ε)·one-hot + ε / classes, as
/// Keras' <c>CategoricalCrossentropy(label_smoothing=ε)</c>; the validation loss stays the plain cross-entropy, comparable across
/// models.</summary>
public sealed record TrainingConfig(
    int Epochs,
    int BatchSize,
    int Seed,
    AdamSettings Adam,
    bool Shuffle = true,
    Option<EarlyStopping> EarlyStopping = default,
    Option<CheckpointPolicy> Checkpoints = default,
    bool Resume = false,
    double LabelSmoothing = 0.0);

/// <summary>Per-epoch metrics, as Keras' History.history.</summary>
public sealed record EpochMetrics(int Epoch, double Loss, double Accuracy, double ValLoss, double ValAccuracy, double Seconds);

/// <summary>Every epoch's metrics, in order, as Keras' <c>History</c>.</summary>
public sealed record History(Seq<EpochMetrics> Epochs);

/// <summary>Loss and accuracy on one set, as model.evaluate.</summary>
public sealed record Evaluation(double Loss, double Accuracy, int Count);

/// <summary>Features (float32, row-major, rows × inputs) with integer labels; one-hot is implied by Classes.</summary>
public sealed partial record LabeledData(float[] X, int Rows, int[] Y, int Classes)
{
    /// <summary>The same features, labels and class count (records would compare the arrays by reference).</summary>
    public bool Equals(LabeledData? other) =>
        other is not null && Rows == other.Rows && Classes == other.Classes && ArrayValues.Equal(X, other.X)
            && ArrayValues.Equal(Y, other.Y);

    /// <summary>A hash consistent with <see cref="Equals(object)"/>: it reads the shapes and a few values.</summary>
    public override int GetHashCode() => HashCode.Combine(Rows, Classes, ArrayValues.Hash(X), ArrayValues.Hash(Y));
}

/// <summary>Progress events the CLI renders.</summary>
public abstract record TrainingEvent;
/// <summary>A training batch is done.</summary>
/// <param name="Epoch">The epoch, 1-based.</param>
/// <param name="Batch">The batch within the epoch, 1-based.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Loss">Mean cross-entropy per row over the epoch's rows so far (as Keras' progress bar shows it).</param>
/// <param name="Accuracy">Accuracy over the epoch's rows so far, in [0, 1].</param>
public sealed record BatchEnded(int Epoch, int Batch, int Batches, double Loss, double Accuracy) : TrainingEvent;
/// <summary>An epoch is done, validation included.</summary>
/// <param name="Epochs">Epochs in the whole fit.</param>
/// <param name="Metrics">The epoch's training and validation metrics.</param>
public sealed record EpochEnded(int Epochs, EpochMetrics Metrics) : TrainingEvent;
/// <summary>A checkpoint file was written at the end of an epoch.</summary>
/// <param name="Epoch">The epoch it holds, 1-based.</param>
/// <param name="Path">The checkpoint file.</param>
public sealed record CheckpointWritten(int Epoch, string Path) : TrainingEvent;
/// <summary>A damaged checkpoint was passed over on resuming (renamed to <see cref="KeptAs"/> when that worked).</summary>
public sealed record CheckpointSkipped(string Path, string Reason, string ResumedFrom, Option<string> KeptAs) : TrainingEvent;
