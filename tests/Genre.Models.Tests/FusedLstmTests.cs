using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>
/// Issue 6: the fused LSTM (one autograd node, hand-written BPTT, one pass over the gates per step) is the same model as the
/// element-wise path: logits and every parameter's gradient agree to 1e-5, for the report's shapes and for widths that are not
/// a multiple of the vector width (narrower vectors, scalar tail), with and without returned sequences. Issue 28: so are the
/// fused Dense layers and both on genre's own gemm kernels (the default where the CPU has AVX-512F).
/// </summary>
public class FusedLstmTests
{
    public static TheoryData<string> Specs => new() { "rnn1", "rnn2", "odd", "tiny", "dnn1", "dnn2", "dense" };

    static Sequential Spec(string name) => name switch
    {
        "rnn1" => Zoo.Rnn1(7),
        "rnn2" => Zoo.Rnn2(7),
        "dnn1" => Zoo.Dnn1(7),
        "dnn2" => Zoo.Dnn2(7), // dropout between two fused Dense layers, the same mask on both paths
        // FusedDense on odd widths: a relu layer, a linear one (its input gradient reaches the relu layer), then the logits
        "dense" => new Sequential(Seq1(15), Seq<Layer>(new Dense(37, Activation.Relu), new Dense(5), new Dense(4, Activation.Softmax)),
            "dense"),
        "tiny" => new Sequential(Seq(15, 1), Seq<Layer>(new Dense(16), new Lstm(16), new Dense(3, Activation.Softmax)), "tiny"),
        _ => new Sequential(Seq(6, 2), Seq<Layer>(new Lstm(13, ReturnSequences: true), new Lstm(3), new Dense(4, Activation.Softmax)),
            "odd"),
    };

    static (float[] Logits, float Loss, float[][] Gradients) Run(Sequential spec, bool fused, bool fold)
    {
        using var scope = NewDisposeScope();
        var backend = Support.Backend;
        using var m = (TorchModel)Ok(backend.Compile(spec, 11));
        var rows = 791; // six uneven chunks (131 or 132 rows) on two lanes
        var features = (int)spec.InputShape.Fold(1L, (a, d) => a * d);
        var r = new Random(5);
        var x = Enumerable.Range(0, rows * features).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        var classes = spec.Layers.Last() is Dense d ? d.Units : 0;
        var y = tensor(Enumerable.Range(0, rows).Select(i => (long)(i % classes)).ToArray());
        foreach (var p in m.Parameters) p.grad?.zero_();
        using var dropout = new Generator(3);
        var logits = KerasForward.Logits(spec, m.Parameters, m.Input(x, rows), true, dropout, fold, fused);
        var loss = KerasLoss.CrossEntropy(logits, y);
        loss.backward();
        return (logits.detach().data<float>().ToArray(), loss.item<float>(),
            m.Parameters.Select(p => p.grad!.data<float>().ToArray()).ToArray());
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Fused_and_elementwise_paths_agree_on_logits_loss_and_gradients(string name)
    {
        var spec = Spec(name);
        var fold = name is "rnn1" or "tiny";
        var plain = Run(spec, fused: false, fold);
        var fused = Run(spec, fused: true, fold);
        Assert.Equal(plain.Logits.Length, fused.Logits.Length);
        for (var i = 0; i < plain.Logits.Length; i++) Assert.True(Math.Abs(plain.Logits[i] - fused.Logits[i]) <= 1e-5,
            $"logit {i}: {plain.Logits[i]} vs {fused.Logits[i]}");
        Assert.Equal(plain.Loss, fused.Loss, 1e-5);
        for (var p = 0; p < plain.Gradients.Length; p++)
        {
            // relative to the parameter's largest gradient (floored, so an all-tiny gradient is not held to rounding noise)
            var scale = Math.Max(1e-3, plain.Gradients[p].Max(Math.Abs));
            for (var i = 0; i < plain.Gradients[p].Length; i++)
                Assert.True(Math.Abs(plain.Gradients[p][i] - fused.Gradients[p][i]) <= 1e-5 * scale,
                    $"parameter {p} element {i}: {plain.Gradients[p][i]} vs {fused.Gradients[p][i]}");
            Assert.Contains(plain.Gradients[p], g => g != 0);
        }
    }

    [Fact]
    public void Gates_tanh_keeps_its_relative_precision_near_zero()
    {
        // c̃ pre-activations from ±1e-7 to ±10; 17 units a row: 16 through vectors, one through the scalar tail.
        // 1 − 2 / (e^{2x} + 1) alone is off by up to 1e-3 relative near 0; a float32 tanh is good to a few ulps (≈ 1e-7).
        const int units = 17, rows = 12;
        var shape = new LstmGates.Shape(rows, units);
        var z = new float[rows * 4 * units];
        var x = new float[rows * units];
        for (var j = 0; j < x.Length; j++)
        {
            x[j] = (j % 2 == 0 ? 1 : -1) * MathF.Pow(10f, -7f + 8f * j / x.Length);
            z[j / units * 4 * units + 2 * units + j % units] = x[j];
        }
        LstmGates.Forward(z, ReadOnlySpan<float>.Empty, new float[rows * units], new float[rows * units], shape);
        for (var j = 0; j < x.Length; j++)
        {
            var tanh = Math.Tanh(x[j]);
            var g = z[j / units * 4 * units + 2 * units + j % units];
            Assert.True(Math.Abs(g - tanh) <= 5e-7 * Math.Abs(tanh), $"tanh({x[j]:R}) = {tanh:R}, gates gave {g:R}");
        }
    }

    [Fact]
    public void Gates_forward_saturates_like_the_elementwise_functions()
    {
        // z = ±100 must give exact 0/1 gates and ±1 tanh, not NaN (e^200 overflows to ∞ in float32).
        var shape = new LstmGates.Shape(1, 9);
        var z = Enumerable.Range(0, 36).Select(k => k % 2 == 0 ? 100f : -100f).ToArray();
        var c = new float[9];
        var h = new float[9];
        LstmGates.Forward(z, ReadOnlySpan<float>.Empty, c, h, shape);
        Assert.All(z, v => Assert.True(v is 0f or 1f or -1f, v.ToString()));
        Assert.All(h, v => Assert.False(float.IsNaN(v)));
    }
}

/// <summary>
/// Issue 17: the gate kernel is written once over vector widths; each width the hardware has (and, emulated, those it has
/// not) gives the scalar reference's results to float32 rounding, for widths that leave tails of every length.
/// </summary>
public class LstmGatesWidthTests
{
    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (var width in new[] { (int)LstmGates.Width.V512, (int)LstmGates.Width.V256, (int)LstmGates.Width.V128 })
            foreach (var units in new[] { 1, 3, 4, 7, 8, 13, 16, 17, 24, 31, 80, 150 })
                data.Add(width, units);
        return data;
    }

    static (float[] Z, float[] C, float[] H, float[] Dz, float[] Dc) Step(LstmGates.Width width, int units, bool first, bool extra)
    {
        const int rows = 5;
        var r = new Random(units * 7 + (first ? 1 : 0) + (extra ? 2 : 0));
        float[] Draw(int n, float scale) => Enumerable.Range(0, n).Select(_ => (float)(r.NextDouble() * 2 - 1) * scale).ToArray();
        var shape = new LstmGates.Shape(rows, units);
        var z = Draw(rows * 4 * units, 4);
        var cPrev = first ? [] : Draw(rows * units, 2);
        var dh = Draw(rows * units, 1);
        var dhExtra = extra ? Draw(rows * units, 1) : [];
        var dc = Draw(rows * units, 1);
        var (c, h) = (new float[rows * units], new float[rows * units]);
        LstmGates.Forward(z, cPrev, c, h, shape, width);
        var acts = z.ToArray();
        LstmGates.Backward(acts, c, cPrev, dh, dhExtra, dc, shape, width);
        return (z, c, h, acts, dc);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_width_gives_the_scalar_results(int width, int units)
    {
        foreach (var (first, extra) in new[] { (true, false), (false, false), (false, true) })
        {
            var scalar = Step(LstmGates.Width.Scalar, units, first, extra);
            var vector = Step((LstmGates.Width)width, units, first, extra);
            Close(scalar.Z, vector.Z, "gates");
            Close(scalar.C, vector.C, "c");
            Close(scalar.H, vector.H, "h");
            Close(scalar.Dz, vector.Dz, "dz");
            Close(scalar.Dc, vector.Dc, "dc₋₁");
        }

        static void Close(float[] expected, float[] actual, string what)
        {
            Assert.Equal(expected.Length, actual.Length);
            for (var i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])),
                    $"{what}[{i}]: scalar {expected[i]:R}, vector {actual[i]:R}");
        }
    }

    /// <summary>The gates' exp (Cephes' expf, issue 28): within 2 ulp of e^x in float64 over the normal range, the same bits on
    /// every width and the scalar tail, 0 and ∞ past the ends, NaN kept.</summary>
    [Fact]
    public void The_gates_exp_is_within_two_ulp_and_the_same_on_every_width()
    {
        var xs = new List<float>();
        for (var x = -87f; x < 88f; x += 0.0007f) xs.Add(x);
        xs.AddRange([0f, -0f, 1e-30f, -1e-30f, 88.3f, -87.3f]);
        var worst = 0.0;
        for (var i = 0; i + 16 <= xs.Count; i += 16)
        {
            var v512 = Vector512.Create(xs.ToArray(), i);
            var e512 = LstmGates.Exp(new F512(v512));
            var e256 = LstmGates.Exp(new F256(v512.GetLower()));
            var e128 = LstmGates.Exp(new F128(v512.GetLower().GetLower()));
            for (var j = 0; j < 16; j++)
            {
                var (x, got) = (xs[i + j], e512.Value[j]);
                Assert.Equal(LstmGates.Exp(x), got);
                if (j < 8) Assert.Equal(got, e256.Value[j]);
                if (j < 4) Assert.Equal(got, e128.Value[j]);
                var exact = Math.Exp(x);
                var ulp = (double)MathF.BitIncrement((float)exact) - (float)exact;
                worst = Math.Max(worst, Math.Abs(got - exact) / ulp);
            }
        }
        Assert.InRange(worst, 0, 2);
        Assert.Equal(0f, LstmGates.Exp(-100f));
        Assert.Equal(float.PositiveInfinity, LstmGates.Exp(100f));
        Assert.Equal(float.PositiveInfinity, LstmGates.Exp(float.PositiveInfinity));
        Assert.Equal(0f, LstmGates.Exp(float.NegativeInfinity));
        Assert.True(float.IsNaN(LstmGates.Exp(float.NaN)));
        Assert.True(float.IsNaN(LstmGates.Exp(new F512(Vector512.Create(float.NaN))).Value[0]));
        Assert.True(float.IsNaN(LstmGates.Exp(new F256(Vector256.Create(float.NaN))).Value[0]));
        Assert.True(float.IsNaN(LstmGates.Exp(new F128(Vector128.Create(float.NaN))).Value[0]));
    }

    [Theory]
    [InlineData(80)]
    [InlineData(150)]
    [InlineData(17)]
    public void The_512_and_256_bit_paths_agree(int units)
    {
        var a = Step(LstmGates.Width.V512, units, false, true);
        var b = Step(LstmGates.Width.V256, units, false, true);
        foreach (var (x, y) in new[] { (a.Z, b.Z), (a.C, b.C), (a.H, b.H), (a.Dz, b.Dz), (a.Dc, b.Dc) })
            for (var i = 0; i < x.Length; i++)
                Assert.True(Math.Abs(x[i] - y[i]) <= 1e-6 * Math.Max(1, Math.Abs(x[i])), $"{i}: {x[i]:R} vs {y[i]:R}");
    }
}

public class MicroBatchTests
{
    [Fact]
    public void Passes_keep_the_widest_activation_under_the_heap_budget()
    {
        Assert.Equal(1024, Trainer.MicroBatchFor(Zoo.Rnn1()));   // 15 × 320 floats a row: 19.7 MB at 1024 rows
        Assert.Equal(699, Trainer.MicroBatchFor(Zoo.Rnn2()));    // 15 × 600 floats a row: 1024 rows would be 37 MB
        Assert.Equal(1024, Trainer.MicroBatchFor(Zoo.Dnn2()));
        Assert.Equal(64, Trainer.MicroBatchFor(new Sequential(Seq(15, 1), Seq<Layer>(new Lstm(20_000), new Dense(2, Activation.Softmax)))));
    }
}

public class LanesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(790)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(10_000)]
    public void Chunks_cover_every_row_once_in_order(long rows)
    {
        var chunks = Lanes.Chunks(rows, LaneChunking.Default);
        var ranges = Enumerable.Range(0, chunks).Select(c => Lanes.Range(rows, chunks, c)).ToArray();
        Assert.Equal(0, ranges[0].Start);
        for (var c = 1; c < chunks; c++) Assert.Equal(ranges[c - 1].Start + ranges[c - 1].Count, ranges[c].Start);
        Assert.Equal(rows, ranges.Sum(r => r.Count));
        Assert.All(ranges, r => Assert.True(r.Count > 0));
    }

    [Theory]
    [InlineData(127, 1)]
    [InlineData(699, 4)]    // an RNN2 micro-batch: 5 rounded down to even, so two lanes take two chunks each
    [InlineData(300, 2)]
    [InlineData(383, 2)]
    [InlineData(1024, 8)]   // an RNN1 micro-batch
    [InlineData(10_000, 8)]
    public void Chunks_depend_on_the_rows_alone_up_to_eight(long rows, int chunks) =>
        Assert.Equal(chunks, Lanes.Chunks(rows, LaneChunking.Default));

    [Fact]
    public void Every_chunk_runs_once_and_a_lane_failure_reaches_the_caller()
    {
        var seen = new int[4];
        Lanes.Run(4, c => Interlocked.Increment(ref seen[c]));
        Assert.All(seen, s => Assert.Equal(1, s));
        var e = Assert.Throws<InvalidOperationException>(() => Lanes.Run(
            4, c => { if (c == 3) throw new InvalidOperationException("chunk 3"); }));
        Assert.Equal("chunk 3", e.Message);
        // A failure on the caller's lane still waits for the other lanes, so the next run sees none of this one's work.
        Assert.Throws<InvalidOperationException>(() => Lanes.Run(4, c =>
            { if (c == 0) throw new InvalidOperationException("chunk 0"); Thread.Sleep(50); }));
        var after = new int[4];
        Lanes.Run(4, c => { Thread.Sleep(20); Interlocked.Increment(ref after[c]); });
        Assert.All(after, s => Assert.Equal(1, s));
    }
}

/// <summary>Lanes' worker threads exit when idle and are started again on demand (they share the process-wide thread
/// count with <see cref="DeterminismTests"/>, hence the same non-parallel collection).</summary>
[Collection(nameof(ThreadCount))]
public class LaneWorkerTests
{
    [Fact]
    public void Idle_workers_exit_and_the_next_run_starts_new_ones()
    {
        TorchRuntime.Configure(new TorchOptions(3));
        try
        {
            var lanes = new System.Collections.Concurrent.ConcurrentDictionary<int, byte>();
            Lanes.Run(8, c => { lanes[Environment.CurrentManagedThreadId] = 0; Thread.Sleep(20); });
            Assert.Equal(3, lanes.Count);
            Assert.True(Lanes.LiveWorkers >= 2, $"{Lanes.LiveWorkers} workers");
            var deadline = DateTime.UtcNow + Lanes.IdleTimeout * 10;
            while (Lanes.LiveWorkers > 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.Equal(0, Lanes.LiveWorkers);
            var seen = new int[8];
            Lanes.Run(8, c => Interlocked.Increment(ref seen[c]));
            Assert.All(seen, s => Assert.Equal(1, s));
            Assert.Equal(2, Lanes.LiveWorkers);
        }
        finally { TorchHost.Configure(); }
    }

    [Fact]
    public void A_pass_in_lanes_leaves_the_hosts_thread_count_as_it_was_even_when_a_lane_fails()
    {
        TorchRuntime.Configure(new TorchOptions(3));
        try
        {
            var inside = new System.Collections.Concurrent.ConcurrentBag<int>();
            Lanes.Run(4, _ => inside.Add(TorchRuntime.Threads));
            Assert.All(inside, t => Assert.Equal(1, t)); // libtorch single-threaded on every lane
            Assert.Equal(3, TorchRuntime.Threads);
            Assert.Throws<InvalidOperationException>(() => Lanes.Run(4, c => { if (c == 0) throw new InvalidOperationException(); }));
            Assert.Equal(3, TorchRuntime.Threads);
        }
        finally { TorchHost.Configure(); }
    }

    [Fact]
    public void A_thread_that_starts_during_a_pass_in_lanes_gets_the_hosts_thread_count()
    {
        // libtorch's set_num_threads is partly process-wide: a thread's first op copies the last count set anywhere, so
        // single-threading the lanes through it made any thread starting meanwhile single-threaded for good
        TorchRuntime.Configure(new TorchOptions(3));
        try
        {
            Assert.True(ThreadLocalThreads.Found, "libtorch's libgomp and MKL were not found in the process map");
            var seen = 0;
            Lanes.Run(4, c =>
            {
                if (c != 0) return;
                var started = new Thread(() => seen = TorchRuntime.Threads);
                started.Start();
                started.Join();
            });
            Assert.Equal(3, seen);
            Assert.Equal(3, TorchRuntime.Threads);
        }
        finally { TorchHost.Configure(); }
    }

    [Fact]
    public void A_backends_chunking_reaches_its_models_and_changes_results_only_in_the_last_bits()
    {
        var spec = new Sequential(Seq(4, 3), Seq<Layer>(new Lstm(8), new Dense(5, Activation.Softmax)));
        const int rows = 600;
        var x = Enumerable.Range(0, rows * 12).Select(i => (float)Math.Sin(i * 0.37)).ToArray();
        var chunkings = Seq(LaneChunking.Default, new LaneChunking(MinRows: 100, MaxChunks: 3));
        var outputs = chunkings.Map(c =>
        {
            var backend = new TorchBackend(c);
            Assert.Equal(c, backend.Chunking);
            using var model = (TorchModel)Ok(backend.Compile(spec, 5));
            Assert.Equal(c, model.Chunking);
            return model.PredictWithTrainingForward(x, rows);
        }).ToArray();
        Assert.Equal(4, Lanes.Chunks(rows, LaneChunking.Default));
        Assert.Equal(2, Lanes.Chunks(rows, chunkings[1])); // 3 at most, rounded down to even
        for (var i = 0; i < outputs[0].Length; i++) Assert.Equal(outputs[0][i], outputs[1][i], 1e-5f);
    }
}
