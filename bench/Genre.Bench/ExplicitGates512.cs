using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

using Genre.Models.Backend.Torch;

namespace Genre.Bench;

/// <summary>
/// The gate kernel as it was before it was written once over ISimd: an explicit AVX-512 copy with a scalar tail (commit
/// 4ea95fd), kept only as the bench's baseline for what the generic kernel costs.
/// </summary>
internal static class ExplicitGates512
{
    public static void Forward(Span<float> z, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> h, LstmGates.Shape s)
    {
        int units = s.Units, width = 4 * units, stride = s.HiddenStride == 0 ? units : s.HiddenStride;
        for (var j = 0; j < s.Rows; j++)
        {
            var zr = z.Slice(j * width, width);
            var cr = c.Slice(j * units, units);
            var hr = h.Slice(j * stride, units);
            var pr = cPrev.IsEmpty ? ReadOnlySpan<float>.Empty : cPrev.Slice(j * units, units);
            var k = 0;
            for (; k <= units - 16; k += 16)
            {
                var i = Sigmoid(Vector512.Create(zr.Slice(k, 16)));
                var f = Sigmoid(Vector512.Create(zr.Slice(units + k, 16)));
                var g = Tanh(Vector512.Create(zr.Slice(2 * units + k, 16)));
                var o = Sigmoid(Vector512.Create(zr.Slice(3 * units + k, 16)));
                var cp = pr.IsEmpty ? Vector512<float>.Zero : Vector512.Create(pr.Slice(k, 16));
                var cn = f * cp + i * g;
                var hn = o * Tanh(cn);
                i.CopyTo(zr.Slice(k, 16));
                f.CopyTo(zr.Slice(units + k, 16));
                g.CopyTo(zr.Slice(2 * units + k, 16));
                o.CopyTo(zr.Slice(3 * units + k, 16));
                cn.CopyTo(cr.Slice(k, 16));
                hn.CopyTo(hr.Slice(k, 16));
            }
            for (; k < units; k++)
            {
                float i = Sigmoid(zr[k]), f = Sigmoid(zr[units + k]), g = Tanh(zr[2 * units + k]), o = Sigmoid(zr[3 * units + k]);
                var cn = f * (pr.IsEmpty ? 0f : pr[k]) + i * g;
                zr[k] = i; zr[units + k] = f; zr[2 * units + k] = g; zr[3 * units + k] = o;
                cr[k] = cn;
                hr[k] = o * Tanh(cn);
            }
        }
    }

    public static void Backward(Span<float> acts, ReadOnlySpan<float> c, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> dh,
                                ReadOnlySpan<float> dhExtra, Span<float> dc, LstmGates.Shape s)
    {
        int units = s.Units, width = 4 * units;
        var one = Vector512.Create(1f);
        for (var j = 0; j < s.Rows; j++)
        {
            var ar = acts.Slice(j * width, width);
            var row = j * units;
            var k = 0;
            for (; k <= units - 16; k += 16)
            {
                var i = Vector512.Create(ar.Slice(k, 16));
                var f = Vector512.Create(ar.Slice(units + k, 16));
                var g = Vector512.Create(ar.Slice(2 * units + k, 16));
                var o = Vector512.Create(ar.Slice(3 * units + k, 16));
                var tc = Tanh(Vector512.Create(c.Slice(row + k, 16)));
                var dhv = Vector512.Create(dh.Slice(row + k, 16));
                if (!dhExtra.IsEmpty) dhv += Vector512.Create(dhExtra.Slice(row + k, 16));
                var dcv = Vector512.Create(dc.Slice(row + k, 16)) + dhv * o * (one - tc * tc);
                var cp = cPrev.IsEmpty ? Vector512<float>.Zero : Vector512.Create(cPrev.Slice(row + k, 16));
                (dcv * g * i * (one - i)).CopyTo(ar.Slice(k, 16));
                (dcv * cp * f * (one - f)).CopyTo(ar.Slice(units + k, 16));
                (dcv * i * (one - g * g)).CopyTo(ar.Slice(2 * units + k, 16));
                (dhv * tc * o * (one - o)).CopyTo(ar.Slice(3 * units + k, 16));
                (dcv * f).CopyTo(dc.Slice(row + k, 16));
            }
            for (; k < units; k++)
            {
                float i = ar[k], f = ar[units + k], g = ar[2 * units + k], o = ar[3 * units + k];
                var tc = Tanh(c[row + k]);
                var dhv = dh[row + k] + (dhExtra.IsEmpty ? 0f : dhExtra[row + k]);
                var dcv = dc[row + k] + dhv * o * (1 - tc * tc);
                var cp = cPrev.IsEmpty ? 0f : cPrev[row + k];
                ar[k] = dcv * g * i * (1 - i);
                ar[units + k] = dcv * cp * f * (1 - f);
                ar[2 * units + k] = dcv * i * (1 - g * g);
                ar[3 * units + k] = dhv * tc * o * (1 - o);
                dc[row + k] = dcv * f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Sigmoid(Vector512<float> x) => Vector512.Create(1f) / (Vector512.Create(1f) + Vector512.Exp(-x));

    /// <summary>
    /// tanh(x): for |x| &lt; 0.625 Cephes' tanhf polynomial x + x·x²·P(x²) (relative error ≈ 1e-7); beyond it
    /// sign(x)·(1 − 2 / (e^{2|x|} + 1)), which saturates correctly (e^{2|x|} → ∞). The closed form alone cancels near 0
    /// (1 − (1 − x): relative error up to 1e-3), which RNN2's two stacked LSTMs amplified to 3e-5 in the top softmax
    /// probability on the real test split (numpy float32: 3e-6).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Tanh(Vector512<float> x)
    {
        var a = Vector512.Abs(x);
        var z = x * x;
        var small = ((((Vector512.Create(T4) * z + Vector512.Create(T3)) * z + Vector512.Create(T2)) * z + Vector512.Create(T1)) * z
                     + Vector512.Create(T0)) * z * x + x;
        var large = Vector512.CopySign(Vector512.Create(1f) - Vector512.Create(2f) / (Vector512.Exp(a + a) + Vector512.Create(1f)), x);
        return Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512.Create(SmallTanh)), small, large);
    }

    static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    static float Tanh(float x)
    {
        var a = MathF.Abs(x);
        var z = x * x;
        return a < SmallTanh
            ? ((((T4 * z + T3) * z + T2) * z + T1) * z + T0) * z * x + x
            : MathF.CopySign(1f - 2f / (MathF.Exp(a + a) + 1f), x);
    }

    // Cephes tanhf (S. L. Moshier): tanh(x) ≈ x + x·x²·P(x²) for |x| < 0.625.
    const float SmallTanh = 0.625f, T4 = -5.70498872745e-3f, T3 = 2.06390887954e-2f, T2 = -5.37397155531e-2f, T1 = 1.33314422036e-1f,
        T0 = -3.33332819422e-1f;
}
