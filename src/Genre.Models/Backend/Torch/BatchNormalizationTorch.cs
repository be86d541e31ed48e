using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// BatchNormalization on TorchSharp, as TF2 Keras' (non-fused) layer: gamma ones, beta zeros, moving_mean zeros,
/// moving_variance ones. In training the batch's mean and biased variance (over every axis but the last) normalize the batch
/// and move the moving statistics (moving −= (moving − batch)·(1 − momentum), Keras' assign_moving_average); otherwise the
/// moving statistics normalize. Both as tf.nn.batch_normalization: x·s + (β − μ·s), s = γ/√(σ² + ε).
/// </summary>
internal sealed class BatchNormalizationTorch : ITorchLayer<BatchNormalization>
{
    public static Tensor Init(BatchNormalization layer, WeightSpec weight, Generator g) =>
        weight.Name is "gamma" or "moving_variance" ? ones(weight.Shape[0]) : zeros(weight.Shape[0]);

    public static Tensor Forward(BatchNormalization layer, IReadOnlyList<Tensor> weights, Tensor h, ForwardPass pass)
    {
        var (gamma, beta, movingMean, movingVariance) = (weights[0], weights[1], weights[2], weights[3]);
        if (!pass.Training) return Normalize(h, movingMean, movingVariance, gamma, beta, layer.Epsilon);
        var axes = Enumerable.Range(0, (int)h.dim() - 1).Select(a => (long)a).ToArray();
        var mean = h.mean(axes);
        // (h − μ)², as a product: TorchSharp's square() is pow with a Scalar it creates and does not keep alive through the
        // native call, so a garbage collection then finalized it mid-call (a libtorch assertion in Scalar.h, under load)
        var centered = h - mean;
        var variance = (centered * centered).mean(axes);
        using (no_grad())
        {
            using Scalar decay = 1 - layer.Momentum;
            movingMean.sub_((movingMean - mean.detach()).mul(decay));
            movingVariance.sub_((movingVariance - variance.detach()).mul(decay));
        }
        return Normalize(h, mean, variance, gamma, beta, layer.Epsilon);
    }

    /// <summary>tf.nn.batch_normalization: s = γ·rsqrt(σ² + ε); x·s + (β − μ·s).</summary>
    static Tensor Normalize(Tensor x, Tensor mean, Tensor variance, Tensor gamma, Tensor beta, double epsilon)
    {
        var (scale, shift) = Affine(mean, variance, gamma, beta, epsilon);
        return (x * scale).Plus(shift);
    }

    static (Tensor Scale, Tensor Shift) Affine(Tensor mean, Tensor variance, Tensor gamma, Tensor beta, double epsilon)
    {
        using Scalar eps = epsilon;
        var scale = variance.add(eps, Scalars.One).rsqrt() * gamma;
        return (scale, beta - mean * scale);
    }

    /// <summary>The moving statistics' affine map, computed once; it broadcasts over the last axis of (n, F) or (T, n, F).</summary>
    public static Option<Func<Tensor, Tensor>> Step(BatchNormalization layer, IReadOnlyList<Tensor> weights, bool sgemm)
    {
        var (scale, shift) = Affine(weights[2], weights[3], weights[0], weights[1], layer.Epsilon);
        return Some<Func<Tensor, Tensor>>(h => (h * scale).Plus(shift));
    }

    public static bool BatchStatistics => true;

    /// <summary>None of its own: its output is as wide as its input.</summary>
    public static long Width(BatchNormalization layer, int steps) => 0;
}
