using LanguageExt;

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

public interface ICompiledModel : IDisposable
{
    Sequential Spec { get; }
    ModelWeights Weights();
    Fin<History> Fit(LabeledData train, Option<LabeledData> validation, TrainingConfig config,
                     IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default);
    Evaluation Evaluate(LabeledData data, int batchSize = 10_000);
    /// <summary>Softmax outputs, rows × classes, row-major.</summary>
    float[] Predict(float[] x, int rows, int batchSize = 10_000);
}
