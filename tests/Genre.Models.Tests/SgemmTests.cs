using System.Runtime.Intrinsics.X86;

namespace Genre.Models.Tests;

/// <summary>The prediction gemm against a float64 loop: odd row counts, a partial last panel, a strided A, a K offset, bias and
/// relu.</summary>
public class SgemmTests
{
    [Avx512Theory]
    [InlineData(13, 7, 45, 0, false)]
    [InlineData(8, 231, 600, 0, true)]
    [InlineData(21, 150, 114, 3, true)]
    [InlineData(1, 1, 1, 0, false)]
    [InlineData(140, 82, 320, 0, false)]
    [InlineData(16, 320, 80, 0, true)] // RNN1's dh₋₁: a last panel of exactly 16 columns (Rows8Half)
    [InlineData(24, 40, 7, 2, true)] // only a half panel
    public void Multiply_matches_a_float64_loop(int m, int k, int n, int kStart, bool relu) =>
        MultiplyMatches(SgemmWidth.V512, m, k, n, kStart, relu);

    [Avx2Theory]
    [InlineData(13, 7, 45, 0, false)]
    [InlineData(8, 231, 600, 0, true)]
    [InlineData(21, 150, 114, 3, true)]
    [InlineData(1, 1, 1, 0, false)]
    [InlineData(6, 15, 100, 0, true)]
    public void The_256_bit_Multiply_matches_a_float64_loop(int m, int k, int n, int kStart, bool relu) =>
        MultiplyMatches(SgemmWidth.V256, m, k, n, kStart, relu);

    static void MultiplyMatches(SgemmWidth width, int m, int k, int n, int kStart, bool relu)
    {
        var r = new Random(m * 1000 + k);
        int lda = k + 5, ldc = n + 3, kTotal = k + kStart;
        var a = Enumerable.Range(0, m * lda).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, kTotal * n).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var bias = Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var packed = new PackedMatrix(b, kTotal, n, bias);
        var c = Enumerable.Repeat(float.NaN, m * ldc).ToArray();
        Sgemm.Multiply(a, lda, m, k, packed, kStart, relu, c, ldc, width);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = bias[j];
                for (var q = 0; q < k; q++) sum += (double)a[i * lda + q] * b[(kStart + q) * n + j];
                if (relu) sum = Math.Max(sum, 0);
                Assert.True(Math.Abs(sum - c[i * ldc + j]) <= 1e-5 * Math.Max(1, Math.Abs(sum)),
                    $"C[{i}, {j}] = {c[i * ldc + j]}, expected {sum}");
            }
            for (var j = n; j < ldc; j++) Assert.True(float.IsNaN(c[i * ldc + j]), "wrote past the row");
        }
    }

    [Avx512Theory]
    [InlineData(140, 231, 600)]
    [InlineData(13, 82, 320)]
    [InlineData(1, 1, 1)]
    [InlineData(9, 17, 45)]
    [InlineData(128, 15, 100)]
    public void AccumulateTransposed_adds_At_B_to_C_as_a_float64_loop(int rows, int m, int n) =>
        AccumulateMatches(SgemmWidth.V512, rows, m, n);

    [Avx2Theory]
    [InlineData(140, 231, 600)]
    [InlineData(1, 1, 1)]
    [InlineData(9, 17, 45)]
    [InlineData(128, 15, 100)]
    public void The_256_bit_AccumulateTransposed_adds_At_B_to_C_as_a_float64_loop(int rows, int m, int n) =>
        AccumulateMatches(SgemmWidth.V256, rows, m, n);

    static void AccumulateMatches(SgemmWidth width, int rows, int m, int n)
    {
        var r = new Random(rows * 1000 + m);
        int lda = m + 3, ldb = n + 5, ldc = n + 2;
        var a = Enumerable.Range(0, rows * lda).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, rows * ldb).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var c = Enumerable.Range(0, m * ldc).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var before = c.ToArray();
        Sgemm.AccumulateTransposed(a, lda, b, ldb, rows, m, n, c, ldc, width);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = before[i * ldc + j];
                for (var q = 0; q < rows; q++) sum += (double)a[q * lda + i] * b[q * ldb + j];
                Assert.True(Math.Abs(sum - c[i * ldc + j]) <= 1e-5 * Math.Max(1, Math.Abs(sum)),
                    $"C[{i}, {j}] = {c[i * ldc + j]}, expected {sum}");
            }
            for (var j = n; j < ldc; j++) Assert.Equal(before[i * ldc + j], c[i * ldc + j]); // past the row: untouched
        }
    }

    [Avx512Fact]
    public void AccumulateTransposed_sums_each_element_in_row_order_whatever_its_tile() => SumsInRowOrder(SgemmWidth.V512);

    [Avx2Fact]
    public void The_256_bit_AccumulateTransposed_sums_each_element_in_row_order_whatever_its_tile() =>
        SumsInRowOrder(SgemmWidth.V256);

    static void SumsInRowOrder(SgemmWidth width)
    {
        // An element's sum must not depend on where it falls in a tile (8-row tile or tail row, full or masked panel): the
        // backward passes rely on it for results that are bit-identical across chunkings of the columns.
        var r = new Random(5);
        const int rows = 37, m = 23, n = 70; // 8 + 8 + 4 + 3 rows of C
        var a = Enumerable.Range(0, rows * m).Select(_ => (float)(r.NextDouble() - 0.5) * 1e3f).ToArray();
        var b = Enumerable.Range(0, rows * n).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var c = new float[m * n];
        Sgemm.AccumulateTransposed(a, m, b, n, rows, m, n, c, n, width);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var q = 0; q < rows; q++) sum = MathF.FusedMultiplyAdd(a[q * m + i], b[q * n + j], sum);
                Assert.Equal(sum, c[i * n + j]);
            }
    }

    /// <summary>
    /// The kernels write C's m × n elements and nothing else: C sits tight (ldc = n) inside a buffer with guard floats before
    /// and after, for every tail there is (rows 1–17 and 63–71 against the tiles and 64-row blocks, columns 1–70 against 16-
    /// and 32-wide panels, K 1–9). An unmasked store past a row's end would corrupt memory genre does not own (a tensor's
    /// neighbour on the native heap, or a managed object next to a pooled array).
    /// </summary>
    [Avx512Fact]
    public void The_kernels_write_inside_C_only() => WriteInsideC(SgemmWidth.V512);

    [Avx2Fact]
    public void The_256_bit_kernels_write_inside_C_only() => WriteInsideC(SgemmWidth.V256);

    static void WriteInsideC(SgemmWidth width)
    {
        const int guard = 64;
        var r = new Random(17);
        foreach (var m in Enumerable.Range(1, 17).Concat([63, 64, 65, 71]))
            for (var n = 1; n <= 70; n += m % 3 + 1)
            {
                var k = 1 + (m + n) % 9;
                var a = Enumerable.Range(0, m * k).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
                var b = Enumerable.Range(0, Math.Max(m, k) * n).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
                var packed = new PackedMatrix(b.AsSpan(0, k * n), k, n, b.AsSpan(0, n));
                var buffer = Enumerable.Repeat(float.NaN, guard + m * n + guard).ToArray();
                foreach (var relu in new[] { false, true })
                {
                    Sgemm.Multiply(a, k, m, k, packed, 0, relu, buffer.AsSpan(guard, m * n), n, width);
                    AssertGuards(buffer, guard, m * n, $"Multiply {m} × {k} × {n}");
                }
                // Aᵀ·B: rows = m, C is k × n
                var dc = Enumerable.Repeat(float.NaN, guard + k * n + guard).ToArray();
                dc.AsSpan(guard, k * n).Clear();
                Sgemm.AccumulateTransposed(a, k, b, n, m, k, n, dc.AsSpan(guard, k * n), n, width);
                AssertGuards(dc, guard, k * n, $"AccumulateTransposed {m} rows, {k} × {n}");
            }
    }

    static void AssertGuards(float[] buffer, int guard, int length, string what)
    {
        for (var i = 0; i < guard; i++)
        {
            Assert.True(float.IsNaN(buffer[i]), $"{what}: wrote {guard - i} floats before C");
            Assert.True(float.IsNaN(buffer[guard + length + i]), $"{what}: wrote {i + 1} floats past C");
        }
        for (var i = 0; i < length; i++) Assert.False(float.IsNaN(buffer[guard + i]), $"{what}: element {i} of C not written");
    }

    [Avx512Theory]
    [InlineData(600, 150, 600)]
    [InlineData(320, 80, 320)]
    [InlineData(37, 5, 41)]
    public void A_transposed_pack_multiplies_as_the_transpose(int k, int n, int stride)
    {
        var r = new Random(k + n);
        const int m = 11;
        var source = Enumerable.Range(0, n * stride).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray(); // n × stride, row-major
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var c = new float[m * n];
        Sgemm.Multiply(a, k, m, k, PackedMatrix.Transposed(source, stride, k, n), 0, false, c, n);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var q = 0; q < k; q++) sum += (double)a[i * k + q] * source[j * stride + q]; // B[q, j] = source[j, q]
                Assert.True(Math.Abs(sum - c[i * n + j]) <= 1e-5 * Math.Max(1, Math.Abs(sum)), $"C[{i}, {j}]");
            }
    }
}

/// <summary>Needs AVX-512F in hardware (the prediction gemm's kernels); skipped by name otherwise.</summary>
public sealed class Avx512TheoryAttribute : TheoryAttribute
{
    public Avx512TheoryAttribute()
    {
        if (!Avx512F.IsSupported) Skip = "needs a CPU with AVX-512F (the 512-bit kernels)";
    }
}

/// <summary>Needs AVX-512F in hardware; skipped by name otherwise.</summary>
public sealed class Avx512FactAttribute : FactAttribute
{
    public Avx512FactAttribute()
    {
        if (!Avx512F.IsSupported) Skip = "needs a CPU with AVX-512F (the 512-bit kernels)";
    }
}

/// <summary>Needs AVX2 and FMA in hardware (the 256-bit kernels); skipped by name otherwise.</summary>
public sealed class Avx2TheoryAttribute : TheoryAttribute
{
    public Avx2TheoryAttribute()
    {
        if (!(Avx2.IsSupported && Fma.IsSupported)) Skip = "needs a CPU with AVX2 and FMA (the 256-bit kernels)";
    }
}

/// <summary>Needs AVX2 and FMA in hardware (the 256-bit kernels); skipped by name otherwise.</summary>
public sealed class Avx2FactAttribute : FactAttribute
{
    public Avx2FactAttribute()
    {
        if (!(Avx2.IsSupported && Fma.IsSupported)) Skip = "needs a CPU with AVX2 and FMA (the 256-bit kernels)";
    }
}

/// <summary>Needs a CPU <see cref="Sgemm"/> supports (AVX-512F, or AVX2 with FMA; elsewhere training and prediction use
/// libtorch's gemm); skipped by name otherwise.</summary>
public sealed class SgemmTheoryAttribute : TheoryAttribute
{
    public SgemmTheoryAttribute()
    {
        if (!Sgemm.Supported) Skip = "needs a CPU with AVX-512F or AVX2 and FMA (elsewhere genre uses libtorch's gemm)";
    }
}
