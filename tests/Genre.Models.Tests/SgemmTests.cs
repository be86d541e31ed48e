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
    public void Multiply_matches_a_float64_loop(int m, int k, int n, int kStart, bool relu)
    {
        var r = new Random(m * 1000 + k);
        int lda = k + 5, ldc = n + 3, kTotal = k + kStart;
        var a = Enumerable.Range(0, m * lda).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, kTotal * n).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var bias = Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        var packed = new PackedMatrix(b, kTotal, n, bias);
        var c = Enumerable.Repeat(float.NaN, m * ldc).ToArray();
        Sgemm.Multiply(a, lda, m, k, packed, kStart, relu, c, ldc);
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
}

/// <summary>Needs AVX-512F in hardware (the prediction gemm's kernels); skipped by name otherwise.</summary>
public sealed class Avx512TheoryAttribute : TheoryAttribute
{
    public Avx512TheoryAttribute()
    {
        if (!Sgemm.Supported) Skip = "needs a CPU with AVX-512F (elsewhere prediction uses libtorch's gemm)";
    }
}
