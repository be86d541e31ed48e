using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>Dropout on TorchSharp: inverted dropout in training, the identity otherwise.</summary>
internal sealed class DropoutTorch : ITorchLayer<Dropout>
{
    public static Tensor Init(Dropout layer, WeightSpec weight, Generator g) => throw new ArgumentException("Dropout has no weights");

    /// <summary>Keras: keep with probability 1 − rate, scale kept units by 1 / (1 − rate); the identity outside training.</summary>
    public static Tensor Forward(Dropout layer, IReadOnlyList<Tensor> weights, Tensor h, ForwardPass pass)
    {
        if (!(pass.Training && layer.Rate > 0)) return h;
        using Scalar rate = layer.Rate, scale = 1.0 / (1.0 - layer.Rate);
        var keep = rand(h.shape, ScalarType.Float32, generator: pass.Dropout).ge(rate).to(h.dtype);
        return (h * keep).mul(scale);
    }

    public static Option<Func<Tensor, Tensor>> Step(Dropout layer, IReadOnlyList<Tensor> weights, bool sgemm) => None;

    public static bool BatchStatistics => false;

    public static long Width(Dropout layer, int steps) => 0;
}
