using System.Diagnostics;
using System.Runtime.Intrinsics;
using Genre.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// Keras' <c>fit</c>: per epoch a fresh shuffle, mini-batches, Adam steps, running loss/accuracy weighted by batch size,
/// a validation pass without dropout or autograd. Randomness is a pure function of (seed, epoch, batch), so a run resumed
/// from a checkpoint continues bit-identically.
/// </summary>
internal static class Trainer
{
    /// <summary>Most rows per forward/backward pass inside one optimizer batch.</summary>
    public const int MicroBatch = 1024;

    /// <summary>
    /// Largest activation one pass may allocate: glibc serves blocks up to its mmap threshold (raised to 32 MiB by
    /// <see cref="NativeRuntime"/>) from the heap; a bigger block is a fresh mmap, page-faulted in on every pass
    /// (RNN2's (15, 1024, 600) gate tensor is 37 MB; bench/results/runtime-settings.md has what that cost).
    /// </summary>
    const long ActivationBudget = 24L << 20;

    /// <summary>Rows per pass for <paramref name="spec"/>: ≤ <see cref="MicroBatch"/>, and the widest activation (each layer's
    /// <see cref="ITorchLayer{TLayer}.Width"/>: an LSTM's T × 4H gates, a Dense layer's units) within
    /// <see cref="ActivationBudget"/>.</summary>
    public static int MicroBatchFor(Sequential spec)
    {
        var steps = spec.InputShape.Count > 1 ? spec.InputShape[0] : 1;
        var widest = spec.Layers.Fold(1L, (w, l) => Math.Max(w, TorchLayers.Of(l).Width(l, steps)));
        return (int)Math.Clamp(ActivationBudget / (widest * sizeof(float)), 64, MicroBatch);
    }

    /// <summary>Rows per training pass: <see cref="MicroBatchFor"/>, or the whole batch of <paramref name="batch"/> rows when a
    /// layer's training forward uses batch statistics (BatchNormalization: Keras' statistics are the whole batch's) or when
    /// the net trains as one node (<see cref="FusedLstmClassifier"/>, <see cref="FusedDenseStack"/>: their activations are
    /// per block of rows, whatever the pass).</summary>
    public static int TrainingPassRows(TorchModel model, int batch) =>
        model.Spec.Layers.Exists(l => TorchLayers.Of(l).BatchStatistics) || FusedLstmClassifier.Handles(model)
            || FusedDenseStack.Handles(model) ? batch : MicroBatchFor(model.Spec);

    public static Fin<History> Fit(TorchModel model, LabeledData train, Option<LabeledData> validation, TrainingConfig config,
                                   IProgress<TrainingEvent>? progress, CancellationToken cancel)
    {
        if (train.Rows == 0) return GenreError.Data("fit: the training set is empty");
        if (config.BatchSize <= 0 || config.Epochs < 0) return GenreError.Usage($"fit: batch size must be > 0 and epochs ≥ 0");
        if (!(config.LabelSmoothing >= 0 && config.LabelSmoothing < 1))
            return GenreError.Usage($"fit: label smoothing must be in [0, 1), got {config.LabelSmoothing}");
        var batches = (train.Rows + config.BatchSize - 1) / config.BatchSize;
        using var adam = new KerasAdam(config.Adam, model.Parameters, (long)config.Epochs * batches, onValues: model.OwnGemm);
        var state = new TrainingState(Seq<EpochMetrics>(), new EarlyState(double.PositiveInfinity, -1, 0, None));
        if (config.Resume && config.Checkpoints.Case is CheckpointPolicy policy)
        {
            var restored = Checkpoints.RestoreLatest(policy, model, adam, config, progress);
            if (restored.IsFail) return (LanguageExt.Common.Error)restored;
            state = restored.Map(o => o.IfNone(state)).IfFail(state);
        }
        using var x = model.Input(train.X, train.Rows);
        using var y = tensor(train.Y.Select(v => (long)v).ToArray());
        for (var epoch = state.History.Count; epoch < config.Epochs; epoch++)
        {
            if (state.Early.Stopped) break;
            var clock = Stopwatch.StartNew();
            var order = config.Shuffle
                ? new NumpyRandomState(Mix(config.Seed, epoch)).Permutation(train.Rows)
                : Enumerable.Range(0, train.Rows).ToArray();
            using var orderTensor = tensor(order.Select(i => (long)i).ToArray());
            double lossSum = 0;
            long correct = 0;
            for (var b = 0; b < batches; b++)
            {
                using var scope = NewDisposeScope();
                var len = Math.Min(config.BatchSize, train.Rows - b * config.BatchSize);
                var idx = orderTensor.narrow(0, (long)b * config.BatchSize, len);
                var xb = x.index_select(0, idx);
                var yb = y.index_select(0, idx);
                using var dropout = new Generator(MixBatch(config.Seed, epoch, b));
                var (batchLoss, batchCorrect) = AccumulateGradients(model, xb, yb, dropout, TrainingPassRows(model, len),
                    config.LabelSmoothing);
                if (!double.IsFinite(batchLoss)) return Diverged(model, config, epoch, b, batches, $"the loss is {Show(batchLoss)}");
                lossSum += batchLoss;
                correct += batchCorrect;
                adam.Apply(model.Parameters);
                if (FirstNonFinite(model.Parameters).Case is int bad)
                    return Diverged(model, config, epoch, b, batches,
                        $"layer {model.WeightSpecs[bad].LayerIndex} {model.WeightSpecs[bad].Name} is no longer finite");
                progress?.Report(new BatchEnded(epoch + 1, b + 1, batches, lossSum / Seen(b, len, config.BatchSize),
                    correct / (double)Seen(b, len, config.BatchSize)));
            }
            var val = validation.Map(v => model.Evaluate(v, config.BatchSize)); // which clamps to its passes' rows
            var metrics = new EpochMetrics(epoch + 1, lossSum / train.Rows, correct / (double)train.Rows,
                val.Map(v => v.Loss).IfNone(double.NaN), val.Map(v => v.Accuracy).IfNone(double.NaN), clock.Elapsed.TotalSeconds);
            state = state with { History = state.History.Add(metrics), Early = Update(state.Early, config.EarlyStopping, metrics, model) };
            progress?.Report(new EpochEnded(config.Epochs, metrics));
            var last = epoch + 1 == config.Epochs || state.Early.Stopped || cancel.IsCancellationRequested;
            if (config.Checkpoints.Case is CheckpointPolicy p && (last || (epoch + 1) % Math.Max(1, p.EveryEpochs) == 0))
            {
                var written = Checkpoints.Write(p.Directory, model, adam, state, config);
                if (written.IsFail) return (LanguageExt.Common.Error)written;
                progress?.Report(new CheckpointWritten(epoch + 1, (string)written));
            }
            if (cancel.IsCancellationRequested) break;
        }
        // an interrupted run keeps its last weights (it continues from them); a finished one may take its best epoch's
        var finished = state.History.Count >= config.Epochs;
        if (state.Early.Best.Case is ModelWeights best &&
            config.EarlyStopping.Exists(e => e.RestoreBestWeights && (state.Early.Stopped || (e.RestoreAtEnd && finished))))
            model.SetWeights(best);
        return new History(state.History);
    }

    /// <summary>
    /// Leaves the batch's mean-loss gradient in the parameters' .grad, accumulated over micro-batches of ≤ <paramref name="microBatch"/>
    /// rows (the same gradient as one pass, up to float rounding): small activations stay in cache instead of streaming
    /// 10,000-row tensors. Returns the batch's summed loss (Σ over rows) and its number of correct predictions.
    /// </summary>
    internal static (double LossSum, long Correct) AccumulateGradients(
        TorchModel model, Tensor xb, Tensor yb, Generator? dropout, int microBatch, double labelSmoothing = 0, bool wholeNet = true)
    {
        var len = xb.shape[0];
        double lossSum = 0;
        long correct = 0;
        var stack = wholeNet ? FusedDenseStack.Prepare(model) : None; // the weights stay as they are over the batch
        var recurrent = wholeNet && FusedLstmClassifier.Handles(model);
        for (long start = 0; start < len; start += microBatch)
        {
            using var micro = NewDisposeScope();
            var m = Math.Min(microBatch, len - start);
            var ym = yb.narrow(0, start, m);
            var xm = xb.narrow(0, start, m);
            var (loss, right) = stack.Match(s => FusedDenseStack.Loss(s, model, xm, ym, dropout, labelSmoothing),
                () => recurrent ? FusedLstmClassifier.Loss(model, xm, ym, labelSmoothing)
                    : LayerByLayer(model, xm, ym, dropout, labelSmoothing));
            using Scalar share = (float)((double)m / len);
            (m == len ? loss : loss.mul(share)).backward();
            lossSum += loss.item<float>() * (double)m;
            correct += right;
        }
        return (lossSum, correct);
    }

    /// <summary>The mean loss through each layer's own forward (and autograd's backward), and the rows predicted right.</summary>
    static (Tensor Loss, long Correct) LayerByLayer(TorchModel model, Tensor x, Tensor y, Generator? dropout, double labelSmoothing)
    {
        var logits = KerasForward.Logits(model.Spec, model.Parameters, x, true, dropout, chunking: model.Chunking, ownGemm: model.OwnGemm);
        return (KerasLoss.CrossEntropy(logits, y, labelSmoothing), KerasLoss.Predicted(logits).eq(y).sum().item<long>());
    }

    static long Seen(int batch, int len, int batchSize) => (long)batch * batchSize + len;

    /// <summary>
    /// Keras' TerminateOnNaN, for weights too: training stops at the batch where the loss or a weight stopped being a finite
    /// number. Nothing more is written, so the newest checkpoint is the last good state.
    /// </summary>
    static LanguageExt.Common.Error Diverged(TorchModel model, TrainingConfig config, int epoch, int batch, int batches, string what) =>
        GenreError.Diverged($"{model.Spec.Name}: training diverged at epoch {epoch + 1}, batch {batch + 1} of {batches}: {what}; " +
            "stopped — " +
            config.Checkpoints.Bind(p => Checkpoints.Latest(p.Directory)).Match(
                latest => $"the last good checkpoint is {latest}",
                () => "no checkpoint had been written"));

    static string Show(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "+infinity" : "-infinity";

    /// <summary>The index of the first parameter holding a NaN or an infinity (a float32 parameter's values read in place:
    /// three libtorch calls a parameter after every step cost more than the scan).</summary>
    internal static Option<int> FirstNonFinite(Tensor[] parameters)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (var i = 0; i < parameters.Length; i++)
        {
            var p = parameters[i];
            var finite = p.dtype == ScalarType.Float32 && p.is_contiguous() && p.device_type == DeviceType.CPU
                ? AllFinite(Predictor.Floats(p))
                : p.isfinite().all().item<bool>();
            if (!finite) return i;
        }
        return None;
    }

    /// <summary>Whether every value is finite: x − x is 0 for a finite x and NaN for a NaN or an infinity.</summary>
    internal static bool AllFinite(ReadOnlySpan<float> values)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= values.Length; i += 8)
            {
                var v = Vector256.Create(values.Slice(i, 8));
                if (!Vector256.EqualsAll(v - v, Vector256<float>.Zero)) return false;
            }
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return false;
        return true;
    }

    /// <summary>Early stopping bookkeeping (Keras EarlyStopping: improvement = better than best by more than min_delta).</summary>
    static EarlyState Update(EarlyState s, Option<EarlyStopping> policy, EpochMetrics m, TorchModel model) =>
        policy.Match(
            p =>
            {
                var value = p.Monitor switch
                {
                    "val_accuracy" => -m.ValAccuracy,
                    "loss" => m.Loss,
                    "accuracy" => -m.Accuracy,
                    _ => m.ValLoss,
                };
                if (value < s.BestValue - p.MinDelta)
                    return new EarlyState(value, m.Epoch, 0, p.RestoreBestWeights ? Some(model.Weights()) : None);
                var wait = s.Wait + 1;
                return s with { Wait = wait, Stopped = wait >= p.Patience };
            },
            () => s);

    public static uint Mix(int seed, int epoch) => unchecked((uint)(seed * 1_000_003 + epoch * 7919 + 17));

    static ulong MixBatch(int seed, int epoch, int batch) => unchecked((ulong)Mix(seed, epoch) * 1_000_033UL + (ulong)batch);
}

internal sealed record EarlyState(double BestValue, int BestEpoch, int Wait, Option<ModelWeights> Best)
{
    public bool Stopped { get; init; }
}

internal sealed record TrainingState(Seq<EpochMetrics> History, EarlyState Early);
