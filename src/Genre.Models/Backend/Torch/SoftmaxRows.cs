using System.Runtime.Intrinsics;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// Prediction's softmax, in place on rows of logits: e^(z − max) / Σ e^(z − max), the exponentials by the gate pass's exp
/// (<see cref="LstmGates.Exp(float)"/>, within 2 ulp; 0 below e^−87.3) summed in float32. libtorch's softmax took a third of a
/// dense net's prediction: its exp works on the denormals a confident row's far classes give (a probability below 1.2e-38),
/// which the CPU handles in slow microcode; this exp returns 0 there. A NaN logit gives a row of NaN.
/// </summary>
internal static class SoftmaxRows
{
    public static void Apply(Span<float> z, int rows, int classes)
    {
        for (var r = 0; r < rows; r++) Row(z.Slice(r * classes, classes));
    }

    static void Row(Span<float> z)
    {
        var j = 0;
        var max = float.NegativeInfinity;
        var sum = 0f;
        var wide = Vector512.IsHardwareAccelerated;
        if (wide)
        {
            var m = Vector512.Create(float.NegativeInfinity);
            for (; j + 16 <= z.Length; j += 16) m = Vector512.Max(m, Vector512.Create(z.Slice(j, 16))); // NaN propagates
            for (var k = 0; k < 16; k++) max = MathF.Max(max, m[k]);
        }
        max = Max(z[j..], max);
        j = 0;
        if (wide)
        {
            var (top, total) = (Vector512.Create(max), Vector512<float>.Zero);
            for (; j + 16 <= z.Length; j += 16)
            {
                var e = LstmGates.Exp(new F512(Vector512.Create(z.Slice(j, 16)) - top)).Value;
                e.CopyTo(z.Slice(j, 16));
                total += e;
            }
            sum = Vector512.Sum(total);
        }
        for (var k = j; k < z.Length; k++) sum += z[k] = LstmGates.Exp(z[k] - max);
        j = 0;
        if (wide)
            for (var divisor = Vector512.Create(sum); j + 16 <= z.Length; j += 16)
                (Vector512.Create(z.Slice(j, 16)) / divisor).CopyTo(z.Slice(j, 16));
        for (; j < z.Length; j++) z[j] /= sum;
    }

    static float Max(ReadOnlySpan<float> z, float max)
    {
        foreach (var v in z) max = MathF.Max(max, v);
        return max;
    }
}
