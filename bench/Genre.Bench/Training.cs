using System.Diagnostics;
using Genre.Models;
using Genre.Models.Backend.Torch;
using Genre.Models.Import;
using LanguageExt;
using static LanguageExt.Prelude;
using static TorchSharp.torch;

namespace Genre.Bench;

/// <summary>
/// One training epoch (72,671 rows, batch 10,000, validation on 18,168) for RNN1, RNN2, DNN1; inference of the five
/// SavedModels on 22,710 rows; and the machine's float32 matmul peak through the same backend — each model figure
/// reported against its FLOP floor (model FLOPs ÷ peak).
/// </summary>
public static class Training
{
    const int Train = 72_671, Val = 18_168, Test = 22_710, Batch = 10_000;

    /// <summary>The report's seven models, trained by genre: one paper-profile epoch each (batch 10,000).</summary>
    static readonly (string Name, Sequential Spec)[] Models =
    {
        ("rnn1", Zoo.Rnn1()), ("rnn2", Zoo.Rnn2()), ("dnn1", Zoo.Dnn1()), ("dnn2", Zoo.Dnn2()), ("reduced-rnn1", Zoo.ReducedRnn1()),
        ("mlp", Zoo.Mlp()), ("softmax", Zoo.Softmax()),
    };

    public static void Run(int threads, string authorsDir, string outFile)
    {
        TorchRuntime.Configure(new TorchOptions(threads));
        var own = new TorchBackend();
        var libtorch = new TorchBackend(ownGemm: false);
        var physical = Enumerable.Range(1, threads).Select(n => PhysicalPeak.Measure(n)).ToArray();
        var peak = Peak();
        var lines = new List<string>
        {
            $"# Training speed vs the CPU's peak ({DateTime.UtcNow:yyyy-MM-dd}, {threads} threads, TorchSharp 0.107 / libtorch 2.10 CPU)",
            "",
            $"Host: {Cpu()}.",
            "",
            $"Physical float32 FMA peak (`PhysicalPeak`: 16 independent {PhysicalPeak.Lanes * 32}-bit FMA chains per thread, best of 3): " +
                string.Join(", ", physical.Select((f, i) => $"{i + 1} thread{(i == 0 ? "" : "s")} **{f / 1e9:F0} GFLOP/s**")) + ".",
            "",
            $"float32 matmul through the backend, the old floor (libtorch sgemm, 10,000×80 @ 80×320, best of 5×20): " +
                $"**{peak / 1e9:F1} GFLOP/s**, {peak / physical[^1]:P0} of the physical peak.",
            "",
            "Training epochs: the same epoch with training's gemms on libtorch (`TorchBackend(ownGemm: false)`, what genre ran before) " +
                "and on genre's own kernels (`Sgemm`, the default where the CPU has AVX-512F; a dense net's training pass is then " +
                "one `FusedDenseStack` node, an LSTM classifier's — RNN1, reduced RNN1 — one `FusedLstmClassifier` node), each the " +
                "best of four timed epochs after a warm-up, alternating (one epoch moves by up to 30 % between runs on this host), " +
                "after one epoch of every model first, so that no timed epoch runs on code the JIT has not yet optimized; inference " +
                "the best of nine after a second of predictions, each into one reused buffer (`PredictInto`).",
            "",
            "| workload | seconds | libtorch gemms s | speed-up | model GFLOP | GFLOP/s | share of sgemm | share of peak | " +
                "share of peak before |",
            "|---|---|---|---|---|---|---|---|---|",
        };
        string Row(string name, double seconds, Option<double> before, double flops) =>
            $"| {name} | {seconds:F3} | {before.Match(b => $"{b:F3}", () => "—")} | " +
            $"{before.Match(b => $"{b / seconds:F2}×", () => "—")} | {flops / 1e9:F2} | {flops / seconds / 1e9:F1} | " +
            $"{flops / seconds / peak:P0} | {flops / seconds / physical[^1]:P0} | " +
            $"{before.Match(b => $"{flops / b / physical[^1]:P0}", () => "—")} |";
        var dnn1Seconds = double.NaN;
        foreach (var (_, spec) in Models) Epoch(own, spec); // tiered compilation: every shared kernel optimized before timing
        foreach (var (name, spec) in Models)
        {
            var (after, before) = (double.MaxValue, double.MaxValue);
            for (var rep = 0; rep < 4; rep++)
            {
                before = Math.Min(before, Epoch(libtorch, spec));
                after = Math.Min(after, Epoch(own, spec));
            }
            var flops = 3 * Flops(spec) * Train + Flops(spec) * Val; // forward + backward (≈2× forward) on train, forward on val
            if (name == "dnn1") dnn1Seconds = after;
            lines.Add(Row($"{name} epoch (batch {Batch:N0})", after, before, flops));
            Console.WriteLine(lines[^1]);
        }
        foreach (var m in new[] { "RNN1net", "RNN2net", "DNN1net", "DNN2net", "reducedRNNnet" })
        {
            var dir = Path.Combine(authorsDir, m);
            if (!Directory.Exists(dir)) continue;
            var saved = SavedModel.Load(dir).Match(x => x, e => throw new Exception(e.Message));
            using var model = own.Load(saved.Spec, saved.Weights).Match(x => x, e => throw new Exception(e.Message));
            var x = Random(Test, 15, 1);
            var probabilities = new float[Test * saved.Spec.Classes().IfNone(Zoo.Genres)]; // one buffer, as a scoring loop keeps
            for (var warm = Stopwatch.StartNew(); warm.Elapsed.TotalSeconds < 1;) model.PredictInto(x, Test, probabilities, Batch);
            var best = double.MaxValue;
            for (var rep = 0; rep < 9; rep++)
            {
                var sw = Stopwatch.StartNew();
                model.PredictInto(x, Test, probabilities, Batch);
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }
            lines.Add(Row($"{m} inference ({Test:N0} rows)", best, None, Flops(saved.Spec) * Test));
            Console.WriteLine(lines[^1]);
        }
        lines.Add("");
        lines.Add("Model FLOPs count multiply-adds as 2 FLOPs in the matmuls (with Dense(250, linear) folded into RNN1's LSTM input " +
            "projection, as the backend does); elementwise gate math is not counted. A training epoch counts forward + backward " +
            "(≈ 3× forward) on the training rows and forward on the validation rows. Shares are of the figures above, measured in " +
            "this run with as many threads as the workloads; inference has always run on genre's own kernels (`Predictor`), so it " +
            "has no before column here.");
        lines.Add("");
        lines.Add("The gemm kernels alone on training's shapes (one lane's rows; best of 300, 1 thread), as shares of the 1-thread " +
            "peak:");
        lines.Add("");
        lines.Add("| product | shape | libtorch GFLOP/s | genre GFLOP/s | libtorch share | genre share |");
        lines.Add("|---|---|---|---|---|---|");
        TorchRuntime.Configure(new TorchOptions(1));
        var rates = Gemm.Measure().ToList();
        foreach (var k in rates) lines.Add($"| {k.Product} | {k.Shape} | {k.Libtorch / 1e9:F1} | {k.Genre / 1e9:F1} | " +
            $"{k.Libtorch / physical[0]:P0} | {k.Genre / physical[0]:P0} |");
        TorchRuntime.Configure(new TorchOptions(threads));
        lines.AddRange(Dnn1Breakdown(rates, dnn1Seconds, threads, physical));
        Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
        File.WriteAllLines(outFile, lines);
    }

    /// <summary>
    /// Where DNN1's epoch goes: its gemms (forward, d kernel = xᵀ·g, dX = g·kernelᵀ but for the first layer) timed at the rates the
    /// kernels reach alone on a lane's 128 rows, spread over the threads, against the measured epoch; the rest is the work around
    /// the gemms.
    /// </summary>
    static IEnumerable<string> Dnn1Breakdown(List<Gemm.Rate> rates, double epochSeconds, int threads, double[] physical)
    {
        double Rate(bool transposed, int k, int n) => rates.First(r => r.Transposed == transposed && (r.M, r.K, r.N) == (128, k, n)).Genre;
        var widths = new[] { 15, 100, 150, 150, 150, 114 };
        double first = 0, all = 0;
        for (var l = 0; l + 1 < widths.Length; l++)
        {
            var (k, n) = (widths[l], widths[l + 1]);
            var flop = 2.0 * k * n;
            var seconds = flop * (Train + Val) / Rate(false, k, n) + flop * Train / Rate(true, k, n)
                + (l > 0 ? flop * Train / Rate(false, n, k) : 0);
            all += seconds;
            if (l == 0) first = seconds;
        }
        var (gemms, firstShare) = (all / threads, first / all);
        yield return "";
        yield return $"DNN1's epoch ({epochSeconds:F3} s): its gemms at the rates above take {gemms:F3} s on {threads} " +
            $"thread{(threads == 1 ? "" : "s")} ({gemms / epochSeconds:P0} of the epoch); the first layer (K = 15) is {firstShare:P0} " +
            $"of that, its forward at {Rate(false, 15, 100) / physical[0]:P0} and its d kernel at " +
            $"{Rate(true, 15, 100) / physical[0]:P0} of a core's peak (15 products per output: loading and storing the tile of C " +
            $"is a large part of its work). The other {epochSeconds - gemms:F3} s ({(epochSeconds - gemms) / epochSeconds:P0}) are " +
            "what the FLOP count leaves out: the loss and its gradient, the relu masks and bias sums, the chunks' partial gradients " +
            "summed, Adam and the shuffle, the validation loss, and each pass's fork and join with the core that " +
            "waits at it (8 training passes an epoch, one a batch, and 18 of 1,024 rows for validation), passes over memory " +
            "with a few operations per value.";
    }

    static string Cpu()
    {
        var info = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        string Field(string name) => info.FirstOrDefault(l => l.StartsWith(name))?.Split(':', 2)[1].Trim() ?? "?";
        return $"{Field("model name")}, CPU family {Field("cpu family")} model {Field("model\t")}, {Environment.ProcessorCount} cores";
    }

    /// <summary>Times <paramref name="epochs"/> epochs of one model after a warm-up, for profiling (perf) one model alone; its
    /// gemms genre's own (<paramref name="kernels"/> "own") or libtorch's ("libtorch").</summary>
    public static void Epochs(int threads, string model, int epochs, string kernels = "own")
    {
        TorchRuntime.Configure(new TorchOptions(threads));
        var backend = new TorchBackend(ownGemm: kernels != "libtorch");
        var spec = model switch
        {
            "rnn1" => Zoo.Rnn1(),
            "rnn2" => Zoo.Rnn2(),
            "dnn1" => Zoo.Dnn1(),
            "dnn2" => Zoo.Dnn2(),
            _ => throw new ArgumentException($"unknown model {model}"),
        };
        for (var e = 0; e < epochs; e++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var seconds = Epoch(backend, spec); // includes a warm-up epoch: the CPU time below covers both
            var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"{model} epoch {e + 1}: {seconds:F2} s wall; process CPU over warm-up + epoch {cpuSeconds:F2} s");
        }
    }

    /// <summary>One model fitted for a warm-up epoch and then <paramref name="epochs"/> more in one <c>Fit</c>, each epoch's
    /// seconds printed: a steady state for a profiler to sample (`perf record` over the whole process), with no set-up between.
    /// </summary>
    public static void Fit(int threads, string model, int epochs, string kernels = "own")
    {
        TorchRuntime.Configure(new TorchOptions(threads));
        var backend = new TorchBackend(ownGemm: kernels != "libtorch");
        var spec = Zoo.ByName(model).Match(x => x, e => throw new ArgumentException(e.Message));
        var classes = spec.Classes().IfNone(Zoo.Genres);
        var train = new LabeledData(Random(Train, 15, 2), Train, Enumerable.Range(0, Train).Select(i => i % classes).ToArray(), classes);
        var val = new LabeledData(Random(Val, 15, 3), Val, Enumerable.Range(0, Val).Select(i => i % classes).ToArray(), classes);
        using var compiled = backend.Compile(spec, 2).Match(x => x, e => throw new Exception(e.Message));
        var history = compiled.Fit(train, Some(val), new TrainingConfig(1 + epochs, Batch, 2, new AdamSettings()));
        history.Match(h => h.Epochs.Iter(e => Console.WriteLine($"{model} epoch {e.Epoch}: {e.Seconds:F3} s")),
            e => Console.Error.WriteLine(e.Message));
    }

    internal static float[] Random(int rows, int cols, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, rows * cols).Select(_ => (float)r.NextDouble()).ToArray();
    }

    static double Epoch(TorchBackend backend, Sequential spec)
    {
        var classes = spec.Classes().IfNone(Zoo.Genres); // 66 for the reduced RNN1
        var train = new LabeledData(Random(Train, 15, 2), Train, Enumerable.Range(0, Train).Select(i => i % classes).ToArray(), classes);
        var val = new LabeledData(Random(Val, 15, 3), Val, Enumerable.Range(0, Val).Select(i => i % classes).ToArray(), classes);
        using var model = backend.Compile(spec, 2).Match(x => x, e => throw new Exception(e.Message));
        var config = new TrainingConfig(1, Batch, 2, new AdamSettings());
        model.Fit(train, Some(val), config); // warm-up epoch
        var sw = Stopwatch.StartNew();
        model.Fit(train, Some(val), config);
        return sw.Elapsed.TotalSeconds;
    }

    /// <summary>Forward FLOPs per sample (matmuls only).</summary>
    public static double Flops(Sequential spec)
    {
        double total = 0;
        var shape = spec.InputShape;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var steps = shape.Count == 2 ? shape[0] : 1;
            switch (layer)
            {
                case Dense { Activation: Activation.Linear } d when i + 1 < spec.Layers.Count && spec.Layers[i + 1] is Lstm next:
                    total += steps * 2.0 * shape.Last * 4 * next.Units; // folded input projection
                    total += steps * 2.0 * next.Units * 4 * next.Units;
                    shape = next.ReturnSequences ? Seq(steps, next.Units) : Seq1(next.Units);
                    i++;
                    continue;
                case Dense d: total += steps * 2.0 * shape.Last * d.Units; break;
                case Lstm l: total += steps * 2.0 * (shape.Last + l.Units) * 4 * l.Units; break;
            }
            shape = Shapes.Output(i, layer, shape).Match(s => s, e => throw new Exception(e.Message));
        }
        return total;
    }

    static double Peak()
    {
        using var a = randn(10_000, 80);
        using var b = randn(80, 320);
        for (var i = 0; i < 5; i++) using (a.matmul(b)) { }
        var best = double.MaxValue;
        for (var rep = 0; rep < 5; rep++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < 20; i++) using (a.matmul(b)) { }
            best = Math.Min(best, sw.Elapsed.TotalSeconds / 20);
        }
        return 2.0 * 10_000 * 80 * 320 / best;
    }
}
