using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Genre.Models.Backend.Torch;

/// <summary>Which vectors <see cref="Sgemm"/>'s kernels use: 512-bit (AVX-512F) or 256-bit (AVX2 with FMA).</summary>
internal enum SgemmWidth { V512, V256 }

/// <summary>
/// <see cref="Sgemm"/>'s 256-bit kernels, for CPUs with AVX2 and FMA but not AVX-512F: a 32-column panel is taken as two
/// halves of 16 columns, and a kernel call computes 4 rows × 16 columns of C in 8 accumulators (AVX2 has 16 vector registers:
/// 8 accumulators, 2 panel vectors and a broadcast fit without spills). Same FMA order per element as the 512-bit kernels.
/// </summary>
internal static unsafe partial class Sgemm
{
    /// <summary>C = A·B (+ bias, relu) for rows [i0, end) and one 32-column panel of B, two 16-column halves in turn.</summary>
    static void Panel256(float* a, int lda, int i0, int end, int kCount, float* panel, float* bias, bool relu, float* c, int ldc,
        int cols)
    {
        for (var h = 0; h < PackedMatrix.PanelWidth && h < cols; h += 16)
        {
            var mask = new Masks256(Math.Min(16, cols - h));
            var biasHalf = bias == null ? null : bias + h;
            var i = i0;
            for (; i + 4 <= end; i += 4) Rows4x256(a + (long)i * lda, lda, kCount, panel + h, biasHalf, relu, c + (long)i * ldc + h, ldc,
                mask);
            for (; i < end; i++) Rows1x256(a + (long)i * lda, kCount, panel + h, biasHalf, relu, c + (long)i * ldc + h, mask);
        }
    }

    /// <summary>Which of a half-panel's 16 columns exist, as masks for its two 8-float halves.</summary>
    readonly struct Masks256(int cols)
    {
        public readonly Vector256<float> Lo = Vector256.LessThan(Vector256<float>.Indices, Vector256.Create((float)cols));
        public readonly Vector256<float> Hi = Vector256.LessThan(Vector256<float>.Indices + Vector256.Create(8f),
            Vector256.Create((float)cols));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows4x256(float* a, int lda, int kCount, float* panel, float* bias, bool relu, float* c, int ldc, in Masks256 cols)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default,
            c31 = default;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        var bp = panel;
        for (var k = 0; k < kCount; k++, bp += PackedMatrix.PanelWidth)
        {
            var b0 = Avx.LoadVector256(bp);
            var b1 = Avx.LoadVector256(bp + 8);
            var x = Vector256.Create(a0[k]); c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a1[k]); c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a2[k]); c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a3[k]); c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
        }
        Store256(c, c00, c01, bias, relu, cols);
        Store256(c + ldc, c10, c11, bias, relu, cols);
        Store256(c + 2 * ldc, c20, c21, bias, relu, cols);
        Store256(c + 3 * ldc, c30, c31, bias, relu, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows1x256(float* a, int kCount, float* panel, float* bias, bool relu, float* c, in Masks256 cols)
    {
        Vector256<float> c0 = default, c1 = default;
        var bp = panel;
        for (var k = 0; k < kCount; k++, bp += PackedMatrix.PanelWidth)
        {
            var x = Vector256.Create(a[k]);
            c0 = Fma.MultiplyAdd(x, Avx.LoadVector256(bp), c0);
            c1 = Fma.MultiplyAdd(x, Avx.LoadVector256(bp + 8), c1);
        }
        Store256(c, c0, c1, bias, relu, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store256(float* c, Vector256<float> lo, Vector256<float> hi, float* bias, bool relu, in Masks256 cols)
    {
        if (bias != null)
        {
            lo += Avx.LoadVector256(bias);
            hi += Avx.LoadVector256(bias + 8);
        }
        if (relu)
        {
            lo = Vector256.Max(lo, Vector256<float>.Zero);
            hi = Vector256.Max(hi, Vector256<float>.Zero);
        }
        Avx.MaskStore(c, cols.Lo, lo);
        Avx.MaskStore(c + 8, cols.Hi, hi);
    }

    /// <summary>C += Aᵀ·B on 256-bit vectors: tiles of 4 rows × 16 columns of C (then single rows), in registers over the
    /// rows.</summary>
    static void AccumulateTransposed256(float* a, int lda, float* b, int ldb, int rows, int m, int n, float* c, int ldc)
    {
        for (var j = 0; j < n; j += 16)
        {
            var mask = new Masks256(Math.Min(16, n - j));
            var i = 0;
            for (; i + 4 <= m; i += 4) Transposed4x256(a + i, lda, b + j, ldb, rows, c + (long)i * ldc + j, ldc, mask);
            for (; i < m; i++) Transposed1x256(a + i, lda, b + j, ldb, rows, c + (long)i * ldc + j, mask);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Transposed4x256(float* a, int lda, float* b, int ldb, int rows, float* c, int ldc, in Masks256 cols)
    {
        var (lo, hi) = (cols.Lo, cols.Hi);
        Vector256<float> c00 = Avx.MaskLoad(c, lo), c01 = Avx.MaskLoad(c + 8, hi), c10 = Avx.MaskLoad(c + ldc, lo),
            c11 = Avx.MaskLoad(c + ldc + 8, hi), c20 = Avx.MaskLoad(c + 2 * ldc, lo), c21 = Avx.MaskLoad(c + 2 * ldc + 8, hi),
            c30 = Avx.MaskLoad(c + 3 * ldc, lo), c31 = Avx.MaskLoad(c + 3 * ldc + 8, hi);
        for (var r = 0; r < rows; r++, a += lda, b += ldb)
        {
            var b0 = Avx.MaskLoad(b, lo);
            var b1 = Avx.MaskLoad(b + 8, hi);
            var x = Vector256.Create(a[0]); c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
        }
        Avx.MaskStore(c, lo, c00); Avx.MaskStore(c + 8, hi, c01);
        Avx.MaskStore(c + ldc, lo, c10); Avx.MaskStore(c + ldc + 8, hi, c11);
        Avx.MaskStore(c + 2 * ldc, lo, c20); Avx.MaskStore(c + 2 * ldc + 8, hi, c21);
        Avx.MaskStore(c + 3 * ldc, lo, c30); Avx.MaskStore(c + 3 * ldc + 8, hi, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Transposed1x256(float* a, int lda, float* b, int ldb, int rows, float* c, in Masks256 cols)
    {
        var (lo, hi) = (cols.Lo, cols.Hi);
        Vector256<float> c0 = Avx.MaskLoad(c, lo), c1 = Avx.MaskLoad(c + 8, hi);
        for (var r = 0; r < rows; r++, a += lda, b += ldb)
        {
            var x = Vector256.Create(a[0]);
            c0 = Fma.MultiplyAdd(x, Avx.MaskLoad(b, lo), c0);
            c1 = Fma.MultiplyAdd(x, Avx.MaskLoad(b + 8, hi), c1);
        }
        Avx.MaskStore(c, lo, c0);
        Avx.MaskStore(c + 8, hi, c1);
    }
}
