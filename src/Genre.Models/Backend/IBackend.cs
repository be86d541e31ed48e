
namespace Genre.Models.Backend;

/// <summary>
/// The seam between Keras-shaped specs and a tensor library. The TorchSharp backend lives in Backend/Torch;
/// a TensorFlow.NET backend would be one more folder implementing these two interfaces.
/// </summary>
public interface IBackend
{
    /// <summary>Builds the model with Keras-default initial weights drawn from <paramref name="seed"/>.</summary>
    Fin<ICompiledModel> Compile(Sequential spec, int seed);

    /// <summary>Builds the model with the given weights (checked against the spec's shapes).</summary>
    Fin<ICompiledModel> Load(Sequential spec, ModelWeights weights);
}

/// <summary>
/// A model with weights in a backend's tensors. It owns native memory: dispose it (<c>using</c>, or
/// <see cref="CompiledModel.Use{B}(Fin{ICompiledModel}, Func{ICompiledModel, Fin{B}})"/>) when done.
/// </summary>
public interface ICompiledModel : IDisposable
{
    /// <summary>The spec the model was built from.</summary>
    Sequential Spec { get; }

    /// <summary>A copy of the current weights, in Keras' <c>model.weights</c> order and layout.</summary>
    ModelWeights Weights();

    /// <summary>
    /// Keras' <c>fit</c>: shuffled mini-batches, Adam, optional validation, early stopping and checkpoints per <paramref name="config"/>.
    /// Fails (without throwing) on empty data, bad settings, a non-finite loss or weight, or a checkpoint that cannot be written or
    /// resumed.
    /// </summary>
    Fin<History> Fit(LabeledData train, Option<LabeledData> validation, TrainingConfig config,
                     IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default);

    /// <summary>Keras' <c>evaluate</c>: mean categorical cross-entropy and accuracy on <paramref name="data"/>.</summary>
    Evaluation Evaluate(LabeledData data, int batchSize = 10_000);
    /// <summary>Softmax outputs, rows × classes, row-major.</summary>
    float[] Predict(float[] x, int rows, int batchSize = 10_000);

    /// <summary>
    /// <see cref="Predict"/> into <paramref name="probabilities"/> (at least rows × classes; the rest untouched), for a caller
    /// that scores batch after batch into one buffer: a fresh array per call is fresh memory to fault in, which for a dense net
    /// costs as much as its arithmetic (bench/results/training.md).
    /// </summary>
    void PredictInto(float[] x, int rows, float[] probabilities, int batchSize = 10_000) =>
        Predict(x, rows, batchSize).CopyTo(probabilities, 0);
}

/// <summary>Scoped use of a compiled model: the natural way to make sure its native tensors are released.</summary>
public static class CompiledModel
{
    /// <summary>
    /// Runs <paramref name="body"/> on the compiled model and disposes the model afterwards, whether the body succeeds, fails or
    /// throws; a failed compile or load passes through untouched. <c>backend.Compile(spec, seed).Use(m => m.Fit(...))</c>.
    /// </summary>
    public static Fin<B> Use<B>(this Fin<ICompiledModel> compiled, Func<ICompiledModel, Fin<B>> body) =>
        compiled.Bind(model => Use(model, body));

    /// <summary>Runs <paramref name="body"/> on <paramref name="model"/> and disposes it afterwards, whatever the outcome.</summary>
    public static Fin<B> Use<B>(this ICompiledModel model, Func<ICompiledModel, Fin<B>> body)
    {
        using (model) return body(model);
    }
}
