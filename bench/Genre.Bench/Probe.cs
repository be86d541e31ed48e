using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Bench;

/// <summary>Quick timing of the pieces of one RNN1 batch (forward, backward) and a matmul, to find where time goes.</summary>
public static class Probe
{
    public static void Run(int threads, bool tune)
    {
        if (tune) Genre.Models.Backend.Torch.NativeRuntime.Tune();
        Console.WriteLine($"malloc tuning: {tune}");
        set_num_threads(threads);
        var sw = Stopwatch.StartNew();
        using var a = randn(10000, 80);
        using var b = randn(80, 320);
        for (var i = 0; i < 3; i++) using (a.matmul(b)) { }
        sw.Restart();
        for (var i = 0; i < 100; i++) using (a.matmul(b)) { }
        var mm = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"threads {threads}: 100 × (10000×80 @ 80×320): {mm:F3}s = {100 * 2.0 * 10000 * 80 * 320 / mm / 1e9:F1} GFLOP/s");
        var w = randn(1, 320).requires_grad_(true);
        var u = randn(80, 320).mul(0.1).requires_grad_(true);
        var bias = zeros(320).requires_grad_(true);
        var x = rand(10000, 15, 1);
        for (var rep = 0; rep < 3; rep++)
        {
            using var scope = NewDisposeScope();
            sw.Restart();
            var proj = x.reshape(150000, 1).matmul(w).add(bias).reshape(10000, 15, 320).unbind(1);
            var h = zeros(10000, 80);
            var c = zeros(10000, 80);
            for (var t = 0; t < 15; t++)
            {
                var z = proj[t].add(h.matmul(u));
                var g = z.chunk(4, 1);
                c = g[1].sigmoid() * c + g[0].sigmoid() * g[2].tanh();
                h = g[3].sigmoid() * c.tanh();
            }
            var loss = h.sum();
            var fwd = sw.Elapsed.TotalSeconds;
            loss.backward();
            Console.WriteLine($"  LSTM(80) batch 10000: forward {fwd:F3}s, backward {sw.Elapsed.TotalSeconds - fwd:F3}s");
            w.grad?.zero_(); u.grad?.zero_(); bias.grad?.zero_();
        }
    }
}
