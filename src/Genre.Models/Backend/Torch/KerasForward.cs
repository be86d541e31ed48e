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
    /// The logits for inputs <paramref name="x"/>. <paramref name="fold"/> folds a linear Dense into the following LSTM's input
    /// projection (exact algebra; the default — tests compare it with the plain path, forward and gradients).
    /// Works in the parameters' dtype (float32 in use, float64 for gradient checks). <paramref name="fused"/> runs float32 LSTMs
    /// through <see cref="FusedLstm"/> (the default; tests compare it with the element-wise path).
    /// </summary>
    public static Tensor Logits(Sequential spec, IReadOnlyList<Tensor> p, Tensor x, bool training, Generator? dropout, bool fold = true, bool fused = true)
    {
        var h = x;
        var k = 0;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var last = i == spec.Layers.Count - 1;
            switch (spec.Layers[i])
            {
                case Dense { Activation: Activation.Linear } when fold && !last && spec.Layers[i + 1] is Lstm next:
                    // Exact algebra: (x·Wd + bd)·W + b = x·(Wd·W) + (bd·W + b). With one feature per time step this removes the
                    // (n, T, 250) activation and its 250-wide gemm; autograd still reaches Wd, bd, W and b.
                    var w = p[k].matmul(p[k + 2]);
                    var bias = p[k + 1].matmul(p[k + 2]).Plus(p[k + 4]);
                    h = Lstm(h, w, p[k + 3], bias, next.Units, next.ReturnSequences, fused);
                    k += 5;
                    i++;
                    break;
                case Dense d:
                    h = h.matmul(p[k]).Plus(p[k + 1]);
                    k += 2;
                    if (!(last && d.Activation == Activation.Softmax)) h = Activate(h, d.Activation);
                    break;
                case Lstm l:
                    h = Lstm(h, p[k], p[k + 1], p[k + 2], l.Units, l.ReturnSequences, fused);
                    k += 3;
                    break;
                case Dropout r when training && r.Rate > 0:
                {
                    // Inverted dropout (Keras: keep with probability 1 − rate, scale kept units by 1 / (1 − rate)).
                    using Scalar rate = r.Rate, scale = 1.0 / (1.0 - r.Rate);
                    var keep = rand(h.shape, ScalarType.Float32, generator: dropout).ge(rate).to(h.dtype);
                    h = (h * keep).mul(scale);
                    break;
                }
            }
        }
        return h;
    }

    static Tensor Activate(Tensor h, Activation a) => a switch
    {
        Activation.Relu => nn.functional.relu(h),
        Activation.Tanh => h.tanh(),
        Activation.Sigmoid => h.sigmoid(),
        Activation.Softmax => nn.functional.softmax(h, -1),
        _ => h,
    };

    /// <summary>
    /// Keras LSTM (implementation 2): one gemm for all time steps' input projections, then per step
    /// z = x_t W + h U + b, gates i, f, c̃, o; c = σ(f)·c + σ(i)·tanh(c̃); h = σ(o)·tanh(c).
    /// </summary>
    public static Tensor Lstm(Tensor x, Tensor w, Tensor u, Tensor b, int units, bool returnSequences, bool fused = false)
    {
        long n = x.shape[0], steps = x.shape[1], features = x.shape[2];
        if (fused && x.dtype == ScalarType.Float32)
        {
            // Time-major in and out: (T, n, F) → (T, n, H); the result goes back to batch-major as a view (no copy), and a
            // stacked LSTM's transpose back to time-major is then free.
            var y = FusedLstm.Apply(x.transpose(0, 1).contiguous(), w, u, b, returnSequences);
            return returnSequences ? y.transpose(0, 1) : y;
        }
        // unbind (whose backward is one stack) rather than select per step (whose backward zero-fills the whole
        // (n, T, 4H) gradient once per step: 15 × 190 MB of memset at batch 10,000).
        var projected = x.reshape(n * steps, features).matmul(w).Plus(b).reshape(n, steps, 4 * units).unbind(1);
        var h = zeros(n, units, x.dtype);
        var c = zeros(n, units, x.dtype);
        var outputs = returnSequences ? new List<Tensor>((int)steps) : null;
        for (long t = 0; t < steps; t++)
        {
            var z = projected[t].Plus(h.matmul(u));
            var gates = z.chunk(4, 1);
            var i = gates[0].sigmoid();
            var f = gates[1].sigmoid();
            var g = gates[2].tanh();
            var o = gates[3].sigmoid();
            c = (f * c).Plus(i * g);
            h = o * c.tanh();
            outputs?.Add(h);
        }
        return returnSequences ? stack(outputs!, 1) : h;
    }
}

/// <summary>
/// Categorical cross-entropy as TF2 Keras computes it in fit/evaluate for a softmax output: Keras detects the Softmax op
/// and uses its logits (softmax_cross_entropy_with_logits), so no probability clipping happens on this path.
/// </summary>
internal static class KerasLoss
{
    public static Tensor CrossEntropy(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);
}
