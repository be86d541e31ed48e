using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// TF2 Keras Adam (ResourceApplyAdam): lr_t = lr·sqrt(1−β2^t)/(1−β1^t); m += (g − m)(1−β1); v += (g² − v)(1−β2);
/// θ −= lr_t·m / (sqrt(v) + ε) — ε is not bias-corrected (unlike torch.optim.Adam). With a decay, lr is the schedule's rate
/// at the step count before this step (Keras' <c>iterations</c>). State m, v, t is exposed for checkpoints.
/// </summary>
internal sealed class KerasAdam : IDisposable
{
    readonly AdamSettings settings;
    readonly long totalSteps;
    readonly bool onValues;
    public Tensor[] M { get; }
    public Tensor[] V { get; }
    public long Step { get; set; }

    /// <param name="settings">Learning rate, betas, epsilon and decay.</param>
    /// <param name="parameters">The tensors this optimizer updates; its moment tensors M and V start as zeros of the same shapes.</param>
    /// <param name="totalSteps">Steps in the whole fit, for a decaying learning rate (<see cref="AdamSettings.Decay"/>).</param>
    /// <param name="onValues">Float32 parameters updated on their values (<see cref="Update"/>), the default; false keeps
    /// libtorch's ops throughout, as genre trained before issue 28 (what <c>--gemm libtorch</c> reproduces bit for bit).</param>
    public KerasAdam(AdamSettings settings, IReadOnlyList<Tensor> parameters, long totalSteps = 0, bool onValues = true)
    {
        this.settings = settings;
        this.totalSteps = totalSteps;
        this.onValues = onValues;
        M = parameters.Select(p => zeros_like(p)).ToArray();
        V = parameters.Select(p => zeros_like(p)).ToArray();
    }

    public void Apply(IReadOnlyList<Tensor> parameters)
    {
        var lr = settings.RateAt(Step, totalSteps);
        Step++;
        var lrT = lr * Math.Sqrt(1 - Math.Pow(settings.Beta2, Step)) / (1 - Math.Pow(settings.Beta1, Step));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // held until the loop is done (see Scalars)
        using Scalar keep1 = (float)(1 - settings.Beta1), keep2 = (float)(1 - settings.Beta2), rate = (float)lrT,
            epsilon = (float)settings.Epsilon;
        for (var i = 0; i < parameters.Count; i++)
        {
            var g = parameters[i].grad;
            if (g is null) continue;
            if (onValues && InPlace(parameters[i], g, M[i], V[i]))
            {
                Update(Predictor.Floats(parameters[i]), Predictor.Floats(g), Predictor.Floats(M[i]), Predictor.Floats(V[i]),
                    (float)(1 - settings.Beta1), (float)(1 - settings.Beta2), (float)lrT, (float)settings.Epsilon);
                continue;
            }
            M[i].PlusInPlace((g - M[i]).mul(keep1));
            V[i].PlusInPlace((g * g - V[i]).mul(keep2));
            parameters[i].sub_(M[i].mul(rate) / V[i].sqrt().add(epsilon, Scalars.One));
            g.zero_();
        }
    }

    /// <summary>Float32 tensors, contiguous from their first value: the update runs on their values directly.</summary>
    static bool InPlace(params Tensor[] tensors) =>
        tensors.All(t => t.dtype == ScalarType.Float32 && t.is_contiguous() && t.device_type == DeviceType.CPU);

    /// <summary>
    /// The update above on the values, element by element, in the same float32 operations and order as the libtorch
    /// ops (m += (g − m)·k₁; v += (g·g − v)·k₂; θ −= (m·rate) / (√v + ε); g = 0), each correctly rounded: the same
    /// moments bit for bit, θ the same or one ulp apart (libtorch's vector sqrt or division is not always correctly
    /// rounded). The eleven libtorch calls per parameter cost DNN1's epoch more than the arithmetic (8 steps of 8
    /// parameters).
    /// </summary>
    internal static void Update(Span<float> p, Span<float> g, Span<float> m, Span<float> v, float keep1, float keep2, float rate,
        float epsilon)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var (k1, k2, r, e) = (Vector256.Create(keep1), Vector256.Create(keep2), Vector256.Create(rate), Vector256.Create(epsilon));
            for (; i + 8 <= p.Length; i += 8)
            {
                var gi = Vector256.Create(g.Slice(i, 8));
                var mi = Vector256.Create(m.Slice(i, 8));
                var vi = Vector256.Create(v.Slice(i, 8));
                mi += (gi - mi) * k1;
                vi += (gi * gi - vi) * k2;
                (Vector256.Create(p.Slice(i, 8)) - mi * r / (Vector256.Sqrt(vi) + e)).CopyTo(p.Slice(i, 8));
                mi.CopyTo(m.Slice(i, 8));
                vi.CopyTo(v.Slice(i, 8));
            }
        }
        for (; i < p.Length; i++)
        {
            m[i] += (g[i] - m[i]) * keep1;
            v[i] += (g[i] * g[i] - v[i]) * keep2;
            p[i] -= m[i] * rate / (MathF.Sqrt(v[i]) + epsilon);
        }
        g.Clear();
    }

    public void Dispose()
    {
        foreach (var t in M.Concat(V)) t.Dispose();
    }
}
