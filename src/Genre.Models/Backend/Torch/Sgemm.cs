using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// A weight matrix B (K × N, row-major) packed for <see cref="Sgemm"/>: panels of 32 columns, each K rows of 32 floats
/// (columns past N are zero), so a kernel reads one panel row with two aligned-size vector loads. An optional bias (N)
/// is packed alike.
/// </summary>
internal sealed class PackedMatrix
{
    public const int PanelWidth = 32;
    public int K { get; }
    public int N { get; }
    public int Panels => (N + PanelWidth - 1) / PanelWidth;
    public float[] Values { get; }
    public float[]? Bias { get; }

    public PackedMatrix(ReadOnlySpan<float> b, int k, int n, ReadOnlySpan<float> bias = default)
    {
        K = k;
        N = n;
        Values = new float[Panels * k * PanelWidth];
        for (var p = 0; p < Panels; p++)
            for (var r = 0; r < k; r++)
                for (var c = 0; c < PanelWidth && p * PanelWidth + c < n; c++)
                    Values[(p * k + r) * PanelWidth + c] = b[r * n + p * PanelWidth + c];
        if (!bias.IsEmpty)
        {
            Bias = new float[Panels * PanelWidth];
            bias.CopyTo(Bias);
        }
    }

    PackedMatrix(int k, int n)
    {
        K = k;
        N = n;
        Values = new float[Panels * k * PanelWidth];
    }

    /// <summary>
    /// Bᵀ packed: B (<paramref name="k"/> × <paramref name="n"/>) with B[r, c] = source[c·stride + r], the transpose of an
    /// n × k block of a row-major matrix whose rows are <paramref name="stride"/> long (a backward pass's Uᵀ or Wᵀ, read in place).
    /// </summary>
    public static PackedMatrix Transposed(ReadOnlySpan<float> source, int stride, int k, int n)
    {
        var packed = new PackedMatrix(k, n);
        for (var p = 0; p < packed.Panels; p++)
            for (var c = 0; c < PanelWidth && p * PanelWidth + c < n; c++)
            {
                var column = source.Slice((p * PanelWidth + c) * stride, k);
                for (var r = 0; r < k; r++) packed.Values[(p * k + r) * PanelWidth + c] = column[r];
            }
        return packed;
    }
}

/// <summary>
/// Single-threaded float32 C = A·B (+ bias) (then relu) and C += Aᵀ·B for the small, fixed shapes of prediction and training,
/// with AVX-512 register blocking: 8 rows × 32 columns of C per kernel call (16 vector accumulators), one FMA per (row,
/// half-panel) per k; on a CPU with AVX2 and FMA but no AVX-512F, 4 rows × 16 columns on 256-bit vectors (8 accumulators of
/// the 16 registers). Each element of C is computed by the same sequence of FMAs whatever its position, so a row's result does
/// not depend on how the rows are split. Callers check <see cref="Supported"/> and use libtorch otherwise.
/// </summary>
internal static unsafe partial class Sgemm
{
    /// <summary>AVX-512F, or AVX2 with FMA, in hardware.</summary>
    public static bool Supported => Avx512F.IsSupported || (Avx2.IsSupported && Fma.IsSupported);

    /// <summary>The widest kernels the CPU runs (what every caller gets unless a test asks for the other).</summary>
    public static SgemmWidth Widest => Avx512F.IsSupported ? SgemmWidth.V512 : SgemmWidth.V256;

    /// <summary>Rows of A per block in Multiply (a multiple of 8).</summary>
    const int RowBlock = 64;

    /// <summary>
    /// C[i, j] += Σ_{r &lt; rows} A[r, i]·B[r, j] for i &lt; m, j &lt; n: Aᵀ·B accumulated into C, the weight gradient of a
    /// layer (A its inputs, B the output gradients, one row per sample). A is rows × ≥m with row stride <paramref name="lda"/>,
    /// B rows × ≥n with <paramref name="ldb"/>, C m × n with <paramref name="ldc"/>. Each C element adds its products in row
    /// order, whatever the tiling, so a sum depends only on the rows given. Tiles of 8 × 32 of C stay in registers over the rows.
    /// </summary>
    public static void AccumulateTransposed(ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, int rows, int m, int n,
        Span<float> c, int ldc, SgemmWidth? width = null)
    {
        if (rows == 0 || m == 0 || n == 0) return;
        if (a.Length < (long)(rows - 1) * lda + m || b.Length < (long)(rows - 1) * ldb + n || c.Length < (long)(m - 1) * ldc + n)
            throw new ArgumentException($"Sgemm: A ({a.Length}), B ({b.Length}) or C ({c.Length}) too short: {rows} rows, {m} × {n}");
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            if ((width ?? Widest) == SgemmWidth.V256)
            {
                AccumulateTransposed256(pa, lda, pb, ldb, rows, m, n, pc, ldc);
                return;
            }
            for (var j = 0; j < n; j += PackedMatrix.PanelWidth)
            {
                var mask = new Masks(Math.Min(PackedMatrix.PanelWidth, n - j));
                var i = 0;
                for (; i + 8 <= m; i += 8) Transposed8(pa + i, lda, pb + j, ldb, rows, pc + (long)i * ldc + j, ldc, mask);
                for (; i + 4 <= m; i += 4) Transposed4(pa + i, lda, pb + j, ldb, rows, pc + (long)i * ldc + j, ldc, mask);
                for (; i < m; i++) Transposed1(pa + i, lda, pb + j, ldb, rows, pc + (long)i * ldc + j, mask);
            }
        }
    }

    /// <summary>
    /// C[i, j] = Σ_{k &lt; kCount} A[i, k]·B[kStart + k, j] (+ bias[j]) for i &lt; m, j &lt; B.N; relu when asked.
    /// A is row-major with row stride <paramref name="lda"/>, C with <paramref name="ldc"/>.
    /// </summary>
    public static void Multiply(ReadOnlySpan<float> a, int lda, int m, int kCount, PackedMatrix b, int kStart, bool relu, Span<float> c,
        int ldc, SgemmWidth? width = null)
    {
        if (m == 0) return;
        if (a.Length < (long)(m - 1) * lda + kCount || c.Length < (long)(m - 1) * ldc + b.N || kStart + kCount > b.K)
            throw new ArgumentException($"Sgemm: A ({a.Length}) or C ({c.Length}) too short, or k {kStart}+{kCount} > {b.K}");
        fixed (float* pa = a)
        fixed (float* pc = c)
            Multiply(pa, lda, m, kCount, b, kStart, relu, pc, ldc, (width ?? Widest) == SgemmWidth.V256);
    }

    static void Multiply(float* a, int lda, int m, int kCount, PackedMatrix b, int kStart, bool relu, float* c, int ldc, bool narrow)
    {
        fixed (float* packed = b.Values)
        fixed (float* bias = b.Bias)
        {
            // Blocks of RowBlock rows, each through every panel: the block's rows of A stay in L2 while a panel (K × 32) sits in
            // L1 for the block's 8-row groups. The order only moves whole rows, so each row's FMAs are the same sequence.
            for (var i0 = 0; i0 < m; i0 += RowBlock)
            {
                var end = Math.Min(m, i0 + RowBlock);
                for (var p = 0; p < b.Panels; p++)
                {
                    var panel = packed + (p * b.K + kStart) * PackedMatrix.PanelWidth;
                    var cols = Math.Min(PackedMatrix.PanelWidth, b.N - p * PackedMatrix.PanelWidth);
                    var biasPanel = bias == null ? null : bias + p * PackedMatrix.PanelWidth;
                    if (narrow)
                    {
                        Panel256(a, lda, i0, end, kCount, panel, biasPanel, relu, c + p * PackedMatrix.PanelWidth, ldc, cols);
                        continue;
                    }
                    var mask = new Masks(cols);
                    var i = i0;
                    if (cols <= 16) // a last panel of ≤ 16 columns (RNN1's dh₋₁ = dz·Uᵀ has 80): half the FMAs
                        for (; i + 8 <= end; i += 8) Rows8Half(a + (long)i * lda, lda, kCount, panel, biasPanel, relu,
                            c + (long)i * ldc + p * PackedMatrix.PanelWidth, ldc, mask);
                    for (; i + 8 <= end; i += 8) Rows8(a + (long)i * lda, lda, kCount, panel, biasPanel, relu,
                        c + (long)i * ldc + p * PackedMatrix.PanelWidth, ldc, mask);
                    for (; i < end; i++) Rows1(a + (long)i * lda, kCount, panel, biasPanel, relu,
                        c + (long)i * ldc + p * PackedMatrix.PanelWidth, mask);
                }
            }
        }
    }

    /// <summary>Which of a panel's 32 columns exist (all but the last panel: every one), as store masks for its two halves.</summary>
    readonly struct Masks(int cols)
    {
        public readonly Vector512<float> Lo = Vector512.LessThan(Vector512<float>.Indices, Vector512.Create((float)cols));
        public readonly Vector512<float> Hi = Vector512.LessThan(Vector512<float>.Indices + Vector512.Create(16f),
            Vector512.Create((float)cols));
    }

    // Everything after the k loop is inlined (no calls): a call would keep the 16 accumulators live across it, and the JIT
    // then spills them to the stack inside the loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows8(float* a, int lda, int kCount, float* panel, float* bias, bool relu, float* c, int ldc, in Masks cols)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default,
            c31 = default,
                         c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default,
                             c71 = default;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda, a6 = a + 6 * lda,
            a7 = a + 7 * lda;
        var bp = panel;
        for (var k = 0; k < kCount; k++, bp += PackedMatrix.PanelWidth)
        {
            var b0 = Vector512.Load(bp);
            var b1 = Vector512.Load(bp + 16);
            var x = Vector512.Create(a0[k]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a1[k]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a2[k]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a3[k]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a4[k]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a5[k]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a6[k]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a7[k]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
        }
        Store(c, c00, c01, bias, relu, cols);
        Store(c + ldc, c10, c11, bias, relu, cols);
        Store(c + 2 * ldc, c20, c21, bias, relu, cols);
        Store(c + 3 * ldc, c30, c31, bias, relu, cols);
        Store(c + 4 * ldc, c40, c41, bias, relu, cols);
        Store(c + 5 * ldc, c50, c51, bias, relu, cols);
        Store(c + 6 * ldc, c60, c61, bias, relu, cols);
        Store(c + 7 * ldc, c70, c71, bias, relu, cols);
    }

    /// <summary><see cref="Rows8"/> for a panel's first 16 columns only (the others do not exist): the same FMAs for those.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows8Half(float* a, int lda, int kCount, float* panel, float* bias, bool relu, float* c, int ldc, in Masks cols)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default,
            c7 = default;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda, a6 = a + 6 * lda,
            a7 = a + 7 * lda;
        var bp = panel;
        for (var k = 0; k < kCount; k++, bp += PackedMatrix.PanelWidth)
        {
            var b0 = Vector512.Load(bp);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a0[k]), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a1[k]), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a2[k]), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a3[k]), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a4[k]), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a5[k]), b0, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a6[k]), b0, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a7[k]), b0, c7);
        }
        StoreHalf(c, c0, bias, relu, cols);
        StoreHalf(c + ldc, c1, bias, relu, cols);
        StoreHalf(c + 2 * ldc, c2, bias, relu, cols);
        StoreHalf(c + 3 * ldc, c3, bias, relu, cols);
        StoreHalf(c + 4 * ldc, c4, bias, relu, cols);
        StoreHalf(c + 5 * ldc, c5, bias, relu, cols);
        StoreHalf(c + 6 * ldc, c6, bias, relu, cols);
        StoreHalf(c + 7 * ldc, c7, bias, relu, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreHalf(float* c, Vector512<float> lo, float* bias, bool relu, in Masks cols)
    {
        if (bias != null) lo += Vector512.Load(bias);
        if (relu) lo = Vector512.Max(lo, Vector512<float>.Zero);
        Avx512F.MaskStore(c, cols.Lo, lo);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Rows1(float* a, int kCount, float* panel, float* bias, bool relu, float* c, in Masks cols)
    {
        Vector512<float> c0 = default, c1 = default;
        var bp = panel;
        for (var k = 0; k < kCount; k++, bp += PackedMatrix.PanelWidth)
        {
            var x = Vector512.Create(a[k]);
            c0 = Avx512F.FusedMultiplyAdd(x, Vector512.Load(bp), c0);
            c1 = Avx512F.FusedMultiplyAdd(x, Vector512.Load(bp + 16), c1);
        }
        Store(c, c0, c1, bias, relu, cols);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Transposed8(float* a, int lda, float* b, int ldb, int rows, float* c, int ldc, in Masks cols)
    {
        var (lo, hi) = (cols.Lo, cols.Hi);
        Vector512<float> c00 = Load(c, lo), c01 = Load(c + 16, hi), c10 = Load(c + ldc, lo), c11 = Load(c + ldc + 16, hi),
            c20 = Load(c + 2 * ldc, lo), c21 = Load(c + 2 * ldc + 16, hi), c30 = Load(c + 3 * ldc, lo), c31 = Load(c + 3 * ldc + 16, hi),
            c40 = Load(c + 4 * ldc, lo), c41 = Load(c + 4 * ldc + 16, hi), c50 = Load(c + 5 * ldc, lo), c51 = Load(c + 5 * ldc + 16, hi),
            c60 = Load(c + 6 * ldc, lo), c61 = Load(c + 6 * ldc + 16, hi), c70 = Load(c + 7 * ldc, lo), c71 = Load(c + 7 * ldc + 16, hi);
        for (var r = 0; r < rows; r++, a += lda, b += ldb)
        {
            var b0 = Avx512F.MaskLoad(b, lo, Vector512<float>.Zero);
            var b1 = Avx512F.MaskLoad(b + 16, hi, Vector512<float>.Zero);
            var x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
        }
        Avx512F.MaskStore(c, lo, c00); Avx512F.MaskStore(c + 16, hi, c01);
        Avx512F.MaskStore(c + ldc, lo, c10); Avx512F.MaskStore(c + ldc + 16, hi, c11);
        Avx512F.MaskStore(c + 2 * ldc, lo, c20); Avx512F.MaskStore(c + 2 * ldc + 16, hi, c21);
        Avx512F.MaskStore(c + 3 * ldc, lo, c30); Avx512F.MaskStore(c + 3 * ldc + 16, hi, c31);
        Avx512F.MaskStore(c + 4 * ldc, lo, c40); Avx512F.MaskStore(c + 4 * ldc + 16, hi, c41);
        Avx512F.MaskStore(c + 5 * ldc, lo, c50); Avx512F.MaskStore(c + 5 * ldc + 16, hi, c51);
        Avx512F.MaskStore(c + 6 * ldc, lo, c60); Avx512F.MaskStore(c + 6 * ldc + 16, hi, c61);
        Avx512F.MaskStore(c + 7 * ldc, lo, c70); Avx512F.MaskStore(c + 7 * ldc + 16, hi, c71);
    }

    /// <summary>Four rows of C (DNN1's K = 15 is 8 + 4 + 3 rows): eight accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Transposed4(float* a, int lda, float* b, int ldb, int rows, float* c, int ldc, in Masks cols)
    {
        var (lo, hi) = (cols.Lo, cols.Hi);
        Vector512<float> c00 = Load(c, lo), c01 = Load(c + 16, hi), c10 = Load(c + ldc, lo), c11 = Load(c + ldc + 16, hi),
            c20 = Load(c + 2 * ldc, lo), c21 = Load(c + 2 * ldc + 16, hi), c30 = Load(c + 3 * ldc, lo), c31 = Load(c + 3 * ldc + 16, hi);
        for (var r = 0; r < rows; r++, a += lda, b += ldb)
        {
            var b0 = Avx512F.MaskLoad(b, lo, Vector512<float>.Zero);
            var b1 = Avx512F.MaskLoad(b + 16, hi, Vector512<float>.Zero);
            var x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
        }
        Avx512F.MaskStore(c, lo, c00); Avx512F.MaskStore(c + 16, hi, c01);
        Avx512F.MaskStore(c + ldc, lo, c10); Avx512F.MaskStore(c + ldc + 16, hi, c11);
        Avx512F.MaskStore(c + 2 * ldc, lo, c20); Avx512F.MaskStore(c + 2 * ldc + 16, hi, c21);
        Avx512F.MaskStore(c + 3 * ldc, lo, c30); Avx512F.MaskStore(c + 3 * ldc + 16, hi, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Transposed1(float* a, int lda, float* b, int ldb, int rows, float* c, in Masks cols)
    {
        var (lo, hi) = (cols.Lo, cols.Hi);
        Vector512<float> c0 = Load(c, lo), c1 = Load(c + 16, hi);
        for (var r = 0; r < rows; r++, a += lda, b += ldb)
        {
            var x = Vector512.Create(a[0]);
            c0 = Avx512F.FusedMultiplyAdd(x, Avx512F.MaskLoad(b, lo, Vector512<float>.Zero), c0);
            c1 = Avx512F.FusedMultiplyAdd(x, Avx512F.MaskLoad(b + 16, hi, Vector512<float>.Zero), c1);
        }
        Avx512F.MaskStore(c, lo, c0);
        Avx512F.MaskStore(c + 16, hi, c1);
    }

    /// <summary>The columns of a panel that exist; the others read as 0 (a masked load never touches them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Load(float* p, Vector512<float> mask) => Avx512F.MaskLoad(p, mask, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(float* c, Vector512<float> lo, Vector512<float> hi, float* bias, bool relu, in Masks cols)
    {
        if (bias != null)
        {
            lo += Vector512.Load(bias);
            hi += Vector512.Load(bias + 16);
        }
        if (relu)
        {
            lo = Vector512.Max(lo, Vector512<float>.Zero);
            hi = Vector512.Max(hi, Vector512<float>.Zero);
        }
        Avx512F.MaskStore(c, cols.Lo, lo);
        Avx512F.MaskStore(c + 16, cols.Hi, hi);
    }
}
