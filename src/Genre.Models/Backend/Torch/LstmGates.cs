using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// One LSTM time step's gate math in a single pass over memory, rows of gates laid out [i | f | c̃ | o] (Keras order).
/// Forward: z → σ(i), σ(f), tanh(c̃), σ(o) in place; c = f·c₋₁ + i·c̃; h = o·tanh(c).
/// Backward: from dh (and an extra dh for returned sequences) and the carried dc, writes dz over the activations and
/// replaces dc with dc₋₁. They write only into the spans they are given (in place, as documented per argument) and allocate nothing.
/// The kernel is written once over <see cref="ISimd{V}"/>. A row's units run in whole vectors of the widest
/// hardware-accelerated width (16, 8 or 4 floats), the rest in narrower vectors down to 4 floats, the last 0–3 float by
/// float; every width evaluates the same formulas. The row loops are not inlined into the pass: called once per
/// row, each is compiled (and recompiled with profile data) on its own, so its machine code does not depend on how the
/// pass that calls it was tiered (inlined, the generic loops ran several times slower in the bench than the explicit
/// AVX-512 copy they replace; on their own they match it: bench/results/lstm-lanes.md).
/// </summary>
internal static class LstmGates
{
    /// <summary><paramref name="HiddenStride"/>: floats between rows of h in the forward pass (0 = Units), so h can be
    /// written into a wider buffer (<see cref="FusedLstm"/>'s [h | x | 1] blocks).</summary>
    public readonly record struct Shape(int Rows, int Units, int HiddenStride = 0);

    /// <summary>The vector width a pass runs on; <see cref="Widest"/> is the widest the hardware accelerates.</summary>
    public enum Width { Scalar = 1, V128 = 4, V256 = 8, V512 = 16 }

    public static readonly Width Widest = Vector512.IsHardwareAccelerated ? Width.V512
        : Vector256.IsHardwareAccelerated ? Width.V256
        : Vector128.IsHardwareAccelerated ? Width.V128 : Width.Scalar;

    public static void Forward(Span<float> z, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> h, Shape s) =>
        Forward(z, cPrev, c, h, s, Widest);

    public static void Backward(Span<float> acts, ReadOnlySpan<float> c, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> dh,
                                ReadOnlySpan<float> dhExtra, Span<float> dc, Shape s) =>
        Backward(acts, c, cPrev, dh, dhExtra, dc, s, Widest);

    /// <summary><see cref="Forward(Span{float}, ReadOnlySpan{float}, Span{float}, Span{float}, Shape)"/> on a given width
    /// (tests and the bench run each one; a width the hardware does not accelerate runs emulated, slowly).</summary>
    public static void Forward(Span<float> z, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> h, Shape s, Width width)
    {
        switch (width)
        {
            case Width.V512: Forward<F512>(z, cPrev, c, h, s); break;
            case Width.V256: Forward<F256>(z, cPrev, c, h, s); break;
            case Width.V128: Forward<F128>(z, cPrev, c, h, s); break;
            default: Forward<F128>(z, cPrev, c, h, s, scalar: true); break;
        }
    }

    /// <summary>The backward pass on a given width, as <see cref="Forward(Span{float}, ReadOnlySpan{float}, Span{float},
    /// Span{float}, Shape, Width)"/>.</summary>
    public static void Backward(Span<float> acts, ReadOnlySpan<float> c, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> dh,
                                ReadOnlySpan<float> dhExtra, Span<float> dc, Shape s, Width width)
    {
        switch (width)
        {
            case Width.V512: Backward<F512>(acts, c, cPrev, dh, dhExtra, dc, s); break;
            case Width.V256: Backward<F256>(acts, c, cPrev, dh, dhExtra, dc, s); break;
            case Width.V128: Backward<F128>(acts, c, cPrev, dh, dhExtra, dc, s); break;
            default: Backward<F128>(acts, c, cPrev, dh, dhExtra, dc, s, scalar: true); break;
        }
    }

    /// <summary>Per row: whole vectors of V, then of the narrower widths down to 4 floats, then float by float (only
    /// float by float when <paramref name="scalar"/>).</summary>
    static void Forward<V>(Span<float> z, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> h, Shape s, bool scalar = false)
        where V : struct, ISimd<V>
    {
        int units = s.Units, width = 4 * units, stride = s.HiddenStride == 0 ? units : s.HiddenStride;
        for (var j = 0; j < s.Rows; j++)
        {
            var zr = z.Slice(j * width, width);
            var cr = c.Slice(j * units, units);
            var hr = h.Slice(j * stride, units);
            var pr = cPrev.IsEmpty ? ReadOnlySpan<float>.Empty : cPrev.Slice(j * units, units);
            var k = 0;
            if (!scalar)
            {
                k = ForwardRow<V>(zr, pr, cr, hr, units, k);
                if (V.Count > F256.Count) k = ForwardRow<F256>(zr, pr, cr, hr, units, k);
                if (V.Count > F128.Count) k = ForwardRow<F128>(zr, pr, cr, hr, units, k);
            }
            ForwardTail(zr, pr, cr, hr, units, k);
        }
    }

    /// <summary>Units [k, …) of one row in steps of V.Count while a whole vector fits; returns the first unit not done.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // see the class summary
    static int ForwardRow<V>(Span<float> zr, ReadOnlySpan<float> pr, Span<float> cr, Span<float> hr, int units, int k)
        where V : struct, ISimd<V>
    {
        var n = V.Count;
        var start = k;
        // Two loops, not one: h needs tanh(c), which needs the gates, so one iteration is a chain of two exps, two divisions
        // and their polynomials (≈ 130 cycles), longer than the out-of-order window overlaps; split, each loop's iterations are
        // independent and overlap (the forward gate pass at 80 units: 177 → 130 ns a row; the same operations, so the same bits).
        for (; k <= units - n; k += n)
        {
            var i = Sigmoid<V>(V.Load(zr.Slice(k, n)));
            var f = Sigmoid<V>(V.Load(zr.Slice(units + k, n)));
            var g = Tanh<V>(V.Load(zr.Slice(2 * units + k, n)));
            var o = Sigmoid<V>(V.Load(zr.Slice(3 * units + k, n)));
            var cp = pr.IsEmpty ? V.Create(0f) : V.Load(pr.Slice(k, n));
            V.Store(i, zr.Slice(k, n));
            V.Store(f, zr.Slice(units + k, n));
            V.Store(g, zr.Slice(2 * units + k, n));
            V.Store(o, zr.Slice(3 * units + k, n));
            V.Store(f * cp + i * g, cr.Slice(k, n));
        }
        for (var j = start; j < k; j += n)
            V.Store(V.Load(zr.Slice(3 * units + j, n)) * Tanh<V>(V.Load(cr.Slice(j, n))), hr.Slice(j, n));
        return k;
    }

    static void Backward<V>(Span<float> acts, ReadOnlySpan<float> c, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> dh,
                            ReadOnlySpan<float> dhExtra, Span<float> dc, Shape s, bool scalar = false)
        where V : struct, ISimd<V>
    {
        int units = s.Units, width = 4 * units;
        for (var j = 0; j < s.Rows; j++)
        {
            var ar = acts.Slice(j * width, width);
            var row = j * units;
            var cr = c.Slice(row, units);
            var pr = cPrev.IsEmpty ? ReadOnlySpan<float>.Empty : cPrev.Slice(row, units);
            var dhr = dh.Slice(row, units);
            var er = dhExtra.IsEmpty ? ReadOnlySpan<float>.Empty : dhExtra.Slice(row, units);
            var dcr = dc.Slice(row, units);
            var k = 0;
            if (!scalar)
            {
                k = BackwardRow<V>(ar, cr, pr, dhr, er, dcr, units, k);
                if (V.Count > F256.Count) k = BackwardRow<F256>(ar, cr, pr, dhr, er, dcr, units, k);
                if (V.Count > F128.Count) k = BackwardRow<F128>(ar, cr, pr, dhr, er, dcr, units, k);
            }
            BackwardTail(ar, cr, pr, dhr, er, dcr, units, k);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)] // see the class summary
    static int BackwardRow<V>(Span<float> ar, ReadOnlySpan<float> cr, ReadOnlySpan<float> pr, ReadOnlySpan<float> dhr,
                                 ReadOnlySpan<float> er, Span<float> dcr, int units, int k)
        where V : struct, ISimd<V>
    {
        var n = V.Count;
        var one = V.Create(1f);
        for (; k <= units - n; k += n)
        {
            var i = V.Load(ar.Slice(k, n));
            var f = V.Load(ar.Slice(units + k, n));
            var g = V.Load(ar.Slice(2 * units + k, n));
            var o = V.Load(ar.Slice(3 * units + k, n));
            var tc = Tanh<V>(V.Load(cr.Slice(k, n)));
            var dhv = er.IsEmpty ? V.Load(dhr.Slice(k, n)) : V.Load(dhr.Slice(k, n)) + V.Load(er.Slice(k, n));
            var dcv = V.Load(dcr.Slice(k, n)) + dhv * o * (one - tc * tc);
            var cp = pr.IsEmpty ? V.Create(0f) : V.Load(pr.Slice(k, n));
            V.Store(dcv * g * i * (one - i), ar.Slice(k, n));
            V.Store(dcv * cp * f * (one - f), ar.Slice(units + k, n));
            V.Store(dcv * i * (one - g * g), ar.Slice(2 * units + k, n));
            V.Store(dhv * tc * o * (one - o), ar.Slice(3 * units + k, n));
            V.Store(dcv * f, dcr.Slice(k, n));
        }
        return k;
    }

    static void ForwardTail(Span<float> zr, ReadOnlySpan<float> pr, Span<float> cr, Span<float> hr, int units, int k)
    {
        for (; k < units; k++)
        {
            float i = Sigmoid(zr[k]), f = Sigmoid(zr[units + k]), g = Tanh(zr[2 * units + k]), o = Sigmoid(zr[3 * units + k]);
            var cn = f * (pr.IsEmpty ? 0f : pr[k]) + i * g;
            zr[k] = i; zr[units + k] = f; zr[2 * units + k] = g; zr[3 * units + k] = o;
            cr[k] = cn;
            hr[k] = o * Tanh(cn);
        }
    }

    static void BackwardTail(Span<float> ar, ReadOnlySpan<float> cr, ReadOnlySpan<float> pr, ReadOnlySpan<float> dhr,
                             ReadOnlySpan<float> er, Span<float> dcr, int units, int k)
    {
        for (; k < units; k++)
        {
            float i = ar[k], f = ar[units + k], g = ar[2 * units + k], o = ar[3 * units + k];
            var tc = Tanh(cr[k]);
            var dhv = er.IsEmpty ? dhr[k] : dhr[k] + er[k];
            var dcv = dcr[k] + dhv * o * (1 - tc * tc);
            var cp = pr.IsEmpty ? 0f : pr[k];
            ar[k] = dcv * g * i * (1 - i);
            ar[units + k] = dcv * cp * f * (1 - f);
            ar[2 * units + k] = dcv * i * (1 - g * g);
            ar[3 * units + k] = dhv * tc * o * (1 - o);
            dcr[k] = dcv * f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static V Sigmoid<V>(V x) where V : struct, ISimd<V> =>
        V.Create(1f) / (V.Create(1f) + Exp(-x));

    /// <summary>
    /// e^x in float32 by Cephes' expf (S. L. Moshier): n = round(x·log₂e), r = x − n·ln 2 in two parts (Cody–Waite),
    /// e^r = 1 + r + r²·P(r), times 2ⁿ written into the exponent bits. About twice as fast as .NET's Vector512.Exp, which
    /// widens to float64 (the gate pass was a sixth of an RNN1 epoch); within 2 ulp of MathF.Exp on [−87, 88] (tests).
    /// x is clamped to [−88, 88.8], so n ∈ [−127, 128] and 2ⁿ is 0, a normal float or ∞: e^x is 0 below e^−87.3 (a
    /// denormal there) and ∞ above e^88.4, which σ and tanh read as their limits either way. NaN stays NaN.
    /// Every width, and the scalar tail, evaluates the same operations (fused multiply-adds included), so the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static V Exp<V>(V x) where V : struct, ISimd<V>
    {
        x = V.Min(V.Create(ExpHigh), V.Max(V.Create(ExpLow), x)); // x last: a NaN passes through
        var n = V.Round(x * V.Create(Log2E));
        var r = V.MultiplyAdd(n, V.Create(-Ln2High), x);
        r = V.MultiplyAdd(n, V.Create(-Ln2Low), r);
        var p = V.MultiplyAdd(V.Create(E5), r, V.Create(E4));
        p = V.MultiplyAdd(p, r, V.Create(E3));
        p = V.MultiplyAdd(p, r, V.Create(E2));
        p = V.MultiplyAdd(p, r, V.Create(E1));
        p = V.MultiplyAdd(p, r, V.Create(E0));
        return V.MultiplyAdd(p * r, r, r + V.Create(1f)) * V.Pow2(n);
    }

    /// <summary>The scalar <see cref="Exp{V}"/>: the same operations on one float.</summary>
    internal static float Exp(float x)
    {
        x = MathF.Min(ExpHigh, MathF.Max(ExpLow, x));
        var n = MathF.Round(x * Log2E);
        var r = MathF.FusedMultiplyAdd(n, -Ln2High, x);
        r = MathF.FusedMultiplyAdd(n, -Ln2Low, r);
        var p = MathF.FusedMultiplyAdd(E5, r, E4);
        p = MathF.FusedMultiplyAdd(p, r, E3);
        p = MathF.FusedMultiplyAdd(p, r, E2);
        p = MathF.FusedMultiplyAdd(p, r, E1);
        p = MathF.FusedMultiplyAdd(p, r, E0);
        return MathF.FusedMultiplyAdd(p * r, r, r + 1f) * Pow2(n);
    }

    /// <summary>2ⁿ for an integral n in [−127, 128]: 0 at −127, ∞ at 128 (the exponent field's ends).</summary>
    internal static float Pow2(float n) => BitConverter.Int32BitsToSingle(((int)n + 127) << 23);

    // Cephes expf's constants: ln 2 = Ln2High + Ln2Low (Ln2High has 9 significant bits, so n·Ln2High is exact), P(r).
    const float ExpLow = -88f, ExpHigh = 88.8f, Log2E = 1.44269504088896341f, Ln2High = 0.693359375f, Ln2Low = -2.12194440e-4f;
    const float E5 = 1.9875691500e-4f, E4 = 1.3981999507e-3f, E3 = 8.3334519073e-3f, E2 = 4.1665795894e-2f;
    const float E1 = 1.6666665459e-1f, E0 = 5.0000001201e-1f;

    /// <summary>
    /// tanh(x): for |x| &lt; 0.625 Cephes' tanhf polynomial x + x·x²·P(x²) (relative error ≈ 1e-7); beyond it
    /// sign(x)·(1 − 2 / (e^{2|x|} + 1)), which saturates correctly (e^{2|x|} → ∞). The closed form alone cancels near 0
    /// (1 − (1 − x): relative error up to 1e-3), which RNN2's two stacked LSTMs amplified to 3e-5 in the top softmax
    /// probability on the real test split (numpy float32: 3e-6). Both forms are evaluated and one selected per lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static V Tanh<V>(V x) where V : struct, ISimd<V>
    {
        var a = V.Abs(x);
        var z = x * x;
        var small = ((((V.Create(T4) * z + V.Create(T3)) * z + V.Create(T2)) * z + V.Create(T1)) * z + V.Create(T0)) * z * x + x;
        var large = V.CopySign(V.Create(1f) - V.Create(2f) / (Exp(a + a) + V.Create(1f)), x);
        return V.SelectLess(a, V.Create(SmallTanh), small, large);
    }

    static float Sigmoid(float x) => 1f / (1f + Exp(-x));

    /// <summary>The scalar <see cref="Tanh{V}"/>: the same two forms, only the one selected evaluated.</summary>
    static float Tanh(float x)
    {
        var a = MathF.Abs(x);
        var z = x * x;
        return a < SmallTanh
            ? ((((T4 * z + T3) * z + T2) * z + T1) * z + T0) * z * x + x
            : MathF.CopySign(1f - 2f / (Exp(a + a) + 1f), x);
    }

    // Cephes tanhf (S. L. Moshier): tanh(x) ≈ x + x·x²·P(x²) for |x| < 0.625.
    const float SmallTanh = 0.625f, T4 = -5.70498872745e-3f, T3 = 2.06390887954e-2f, T2 = -5.37397155531e-2f;
    const float T1 = 1.33314422036e-1f, T0 = -3.33332819422e-1f;
}

/// <summary>
/// What <see cref="LstmGates"/>' kernel needs of a vector of floats (.NET's own ISimdVector is internal), implemented by thin
/// structs over <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/> and a single float. Static
/// abstract members on a struct are resolved when the generic kernel is compiled for it, so each width gets its own machine
/// code with the calls inlined.
/// </summary>
internal interface ISimd<V> where V : struct, ISimd<V>
{
    /// <summary>Floats in one V.</summary>
    static abstract int Count { get; }
    /// <summary>The first Count floats of <paramref name="s"/>.</summary>
    static abstract V Load(ReadOnlySpan<float> s);
    static abstract void Store(V v, Span<float> s);
    static abstract V Create(float x);
    static abstract V Abs(V x);
    /// <summary>x86's minps: b when either is NaN (no NaN fix-ups, which cost .NET's Min five instructions more).</summary>
    static abstract V Min(V a, V b);
    /// <summary>x86's maxps: b when either is NaN.</summary>
    static abstract V Max(V a, V b);
    /// <summary>To the nearest integer, ties to even.</summary>
    static abstract V Round(V x);
    /// <summary>a·b + c with one rounding.</summary>
    static abstract V MultiplyAdd(V a, V b, V c);
    /// <summary>Per lane 2ⁿ for integral n in [−127, 128], built in the exponent bits (<see cref="LstmGates.Pow2"/>).</summary>
    static abstract V Pow2(V n);
    static abstract V CopySign(V value, V sign);
    /// <summary>Per lane: a &lt; b ? ifLess : otherwise.</summary>
    static abstract V SelectLess(V a, V b, V ifLess, V otherwise);
    static abstract V operator +(V a, V b);
    static abstract V operator -(V a, V b);
    static abstract V operator *(V a, V b);
    static abstract V operator /(V a, V b);
    static abstract V operator -(V a);
}

internal readonly struct F512(Vector512<float> v) : ISimd<F512>
{
    readonly Vector512<float> v = v;
    public Vector512<float> Value => v;
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 Load(ReadOnlySpan<float> s) => new(Vector512.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(F512 x, Span<float> s) => x.v.CopyTo(s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 Create(float x) => new(Vector512.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 Min(F512 a, F512 b) => new(Vector512.MinNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 Max(F512 a, F512 b) => new(Vector512.MaxNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 Round(F512 x) => new(Vector512.Round(x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 MultiplyAdd(F512 a, F512 b, F512 c) => new(Vector512.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 Pow2(F512 n) => new(((Vector512.ConvertToInt32Native(n.v) + Vector512.Create(127)) << 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 Abs(F512 x) => new(Vector512.Abs(x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 CopySign(F512 value, F512 sign) => new(Vector512.CopySign(value.v, sign.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 SelectLess(F512 a, F512 b, F512 ifLess, F512 otherwise) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(a.v, b.v), ifLess.v, otherwise.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 operator +(F512 a, F512 b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 operator -(F512 a, F512 b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 operator *(F512 a, F512 b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 operator /(F512 a, F512 b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F512 operator -(F512 a) => new(-a.v);
}

internal readonly struct F256(Vector256<float> v) : ISimd<F256>
{
    readonly Vector256<float> v = v;
    public Vector256<float> Value => v;
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 Load(ReadOnlySpan<float> s) => new(Vector256.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(F256 x, Span<float> s) => x.v.CopyTo(s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 Create(float x) => new(Vector256.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 Min(F256 a, F256 b) => new(Vector256.MinNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 Max(F256 a, F256 b) => new(Vector256.MaxNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 Round(F256 x) => new(Vector256.Round(x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 MultiplyAdd(F256 a, F256 b, F256 c) => new(Vector256.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 Pow2(F256 n) => new(((Vector256.ConvertToInt32Native(n.v) + Vector256.Create(127)) << 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 Abs(F256 x) => new(Vector256.Abs(x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 CopySign(F256 value, F256 sign) => new(Vector256.CopySign(value.v, sign.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 SelectLess(F256 a, F256 b, F256 ifLess, F256 otherwise) =>
        new(Vector256.ConditionalSelect(Vector256.LessThan(a.v, b.v), ifLess.v, otherwise.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 operator +(F256 a, F256 b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 operator -(F256 a, F256 b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 operator *(F256 a, F256 b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 operator /(F256 a, F256 b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F256 operator -(F256 a) => new(-a.v);
}

internal readonly struct F128(Vector128<float> v) : ISimd<F128>
{
    readonly Vector128<float> v = v;
    public Vector128<float> Value => v;
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 Load(ReadOnlySpan<float> s) => new(Vector128.Create(s));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(F128 x, Span<float> s) => x.v.CopyTo(s);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 Create(float x) => new(Vector128.Create(x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 Min(F128 a, F128 b) => new(Vector128.MinNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 Max(F128 a, F128 b) => new(Vector128.MaxNative(a.v, b.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 Round(F128 x) => new(Vector128.Round(x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 MultiplyAdd(F128 a, F128 b, F128 c) => new(Vector128.FusedMultiplyAdd(a.v, b.v, c.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 Pow2(F128 n) => new(((Vector128.ConvertToInt32Native(n.v) + Vector128.Create(127)) << 23).AsSingle());
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 Abs(F128 x) => new(Vector128.Abs(x.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 CopySign(F128 value, F128 sign) => new(Vector128.CopySign(value.v, sign.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 SelectLess(F128 a, F128 b, F128 ifLess, F128 otherwise) =>
        new(Vector128.ConditionalSelect(Vector128.LessThan(a.v, b.v), ifLess.v, otherwise.v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 operator +(F128 a, F128 b) => new(a.v + b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 operator -(F128 a, F128 b) => new(a.v - b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 operator *(F128 a, F128 b) => new(a.v * b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 operator /(F128 a, F128 b) => new(a.v / b.v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static F128 operator -(F128 a) => new(-a.v);
}
