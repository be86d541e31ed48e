using System.Diagnostics;
using Genre.Models.Backend.Torch;
using static TorchSharp.torch;

namespace Genre.Bench;

/// <summary>
/// <c>Genre.Bench gemm THREADS</c>: float32 gemm throughput for the authors' models' layer shapes (a pass of rows times a layer's
/// weights), libtorch's addmm (MKL) against <see cref="Sgemm"/>, the kernels training and prediction use; best of 300 runs each.
/// </summary>
public static class Gemm
{
    /// <summary>One gemm on one shape, m rows of A (K wide) and n columns of the product: libtorch's and genre's FLOP/s.
    /// <paramref name="Transposed"/>: Aᵀ·B, the weight gradient (A is m × k, B m × n), else A·B.</summary>
    public sealed record Rate(bool Transposed, int M, int K, int N, double Libtorch, double Genre)
    {
        public string Product => Transposed ? "Aᵀ·B" : "A·B";
        public string Shape => Transposed ? $"({M}×{K})ᵀ @ {M}×{N}" : $"{M}×{K} @ {K}×{N}";
    }

    public static void Run(int threads)
    {
        TorchRuntime.Configure(new TorchOptions(threads));
        Console.WriteLine($"Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Avx512F: " +
            $"{System.Runtime.Intrinsics.X86.Avx512F.IsSupported}");
        foreach (var r in Measure()) Console.WriteLine($"{r.Product} {r.Shape}: libtorch {r.Libtorch / 1e9:F1} GFLOP/s, " +
            $"Sgemm {r.Genre / 1e9:F1} GFLOP/s");
    }

    /// <summary>
    /// A·B (forward, and the input gradients' dZ·Wᵀ) and Aᵀ·B (the weight gradients) on the shapes of training's lanes and of
    /// prediction: RNN2's second LSTM (140 rows of [h | x | 1], K = 231, 4H = 600), RNN1's LSTM (K = 82, 320), RNN2's dh
    /// (600 → 150), DNN1's layers (K = 15 first), on the calling thread's libtorch thread count.
    /// </summary>
    public static IEnumerable<Rate> Measure()
    {
        foreach (var (m, k, n) in new[] { (140, 231, 600), (128, 82, 320), (140, 600, 150), (128, 15, 100), (128, 100, 150),
                     (128, 150, 150), (128, 150, 114), (128, 150, 100), (128, 114, 150), (512, 231, 600) })
        {
            using var a = randn(m, k);
            using var b = randn(k, n);
            using var c = empty(m, n);
            var packed = new PackedMatrix(b.data<float>().ToArray(), k, n);
            var av = a.data<float>().ToArray();
            var cv = new float[m * n];
            double Time(Action f)
            {
                for (var i = 0; i < 50; i++) f();
                var best = double.MaxValue;
                for (var rep = 0; rep < 300; rep++) { var sw = Stopwatch.StartNew(); f(); best = Math.Min(best, sw.Elapsed.TotalSeconds); }
                return 2.0 * m * k * n / best;
            }
            yield return new Rate(false, m, k, n, Time(() => c.addmm_(a, b, 0, 1)),
                Time(() => Sgemm.Multiply(av, k, m, k, packed, 0, false, cv, n)));
            using var g = randn(m, n);
            using var dw = zeros(k, n);
            var gv = g.data<float>().ToArray();
            var dwv = new float[k * n];
            yield return new Rate(true, m, k, n, Time(() => dw.addmm_(a.t(), g, 1, 1)),
                Time(() => Sgemm.AccumulateTransposed(av, k, gv, n, m, k, n, dwv, n)));
        }
    }
}
