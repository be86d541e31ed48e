using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// The forward pass for prediction only (no autograd): the same model as <see cref="KerasForward"/> (tests compare the two),
/// laid out for throughput. The weights are prepared once per call — a linear Dense before an LSTM folded into the LSTM's
/// input projection, each LSTM's [U; W; b] stacked as in <see cref="FusedLstm"/> — then the rows are cut into passes that
/// <see cref="Lanes"/> take in turn, and a lane runs every layer on a pass's rows, single-threaded: Dense is one gemm with bias
/// and relu in its epilogue, an LSTM step is one gemm into a reused (rows, 4H) buffer and one <see cref="LstmGates"/> pass,
/// keeping only the current and previous cell state. The gemms are <see cref="Sgemm"/>'s AVX-512 kernels on weights packed
/// once per call (libtorch's addmm where AVX-512F is missing, or when asked).
/// </summary>
internal static class Predictor
{
    /// <summary>Rows per pass in a lane: as many as keep the widest activation of a pass within a cache-sized budget.</summary>
    public static int PassRows(Sequential spec) => Trainer.MicroBatchFor(spec);

    abstract record Step;
    sealed record DenseStep(Tensor Kernel, Tensor Bias, Activation Activation, PackedMatrix? Packed) : Step;
    sealed record LstmStep(Tensor Weights, int Units, int Features, bool ReturnSequences, PackedMatrix? Packed) : Step;

    /// <summary>
    /// Softmax outputs, rows × classes, row-major; passes of at most <paramref name="passRows"/> rows per lane; the gemms are
    /// <see cref="Sgemm"/>'s when <paramref name="sgemm"/> and the CPU has AVX-512F, else libtorch's.
    /// </summary>
    public static float[] Predict(Sequential spec, IReadOnlyList<Tensor> p, Tensor input, int rows, int classes, int passRows, bool sgemm = true)
    {
        var result = new float[(long)rows * classes];
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var steps = Prepare(spec, p, sgemm && Sgemm.Supported);
        var sequence = spec.InputShape.Count == 2;
        // Passes are fixed by the rows alone; each lane takes the next pass not yet taken, so a lane whose core is busy with
        // other work holds the others back by one pass at most. A row's result does not depend on which lane computes it.
        var passes = (rows + passRows - 1) / passRows;
        var taken = -1;
        Lanes.Run(Math.Min(passes, Lanes.Chunks(rows)), _ =>
        {
            using var laneNoGrad = no_grad(); // grad mode is per thread
            for (var index = Interlocked.Increment(ref taken); index < passes; index = Interlocked.Increment(ref taken))
            {
                using var pass = NewDisposeScope();
                var start = (long)index * passRows;
                var len = (int)Math.Min(passRows, rows - start);
                var h = input.narrow(0, start, len);
                if (sequence) h = h.transpose(0, 1).contiguous(); // (n, T, F) → time-major (T, n, F)
                foreach (var step in steps) h = Apply(step, h);
                Floats(h.contiguous()).CopyTo(result.AsSpan((int)(start * classes)));
            }
        });
        return result;
    }

    static List<Step> Prepare(Sequential spec, IReadOnlyList<Tensor> p, bool sgemm)
    {
        var steps = new List<Step>();
        var k = 0;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            switch (spec.Layers[i])
            {
                case Dense { Activation: Activation.Linear } when i + 1 < spec.Layers.Count && spec.Layers[i + 1] is Lstm next:
                    // (x·Wd + bd)·W + b = x·(Wd·W) + (bd·W + b), as KerasForward folds it
                    var w = p[k].detach().matmul(p[k + 2].detach());
                    var bias = p[k + 1].detach().matmul(p[k + 2].detach()).add(p[k + 4].detach());
                    steps.Add(Stacked(w, p[k + 3].detach(), bias, next, sgemm));
                    k += 5;
                    i++;
                    break;
                case Dense d:
                    steps.Add(new DenseStep(p[k].detach(), p[k + 1].detach(), d.Activation, sgemm ? Pack(p[k], p[k + 1]) : null));
                    k += 2;
                    break;
                case Lstm l:
                    steps.Add(Stacked(p[k].detach(), p[k + 1].detach(), p[k + 2].detach(), l, sgemm));
                    k += 3;
                    break;
            }
        }
        return steps;
    }

    static LstmStep Stacked(Tensor w, Tensor u, Tensor b, Lstm l, bool sgemm)
    {
        var weights = cat(new[] { u, w, b.reshape(1, 4 * l.Units) }, 0).contiguous();
        return new(weights, l.Units, (int)w.shape[0], l.ReturnSequences, sgemm ? Pack(weights, null) : null);
    }

    /// <summary>The (K, N) weights packed for <see cref="Sgemm"/> (float32 only; null otherwise: libtorch's addmm is used).</summary>
    static PackedMatrix? Pack(Tensor weights, Tensor? bias)
    {
        if (weights.dtype != ScalarType.Float32) return null;
        using var w = weights.detach().contiguous();
        using var b = bias?.detach().contiguous();
        return new PackedMatrix(Floats(w), (int)w.shape[0], (int)w.shape[1], b is null ? default : Floats(b));
    }

    static Tensor Apply(Step step, Tensor h) => step switch
    {
        DenseStep d => Dense(d, h),
        LstmStep l => Lstm(l, h),
        _ => h,
    };

    static Tensor Dense(DenseStep d, Tensor h)
    {
        var flat = h.dim() == 2 ? h : h.reshape(-1, h.shape[^1]);
        if (d.Packed is PackedMatrix packed)
        {
            flat = flat.contiguous();
            var rows = (int)flat.shape[0];
            var product = empty(rows, packed.N, flat.dtype);
            Sgemm.Multiply(Floats(flat), packed.K, rows, packed.K, packed, 0, d.Activation == Activation.Relu, Floats(product), packed.N);
            if (h.dim() != 2) product = product.reshape(h.shape[0], h.shape[1], -1);
            return d.Activation switch
            {
                Activation.Tanh => product.tanh_(),
                Activation.Sigmoid => product.sigmoid_(),
                Activation.Softmax => nn.functional.softmax(product, -1),
                _ => product, // linear, or relu (applied in the gemm)
            };
        }
        var y = addmm(d.Bias, flat, d.Kernel, 1, 1);
        if (h.dim() != 2) y = y.reshape(h.shape[0], h.shape[1], -1);
        return d.Activation switch
        {
            Activation.Relu => y.relu_(),
            Activation.Tanh => y.tanh_(),
            Activation.Sigmoid => y.sigmoid_(),
            Activation.Softmax => nn.functional.softmax(y, -1),
            _ => y,
        };
    }

    /// <summary>
    /// Time-major x (T, n, F) → h_T (n, H), or every h_t (T, n, H). Per step the row block [h₋₁ | x_t | 1] times
    /// [U; W; b] gives z_t (as <see cref="FusedLstm"/>'s forward), into one (n, 4H) buffer reused by every step.
    /// </summary>
    static Tensor Lstm(LstmStep s, Tensor x)
    {
        long steps = x.shape[0], n = x.shape[1], units = s.Units, features = s.Features, k = units + features + 1;
        var blocks = empty(steps + 1, n, k, x.dtype);
        blocks.narrow(2, 0, units)[0].zero_();
        blocks.narrow(0, 0, steps).narrow(2, units, features).copy_(x);
        blocks.narrow(0, 0, steps).narrow(2, units + features, 1).fill_(1);
        var z = empty(n, 4 * units, x.dtype);
        var cells = new[] { empty(n, units, x.dtype), empty(n, units, x.dtype) };
        var shape = new LstmGates.Shape((int)n, (int)units, (int)k);
        var inputRows = s.Weights.narrow(0, units, features + 1);
        for (long t = 0; t < steps; t++)
        {
            using var block = blocks[t];
            if (s.Packed is PackedMatrix packed)
                GateInputs(packed, Floats(block), (int)n, (int)units, (int)features, t == 0, Floats(z));
            else
            {
                using var first = t == 0 ? block.narrow(1, units, features + 1) : null; // h₋₁ = 0: only [x_0 | 1]·[W; b]
                z.addmm_(first ?? block, t == 0 ? inputRows : s.Weights, 0, 1);
            }
            using var next = blocks[t + 1];
            LstmGates.Forward(Floats(z), t == 0 ? Span<float>.Empty : Floats(cells[(t + 1) % 2]), Floats(cells[t % 2]), Floats(next), shape);
        }
        var hidden = blocks.narrow(2, 0, units);
        return s.ReturnSequences ? hidden.narrow(0, 1, steps) : hidden[steps];
    }

    /// <summary>z = [h₋₁ | x_t | 1]·[U; W; b] for one step's rows (block rows are K = H + F + 1 wide); at t = 0, h₋₁ = 0.</summary>
    static void GateInputs(PackedMatrix weights, Span<float> block, int rows, int units, int features, bool first, Span<float> z)
    {
        var k = units + features + 1;
        if (first) Sgemm.Multiply(block[units..], k, rows, features + 1, weights, units, false, z, 4 * units);
        else Sgemm.Multiply(block, k, rows, k, weights, 0, false, z, 4 * units);
    }

    static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);
}
