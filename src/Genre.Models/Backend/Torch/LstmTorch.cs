using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// LSTM on TorchSharp: kernel glorot_uniform, recurrent_kernel orthogonal, bias with unit_forget_bias; trained through
/// <see cref="FusedLstm"/> (or element-wise), predicted with <see cref="LstmGates"/> on a reused gate buffer. A linear Dense
/// right before an LSTM folds into the LSTM's input projection (<see cref="Folds"/>).
/// </summary>
internal sealed class LstmTorch : ITorchLayer<Lstm>
{
    public static Tensor Init(Lstm layer, WeightSpec weight, Generator g) => weight.Name switch
    {
        "kernel" => KerasInit.GlorotUniform(weight.Shape[0], weight.Shape[1], g),
        "recurrent_kernel" => KerasInit.Orthogonal(weight.Shape[0], weight.Shape[1], g),
        _ => cat(new[] { zeros(layer.Units), ones(layer.Units), zeros(2 * layer.Units) }),
    };

    public static Tensor Forward(Lstm layer, IReadOnlyList<Tensor> weights, Tensor h, ForwardPass pass) =>
        Apply(h, weights[0], weights[1], weights[2], layer.Units, layer.ReturnSequences, pass.Fused, pass.Chunking, pass.OwnGemm);

    /// <summary>
    /// Keras LSTM (implementation 2): one gemm for all time steps' input projections, then per step
    /// z = x_t W + h U + b, gates i, f, c̃, o; c = σ(f)·c + σ(i)·tanh(c̃); h = σ(o)·tanh(c).
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor w, Tensor u, Tensor b, int units, bool returnSequences, bool fused = false,
                               LaneChunking? chunking = null, bool ownGemm = true)
    {
        long n = x.shape[0], steps = x.shape[1], features = x.shape[2];
        if (fused && x.dtype == ScalarType.Float32)
        {
            // Time-major in and out: (T, n, F) → (T, n, H); the result goes back to batch-major as a view (no copy), and a
            // stacked LSTM's transpose back to time-major is then free.
            var y = FusedLstm.Apply(x.transpose(0, 1).contiguous(), w, u, b, returnSequences, chunking ?? LaneChunking.Default,
                ownGemm);
            return returnSequences ? y.transpose(0, 1) : y;
        }
        // unbind (whose backward is one stack) rather than select per step (whose backward zero-fills the whole
        // (n, T, 4H) gradient once per step: 15 × 190 MB of memset at batch 10,000).
        var projected = x.reshape(n * steps, features).matmul(w).Plus(b).reshape(n, steps, 4 * units).unbind(1);
        var h = zeros(n, units, x.dtype);
        var c = zeros(n, units, x.dtype);
        var outputs = returnSequences ? new List<Tensor>((int)steps) : null;
        for (long t = 0; t < steps; t++)
        {
            var z = projected[t].Plus(h.matmul(u));
            var gates = z.chunk(4, 1);
            var i = gates[0].sigmoid();
            var f = gates[1].sigmoid();
            var g = gates[2].tanh();
            var o = gates[3].sigmoid();
            c = (f * c).Plus(i * g);
            h = o * c.tanh();
            outputs?.Add(h);
        }
        return returnSequences ? stack(outputs!, 1) : h;
    }

    /// <summary>A linear Dense followed by an LSTM: the pair folds into that LSTM (<see cref="Fold"/>).</summary>
    public static bool Folds(Layer layer, Layer next) => layer is Dense { Activation: Activation.Linear } && next is Lstm;

    /// <summary>
    /// The LSTM weights of a linear Dense followed by an LSTM, as one LSTM's: exact algebra, (x·Wd + bd)·W + b = x·(Wd·W) + (bd·W + b).
    /// With one feature per time step this removes the (n, T, 250) activation and its 250-wide gemm; autograd still reaches
    /// Wd, bd, W and b.
    /// </summary>
    public static IReadOnlyList<Tensor> Fold(IReadOnlyList<Tensor> dense, IReadOnlyList<Tensor> lstm) =>
        [dense[0].matmul(lstm[0]), lstm[1], dense[1].matmul(lstm[0]).Plus(lstm[2])];

    /// <summary>[U; W; b] stacked as in <see cref="FusedLstm"/>, packed for <see cref="Sgemm"/> when asked.</summary>
    public static Option<Func<Tensor, Tensor>> Step(Lstm layer, IReadOnlyList<Tensor> weights, bool sgemm)
    {
        var (w, u, b) = (weights[0], weights[1], weights[2]);
        var stacked = cat(new[] { u, w, b.reshape(1, 4 * layer.Units) }, 0).contiguous();
        var step = new Prepared(stacked, layer.Units, (int)w.shape[0], layer.ReturnSequences, sgemm ? Predictor.Pack(stacked, null) : null);
        return Some<Func<Tensor, Tensor>>(x => Predict(step, x));
    }

    sealed record Prepared(Tensor Weights, int Units, int Features, bool ReturnSequences, PackedMatrix? Packed);

    /// <summary>
    /// Time-major x (T, n, F) → h_T (n, H), or every h_t (T, n, H). Per step the row block [h₋₁ | x_t | 1] times
    /// [U; W; b] gives z_t (as <see cref="FusedLstm"/>'s forward), into one (n, 4H) buffer reused by every step.
    /// </summary>
    static Tensor Predict(Prepared s, Tensor x)
    {
        if (s.Packed is PackedMatrix packedWeights && x.dtype == ScalarType.Float32) return PredictInBlocks(s, packedWeights, x);
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
                GateInputs(packed, Predictor.Floats(block), (int)n, (int)units, (int)features, t == 0, Predictor.Floats(z));
            else
            {
                using var first = t == 0 ? block.narrow(1, units, features + 1) : null; // h₋₁ = 0: only [x_0 | 1]·[W; b]
                z.addmm_(first ?? block, t == 0 ? inputRows : s.Weights, 0, 1);
            }
            using var next = blocks[t + 1];
            var previous = t == 0 ? Span<float>.Empty : Predictor.Floats(cells[(t + 1) % 2]);
            LstmGates.Forward(Predictor.Floats(z), previous, Predictor.Floats(cells[t % 2]), Predictor.Floats(next), shape);
        }
        var hidden = blocks.narrow(2, 0, units);
        return s.ReturnSequences ? hidden.narrow(0, 1, steps) : hidden[steps];
    }

    /// <summary>Rows an inference pass takes through every step at once (as <see cref="FusedLstmClassifier.BlockRows"/>): their
    /// [h | x | 1] rows, gates and cells stay in the core's cache, where a pass's 1,024 rows a step went out to memory.</summary>
    const int BlockRows = 32;

    /// <summary>
    /// <see cref="Predict"/> on <see cref="Sgemm"/>'s kernels, block by block of rows through all the steps. Every row is
    /// computed by the same operations as in one (n, 4H) pass, so the same bits.
    /// </summary>
    static Tensor PredictInBlocks(Prepared s, PackedMatrix packed, Tensor x)
    {
        int steps = (int)x.shape[0], n = (int)x.shape[1], units = s.Units, features = s.Features, k = units + features + 1;
        var input = x.contiguous();
        var output = s.ReturnSequences ? empty(steps, n, units, x.dtype) : empty(n, units, x.dtype);
        var xs = Predictor.Floats(input);
        var ys = Predictor.Floats(output);
        var pool = System.Buffers.ArrayPool<float>.Shared;
        var most = Math.Min(BlockRows, n);
        float[] blocks = pool.Rent(2 * most * k), z = pool.Rent(most * 4 * units), cells = pool.Rent(2 * most * units);
        try
        {
            for (var b0 = 0; b0 < n; b0 += most)
            {
                var m = Math.Min(most, n - b0);
                var shape = new LstmGates.Shape(m, units, k);
                // two [h | x | 1] blocks, this step's and the next's: h_t is written into the other
                for (var t = 0; t < steps; t++)
                {
                    var block = blocks.AsSpan(t % 2 * m * k, m * k);
                    var next = blocks.AsSpan((t + 1) % 2 * m * k, m * k);
                    for (var r = 0; r < m; r++)
                    {
                        var row = block.Slice(r * k, k);
                        xs.Slice(((t * n) + b0 + r) * features, features).CopyTo(row[units..]);
                        row[k - 1] = 1;
                    }
                    GateInputs(packed, block, m, units, features, t == 0, z);
                    var previous = t == 0 ? Span<float>.Empty : cells.AsSpan((t + 1) % 2 * m * units, m * units);
                    LstmGates.Forward(z.AsSpan(0, m * 4 * units), previous, cells.AsSpan(t % 2 * m * units, m * units), next, shape);
                    if (!s.ReturnSequences && t < steps - 1) continue;
                    var to = s.ReturnSequences ? ys.Slice((t * n + b0) * units, m * units) : ys.Slice(b0 * units, m * units);
                    for (var r = 0; r < m; r++) next.Slice(r * k, units).CopyTo(to.Slice(r * units, units));
                }
            }
        }
        finally
        {
            foreach (var a in new[] { blocks, z, cells }) pool.Return(a);
        }
        return output;
    }

    /// <summary>z = [h₋₁ | x_t | 1]·[U; W; b] for one step's rows (block rows are K = H + F + 1 wide); at t = 0, h₋₁ = 0.</summary>
    static void GateInputs(PackedMatrix weights, Span<float> block, int rows, int units, int features, bool first, Span<float> z)
    {
        var k = units + features + 1;
        if (first) Sgemm.Multiply(block[units..], k, rows, features + 1, weights, units, false, z, 4 * units);
        else Sgemm.Multiply(block, k, rows, k, weights, 0, false, z, 4 * units);
    }

    /// <summary>The (T, n, 4H) gates.</summary>
    public static bool BatchStatistics => false;

    public static long Width(Lstm layer, int steps) => (long)steps * 4 * layer.Units;
}
