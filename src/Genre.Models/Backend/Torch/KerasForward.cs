using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// The forward pass of a <see cref="Sequential"/> on TorchSharp tensors, with Keras semantics. Returns the logits of the
/// final softmax layer (Keras' fit/evaluate compute the loss from those logits, see <see cref="KerasLoss"/>).
/// </summary>
internal static class KerasForward
{
    /// <summary>
    /// The logits for inputs <paramref name="x"/>: each layer's <see cref="ITorchLayer{TLayer}.Forward"/> in turn.
    /// <paramref name="fold"/> folds a linear Dense into the following LSTM's input projection (<see cref="LstmTorch.Fold"/>:
    /// exact algebra; the default — tests compare it with the plain path, forward and gradients).
    /// Works in the parameters' dtype (float32 in use, float64 for gradient checks). <paramref name="fused"/> runs float32 LSTMs
    /// through <see cref="FusedLstm"/> (the default; tests compare it with the element-wise path), its lanes cut by
    /// <paramref name="chunking"/> (default <see cref="LaneChunking.Default"/>); with <paramref name="ownGemm"/> (the default) the
    /// fused layers' gemms are <see cref="Sgemm"/>'s where the CPU has AVX-512F, else libtorch's.
    /// </summary>
    public static Tensor Logits(Sequential spec, IReadOnlyList<Tensor> p, Tensor x, bool training, Generator? dropout,
                                bool fold = true, bool fused = true, LaneChunking? chunking = null, bool ownGemm = true)
    {
        var weights = TorchLayers.PerLayer(spec, p);
        var pass = new ForwardPass(training, dropout, fused, chunking ?? LaneChunking.Default, OwnGemm: ownGemm);
        var h = x;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var (layer, last) = (spec.Layers[i], i == spec.Layers.Count - 1);
            if (fold && !last && LstmTorch.Folds(layer, spec.Layers[i + 1]))
            {
                h = LstmTorch.Forward((Lstm)spec.Layers[i + 1], LstmTorch.Fold(weights[i], weights[i + 1]), h, pass);
                i++;
            }
            else
                h = TorchLayers.Of(layer).Forward(layer, weights[i], h, pass with { Last = last });
        }
        return h;
    }
}

/// <summary>
/// Categorical cross-entropy as TF2 Keras computes it in fit/evaluate for a softmax output: Keras detects the Softmax op
/// and uses its logits (softmax_cross_entropy_with_logits), so no probability clipping happens on this path. An ensemble head
/// (<see cref="EnsembleHead"/>) gives its members' logits (n, k, classes): the loss is the mean of the members' losses and the
/// prediction the mean of their probabilities.
/// </summary>
internal static class KerasLoss
{
    /// <summary>The mean loss over rows (and members, for members' logits); with <paramref name="smoothing"/> ε against
    /// (1 − ε)·one-hot + ε / classes, as Keras' and PyTorch's label smoothing.</summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor labels, double smoothing = 0) => logits.dim() == 3
        ? nn.functional.cross_entropy(logits.reshape(-1, logits.shape[2]), labels.repeat_interleave(logits.shape[1]),
            label_smoothing: smoothing)
        : nn.functional.cross_entropy(logits, labels, label_smoothing: smoothing);

    /// <summary>Probabilities (n, classes): the softmax of the logits, or the mean of the members' softmaxes.</summary>
    public static Tensor Probabilities(Tensor logits) => logits.dim() == 3
        ? nn.functional.softmax(logits, -1).mean(new long[] { 1 })
        : nn.functional.softmax(logits, -1);

    /// <summary>The predicted class of each row: the largest logit, or the largest mean probability of the members.</summary>
    public static Tensor Predicted(Tensor logits) => logits.dim() == 3 ? Probabilities(logits).argmax(1) : logits.argmax(1);
}
