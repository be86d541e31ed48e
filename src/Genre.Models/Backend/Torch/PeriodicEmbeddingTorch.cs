using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// PeriodicEmbedding on TorchSharp, pytabkit's <c>PLREmbeddingsLayerCosBias</c> with its initialization: frequencies
/// N(0, 0.1²) (its <c>plr_sigma</c>), phases U(−π, π), kernel and bias U(−1, 1) / √f (PyTorch's Linear over f inputs).
/// </summary>
internal sealed class PeriodicEmbeddingTorch : ITorchLayer<PeriodicEmbedding>
{
    /// <summary>pytabkit's <c>plr_sigma</c> for RealMLP-TD.</summary>
    const double Sigma = 0.1;

    public static Tensor Init(PeriodicEmbedding layer, WeightSpec weight, Generator g)
    {
        using var scope = NewDisposeScope();
        var shape = weight.Shape.Map(x => (long)x).ToArray();
        using Scalar sigma = Sigma, pi = Math.PI, bound = 1 / Math.Sqrt(layer.Frequencies);
        var init = weight.Name switch
        {
            "frequencies" => randn(shape, ScalarType.Float32, generator: g).mul(sigma),
            "phases" => Symmetric(shape, g).mul(pi),
            _ => Symmetric(shape, g).mul(bound),
        };
        return init.MoveToOuterDisposeScope();
    }

    /// <summary>U(−1, 1).</summary>
    static Tensor Symmetric(long[] shape, Generator g)
    {
        using Scalar two = 2.0;
        return rand(shape, ScalarType.Float32, generator: g).mul(two).sub(Scalars.One);
    }

    public static Tensor Forward(PeriodicEmbedding layer, IReadOnlyList<Tensor> weights, Tensor h, ForwardPass pass) =>
        Embed(h, weights);

    /// <summary>(n, d) → cos(2π·x·w + b) (n, d, f) → per column × kernel (d, f, width) + bias → (n, d·width), then x
    /// appended.</summary>
    static Tensor Embed(Tensor h, IReadOnlyList<Tensor> w)
    {
        using Scalar twoPi = 2 * Math.PI;
        var periodic = (h.unsqueeze(-1) * w[0]).mul(twoPi).add(w[1]).cos();
        var embedded = periodic.transpose(0, 1).bmm(w[2]).transpose(0, 1) + w[3];
        return cat(new[] { embedded.reshape(h.shape[0], -1), h }, 1);
    }

    public static Option<Func<Tensor, Tensor>> Step(PeriodicEmbedding layer, IReadOnlyList<Tensor> weights, bool sgemm) =>
        Some<Func<Tensor, Tensor>>(h => Embed(h, weights));

    public static bool BatchStatistics => false;

    /// <summary>None counted: its widest activation is d × f per row, for tabular inputs (d ≤ 64, f = 16) at most 1,024 values,
    /// a few MB at the ≤ 1,024-row micro-batches.</summary>
    public static long Width(PeriodicEmbedding layer, int steps) => 0;
}
