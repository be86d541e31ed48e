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

    /// <summary>Initial weights for every layer of the spec (Keras defaults, LSTM bias with unit_forget_bias).</summary>
    public static Seq<Tensor> Initial(Seq<WeightSpec> weights, Sequential spec, Generator g) =>
        weights.Map(w => (spec.Layers[w.LayerIndex], w.Name) switch
        {
            (_, "kernel") => GlorotUniform(w.Shape[0], w.Shape[1], g),
            (Lstm, "recurrent_kernel") => Orthogonal(w.Shape[0], w.Shape[1], g),
            (Lstm l, "bias") => cat(new[] { zeros(l.Units), ones(l.Units), zeros(2 * l.Units) }),
            _ => zeros(w.Shape[0]),
        }).Strict();
}
