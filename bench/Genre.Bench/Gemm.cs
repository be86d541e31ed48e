using System.Diagnostics;
using Genre.Models.Backend.Torch;
using static TorchSharp.torch;

namespace Genre.Bench;

/// <summary>
/// <c>Genre.Bench gemm THREADS</c>: float32 gemm throughput for the authors' models' layer shapes (a pass of rows times a layer's
/// weights), libtorch's addmm (MKL) against <see cref="Sgemm"/>, the kernels prediction uses; best of 300 runs each.
/// </summary>
public static class Gemm
{
    public static void Run(int threads)
    {
        TorchRuntime.Configure(new TorchOptions(threads));
        Console.WriteLine($"Vector512 accelerated: {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}, Avx512F: " +
            $"{System.Runtime.Intrinsics.X86.Avx512F.IsSupported}");
        foreach (var (m, k, n) in new[] { (1024, 100, 150), (1024, 150, 150), (1024, 150, 114), (512, 231, 600), (512, 82, 320),
                     (140, 231, 600), (128, 82, 320), (140, 600, 150), (128, 15, 100) })
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
                return 2.0 * m * k * n / best / 1e9;
            }
            var torchRate = Time(() => c.addmm_(a, b, 0, 1));
            var oursRate = Time(() => Sgemm.Multiply(av, k, m, k, packed, 0, false, cv, n));
            Console.WriteLine($"{m}x{k} @ {k}x{n}: libtorch {torchRate:F1} GFLOP/s, Sgemm {oursRate:F1} GFLOP/s");
            // the weight gradient's shape: C (k × n) += Aᵀ·B with A (m × k) and B (m × n), as training's backward passes
            using var g = randn(m, n);
            using var dw = zeros(k, n);
            var gv = g.data<float>().ToArray();
            var dwv = new float[k * n];
            var torchGrad = Time(() => dw.addmm_(a.t(), g, 1, 1));
            var oursGrad = Time(() => Sgemm.AccumulateTransposed(av, k, gv, n, m, k, n, dwv, n));
            Console.WriteLine($"  ({m}x{k})ᵀ @ {m}x{n}: libtorch {torchGrad:F1} GFLOP/s, Sgemm {oursGrad:F1} GFLOP/s");
        }
    }
}
