using Genre.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>A compiled model: the spec, its weights as TorchSharp tensors in Keras layout, forward/evaluate/predict.</summary>
internal sealed class TorchModel : ICompiledModel
{
    public Sequential Spec { get; }
    public Seq<WeightSpec> WeightSpecs { get; }
    internal Tensor[] Parameters { get; }

    /// <summary>How the LSTM lanes cut rows (the backend's: part of what the model computes).</summary>
    public LaneChunking Chunking { get; }

    /// <summary>Whether the fused layers' gemms are genre's own (the backend's choice; they round differently from libtorch's).</summary>
    public bool OwnGemm { get; init; } = true;

    public TorchModel(Sequential spec, Seq<WeightSpec> weightSpecs, IEnumerable<Tensor> parameters, LaneChunking? chunking = null)
    {
        Spec = spec;
        Chunking = chunking ?? LaneChunking.Default;
        WeightSpecs = weightSpecs;
        // the model owns its parameters: out of any dispose scope the caller has open, released by Dispose
        // weights that are not trainable (moving statistics) take no gradient and are updated in place by the forward pass
        Parameters = parameters.Zip(weightSpecs, (p, w) => p.contiguous().detach().requires_grad_(w.Trainable).DetachFromDisposeScope())
            .ToArray();
    }

    public ModelWeights Weights()
    {
        using var scope = NewDisposeScope();
        return new(toSeq(WeightSpecs.Zip(Parameters).GroupBy(p => p.Item1.LayerIndex)
            .Select(g => new LayerWeights(g.Key, toSeq(g.Select(p => new NamedTensor(
                p.Item1.Name, p.Item1.Shape, p.Item2.detach().data<float>().ToArray()))).Strict())))
            .Strict());
    }

    internal void SetWeights(ModelWeights weights)
    {
        using var noGrad = no_grad();
        var flat = weights.Layers.Bind(l => l.Tensors).ToArray();
        for (var i = 0; i < Parameters.Length; i++)
            using (var t = tensor(flat[i].Values, flat[i].Shape.Map(d => (long)d).ToArray()))
                Parameters[i].copy_(t);
    }

    /// <summary>Inputs as the model expects them: (n, 15) or (n, 15, 1).</summary>
    internal Tensor Input(float[] x, int rows) =>
        tensor(x, new long[] { rows }.Concat(Spec.InputShape.Map(d => (long)d)).ToArray());

    public Fin<History> Fit(LabeledData train, Option<LabeledData> validation, TrainingConfig config,
                            IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default) =>
        Trainer.Fit(this, train, validation, config, progress, cancel);

    public Evaluation Evaluate(LabeledData data, int batchSize = 10_000)
    {
        double loss = 0;
        long correct = 0;
        using var noGrad = no_grad();
        using var x = Input(data.X, data.Rows);
        using var y = tensor(data.Y.Select(v => (long)v).ToArray());
        var recurrent = FusedLstmClassifier.Handles(this); // an LSTM classifier: block by block in one lanes pass
        if (!recurrent) batchSize = Math.Min(batchSize, Trainer.MicroBatchFor(Spec)); // same result, cache-sized passes
        var stack = FusedDenseStack.Prepare(this); // a dense net: each pass one lanes pass through the whole net
        for (var start = 0; start < data.Rows; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var len = Math.Min(batchSize, data.Rows - start);
            if (stack.IsSome || recurrent)
            {
                var (xs, ys) = (x.narrow(0, start, len), y.narrow(0, start, len));
                var (sum, right) = stack.Case is FusedDenseStack.Prepared prepared
                    ? FusedDenseStack.Evaluate(prepared, this, xs, ys)
                    : FusedLstmClassifier.Evaluate(this, xs, ys);
                loss += sum;
                correct += right;
                continue;
            }
            var logits = KerasForward.Logits(Spec, Parameters, x.narrow(0, start, len), false, null, chunking: Chunking, ownGemm: OwnGemm);
            var yb = y.narrow(0, start, len);
            loss += KerasLoss.CrossEntropy(logits.to(ScalarType.Float64), yb).item<double>() * len;
            correct += KerasLoss.Predicted(logits).eq(yb).sum().item<long>();
        }
        return new Evaluation(data.Rows == 0 ? 0 : loss / data.Rows, data.Rows == 0 ? 0 : (double)correct / data.Rows, data.Rows);
    }

    /// <summary>Softmax outputs through <see cref="Predictor"/> (the prediction-only forward pass).</summary>
    public float[] Predict(float[] x, int rows, int batchSize = 10_000) => Predicted(x, rows, batchSize, null);

    public void PredictInto(float[] x, int rows, float[] probabilities, int batchSize = 10_000) =>
        Predicted(x, rows, batchSize, probabilities);

    float[] Predicted(float[] x, int rows, int batchSize, float[]? into)
    {
        var classes = Spec.Classes().IfNone(0);
        using var input = Input(x, rows);
        return Predictor.Predict(Spec, Parameters, input, rows, classes, Math.Max(1, Math.Min(batchSize, Predictor.PassRows(Spec))),
            chunking: Chunking, into: into);
    }

    /// <summary>Softmax outputs through <see cref="KerasForward"/> (the training forward pass), for comparing the two.</summary>
    internal float[] PredictWithTrainingForward(float[] x, int rows, int batchSize = 10_000)
    {
        var classes = Spec.Classes().IfNone(0);
        var result = new float[(long)rows * classes];
        using var noGrad = no_grad();
        using var input = Input(x, rows);
        batchSize = Math.Min(batchSize, Trainer.MicroBatchFor(Spec));
        for (var start = 0; start < rows; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var len = Math.Min(batchSize, rows - start);
            var logits = KerasForward.Logits(Spec, Parameters, input.narrow(0, start, len), false, null, chunking: Chunking,
                ownGemm: OwnGemm);
            var probs = KerasLoss.Probabilities(logits);
            probs.contiguous().data<float>().CopyTo(result, start * classes);
        }
        return result;
    }

    public void Dispose()
    {
        foreach (var p in Parameters) p.Dispose();
    }
}
