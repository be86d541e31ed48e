using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// One kind of layer on TorchSharp: its initial weights, its training forward pass (Keras semantics, autograd), its
/// prediction step (no autograd, laid out for throughput) and how wide its activation is. One static class per kind implements
/// it; <see cref="TorchLayers"/> lists them.
/// </summary>
internal interface ITorchLayer<TLayer> where TLayer : Layer
{
    /// <summary>The initial value of <paramref name="weight"/> (Keras' default initializer), drawn from <paramref name="g"/>.</summary>
    static abstract Tensor Init(TLayer layer, WeightSpec weight, Generator g);

    /// <summary>The layer on <paramref name="h"/> (batch-major) with its <paramref name="weights"/> (Keras order), in their
    /// dtype.</summary>
    static abstract Tensor Forward(TLayer layer, IReadOnlyList<Tensor> weights, Tensor h, ForwardPass pass);

    /// <summary>
    /// The layer for prediction, on time-major activations for sequence models: (T, n, F), else (n, F); None when it is the
    /// identity at inference. <paramref name="weights"/> are detached; the step may run on several threads at once.
    /// </summary>
    static abstract Option<Func<Tensor, Tensor>> Step(TLayer layer, IReadOnlyList<Tensor> weights, bool sgemm);

    /// <summary>The layer's training forward depends on the whole batch (batch statistics): a training pass must not be cut
    /// into micro-batches.</summary>
    static abstract bool BatchStatistics { get; }

    /// <summary>Values per input row in the layer's widest activation, for <paramref name="steps"/> time steps (0: none of its
    /// own).</summary>
    static abstract long Width(TLayer layer, int steps);
}

/// <summary>
/// One forward pass: <paramref name="Training"/> turns dropout on (drawn from <paramref name="Dropout"/>), <paramref name="Fused"/>
/// runs float32 LSTMs through <see cref="FusedLstm"/> (and float32 Dense layers through <see cref="FusedDense"/>) in lanes cut by
/// <paramref name="Chunking"/>, their gemms <see cref="Sgemm"/>'s when <paramref name="OwnGemm"/> (else libtorch's);
/// <paramref name="Last"/> says the layer is the model's last (a final softmax returns its logits).
/// </summary>
internal sealed record ForwardPass(bool Training, Generator? Dropout, bool Fused, LaneChunking Chunking, bool Last = false,
                                   bool OwnGemm = true);

/// <summary>An <see cref="ITorchLayer{TLayer}"/> for any <see cref="Layer"/>: what <see cref="TorchLayers"/> holds.</summary>
internal sealed record TorchLayer(
    Type Type,
    Func<Layer, WeightSpec, Generator, Tensor> Init,
    Func<Layer, IReadOnlyList<Tensor>, Tensor, ForwardPass, Tensor> Forward,
    Func<Layer, IReadOnlyList<Tensor>, bool, Option<Func<Tensor, Tensor>>> Step,
    Func<Layer, int, long> Width,
    bool BatchStatistics)
{
    /// <summary>The TorchSharp code <typeparamref name="TTorch"/> of layer <typeparamref name="TLayer"/>.</summary>
    public static TorchLayer Of<TTorch, TLayer>() where TTorch : ITorchLayer<TLayer> where TLayer : Layer =>
        new(typeof(TLayer),
            (l, w, g) => TTorch.Init((TLayer)l, w, g),
            (l, w, h, pass) => TTorch.Forward((TLayer)l, w, h, pass),
            (l, w, sgemm) => TTorch.Step((TLayer)l, w, sgemm),
            (l, steps) => TTorch.Width((TLayer)l, steps),
            TTorch.BatchStatistics);
}
