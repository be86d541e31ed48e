using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Genre.Bench;

/// <summary>
/// The CPU's float32 fused-multiply-add peak, the limit every training and inference figure is measured against (issue 28):
/// each thread runs 16 independent FMA chains on the widest vectors the CPU has (Vector512 with AVX-512, else Vector256 with
/// FMA3). Sixteen chains cover the FMA latency (4 cycles) times the FMA pipes (2) with room to spare, so the loop is bound by
/// throughput, not latency; nothing touches memory. A libtorch sgemm reaches a share of this, never more.
/// </summary>
public static class PhysicalPeak
{
    const int Chains = 16;

    /// <summary>The vector width the probe used, in float32 lanes.</summary>
    public static int Lanes => Avx512F.IsSupported ? 16 : Fma.IsSupported ? 8 : 0;

    /// <summary>FLOP/s with <paramref name="threads"/> threads each running the chains for about <paramref name="seconds"/> s.</summary>
    public static double Measure(int threads, double seconds = 0.6)
    {
        if (Lanes == 0) return double.NaN;
        Kernel(10_000); // JIT and warm-up
        var calibrate = Stopwatch.StartNew();
        Kernel(2_000_000);
        var iterations = (long)(2_000_000 * seconds / calibrate.Elapsed.TotalSeconds);
        var best = double.MaxValue;
        for (var rep = 0; rep < 3; rep++)
        {
            using var start = new Barrier(threads + 1);
            var sink = new float[threads];
            var workers = Enumerable.Range(0, threads).Select(k => new Thread(() =>
            {
                start.SignalAndWait();
                sink[k] = Kernel(iterations);
            })).ToArray();
            foreach (var w in workers) w.Start();
            start.SignalAndWait();
            var sw = Stopwatch.StartNew();
            foreach (var w in workers) w.Join();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            if (sink.Any(float.IsNaN)) throw new InvalidOperationException("the chains overflowed"); // keeps the result live
        }
        return 2.0 * Lanes * Chains * iterations * threads / best;
    }

    static float Kernel(long iterations) => Avx512F.IsSupported ? Kernel512(iterations) : Kernel256(iterations);

    // x ← x·m + a with m just below 1 converges instead of overflowing, whatever the iteration count
    [MethodImpl(MethodImplOptions.NoInlining)]
    static float Kernel512(long iterations)
    {
        var m = Vector512.Create(0.9999999f);
        var a = Vector512.Create(1e-7f);
        Vector512<float> x0 = Vector512.Create(0.1f), x1 = Vector512.Create(0.2f), x2 = Vector512.Create(0.3f);
        Vector512<float> x3 = Vector512.Create(0.4f), x4 = Vector512.Create(0.5f), x5 = Vector512.Create(0.6f);
        Vector512<float> x6 = Vector512.Create(0.7f), x7 = Vector512.Create(0.8f), x8 = Vector512.Create(0.9f);
        Vector512<float> x9 = Vector512.Create(1.0f), x10 = Vector512.Create(1.1f), x11 = Vector512.Create(1.2f);
        Vector512<float> x12 = Vector512.Create(1.3f), x13 = Vector512.Create(1.4f), x14 = Vector512.Create(1.5f);
        Vector512<float> x15 = Vector512.Create(1.6f);
        for (long i = 0; i < iterations; i++)
        {
            x0 = Avx512F.FusedMultiplyAdd(x0, m, a); x1 = Avx512F.FusedMultiplyAdd(x1, m, a);
            x2 = Avx512F.FusedMultiplyAdd(x2, m, a); x3 = Avx512F.FusedMultiplyAdd(x3, m, a);
            x4 = Avx512F.FusedMultiplyAdd(x4, m, a); x5 = Avx512F.FusedMultiplyAdd(x5, m, a);
            x6 = Avx512F.FusedMultiplyAdd(x6, m, a); x7 = Avx512F.FusedMultiplyAdd(x7, m, a);
            x8 = Avx512F.FusedMultiplyAdd(x8, m, a); x9 = Avx512F.FusedMultiplyAdd(x9, m, a);
            x10 = Avx512F.FusedMultiplyAdd(x10, m, a); x11 = Avx512F.FusedMultiplyAdd(x11, m, a);
            x12 = Avx512F.FusedMultiplyAdd(x12, m, a); x13 = Avx512F.FusedMultiplyAdd(x13, m, a);
            x14 = Avx512F.FusedMultiplyAdd(x14, m, a); x15 = Avx512F.FusedMultiplyAdd(x15, m, a);
        }
        var sum = ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7)) + ((x8 + x9) + (x10 + x11)) + ((x12 + x13) + (x14 + x15));
        return Vector512.Sum(sum);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static float Kernel256(long iterations)
    {
        var m = Vector256.Create(0.9999999f);
        var a = Vector256.Create(1e-7f);
        Vector256<float> x0 = Vector256.Create(0.1f), x1 = Vector256.Create(0.2f), x2 = Vector256.Create(0.3f);
        Vector256<float> x3 = Vector256.Create(0.4f), x4 = Vector256.Create(0.5f), x5 = Vector256.Create(0.6f);
        Vector256<float> x6 = Vector256.Create(0.7f), x7 = Vector256.Create(0.8f), x8 = Vector256.Create(0.9f);
        Vector256<float> x9 = Vector256.Create(1.0f), x10 = Vector256.Create(1.1f), x11 = Vector256.Create(1.2f);
        Vector256<float> x12 = Vector256.Create(1.3f), x13 = Vector256.Create(1.4f), x14 = Vector256.Create(1.5f);
        Vector256<float> x15 = Vector256.Create(1.6f);
        for (long i = 0; i < iterations; i++)
        {
            x0 = Fma.MultiplyAdd(x0, m, a); x1 = Fma.MultiplyAdd(x1, m, a); x2 = Fma.MultiplyAdd(x2, m, a);
            x3 = Fma.MultiplyAdd(x3, m, a); x4 = Fma.MultiplyAdd(x4, m, a); x5 = Fma.MultiplyAdd(x5, m, a);
            x6 = Fma.MultiplyAdd(x6, m, a); x7 = Fma.MultiplyAdd(x7, m, a); x8 = Fma.MultiplyAdd(x8, m, a);
            x9 = Fma.MultiplyAdd(x9, m, a); x10 = Fma.MultiplyAdd(x10, m, a); x11 = Fma.MultiplyAdd(x11, m, a);
            x12 = Fma.MultiplyAdd(x12, m, a); x13 = Fma.MultiplyAdd(x13, m, a); x14 = Fma.MultiplyAdd(x14, m, a);
            x15 = Fma.MultiplyAdd(x15, m, a);
        }
        var sum = ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7)) + ((x8 + x9) + (x10 + x11)) + ((x12 + x13) + (x14 + x15));
        return Vector256.Sum(sum);
    }
}
