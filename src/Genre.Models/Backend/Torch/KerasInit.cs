using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>Keras' default initializers, drawn from one seeded generator in <c>model.weights</c> order.</summary>
internal static class KerasInit
{
    /// <summary>glorot_uniform: U(−l, l), l = sqrt(6 / (fan_in + fan_out)); for (in, out) matrices fan_in = in, fan_out = out.</summary>
    public static Tensor GlorotUniform(long fanIn, long fanOut, Generator g)
    {
        var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        using Scalar width = 2 * limit, low = limit; // held until the calls return (see Scalars)
        return rand(new[] { fanIn, fanOut }, ScalarType.Float32, generator: g).mul(width).sub(low);
    }

    /// <summary>Keras Orthogonal(gain 1) for (rows, cols): QR of a normal (max, min) matrix, sign-fixed by diag(R), transposed when rows
    /// &lt; cols.</summary>
    public static Tensor Orthogonal(long rows, long cols, Generator g)
    {
        using var scope = NewDisposeScope();
        var a = randn(new[] { Math.Max(rows, cols), Math.Min(rows, cols) }, ScalarType.Float64, generator: g);
        var (q, r) = linalg.qr(a);
        var d = r.diagonal().sign();
        q = q * d.unsqueeze(0);
        if (rows < cols) q = q.t();
        return q.contiguous().to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Initial weights for every layer of the spec (Keras defaults, as each kind's <see cref="ITorchLayer{TLayer}.Init"/>
    /// draws them), in <c>model.weights</c> order.</summary>
    public static Seq<Tensor> Initial(Seq<WeightSpec> weights, Sequential spec, Generator g) =>
        weights.Map(w => TorchLayers.Of(spec.Layers[w.LayerIndex]).Init(spec.Layers[w.LayerIndex], w, g)).Strict();
}
