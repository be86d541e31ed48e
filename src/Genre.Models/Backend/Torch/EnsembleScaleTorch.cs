using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>EnsembleScale on TorchSharp: (n, d) → (n, k, d), member i's copy times r_i; r starts as random signs ±1, TabM's
/// initialization of the first adapter (so the members differ from the first step).</summary>
internal sealed class EnsembleScaleTorch : ITorchLayer<EnsembleScale>
{
    public static Tensor Init(EnsembleScale layer, WeightSpec weight, Generator g)
    {
        using var scope = NewDisposeScope();
        using Scalar half = 0.5, two = 2.0;
        return rand(new long[] { weight.Shape[0], weight.Shape[1] }, ScalarType.Float32, generator: g)
            .ge(half).to(ScalarType.Float32).mul(two).sub(Scalars.One).MoveToOuterDisposeScope();
    }

    public static Tensor Forward(EnsembleScale layer, IReadOnlyList<Tensor> weights, Tensor h, ForwardPass pass) =>
        h.unsqueeze(1) * weights[0];

    public static Option<Func<Tensor, Tensor>> Step(EnsembleScale layer, IReadOnlyList<Tensor> weights, bool sgemm) =>
        Some<Func<Tensor, Tensor>>(h => h.unsqueeze(1) * weights[0]);

    public static bool BatchStatistics => false;

    /// <summary>None counted: its output is k × d per row, and the shared layers after it are k times as wide as their units
    /// say; micro-batches stay ≤ 1,024 rows, so at TabM's sizes an activation is a few MB.</summary>
    public static long Width(EnsembleScale layer, int steps) => 0;
}
