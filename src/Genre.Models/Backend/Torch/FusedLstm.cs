using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// The Keras LSTM (gates i, f, c̃, o) as one autograd node with a hand-written backward (BPTT), for float32.
/// Each step is one gemm and one fused pass over the gates (<see cref="LstmGates"/>): the step's row block
/// [h₋₁ | x_t | 1] of an augmented buffer times the stacked weights [U; W; b] gives z_t = h₋₁·U + x_t·W + b directly,
/// so no (T, n, 4H) input projection is materialized, biased and copied, and the gate pass writes h_t straight into the
/// next step's block. The backward reuses the saved gate activations as the gate gradients' buffer and accumulates
/// d[U; W; b] += [h₋₁ | x_t | 1]ᵀ · dz_t while dz_t is still in cache. Rows are independent, so forward and backward run
/// in <see cref="Lanes"/> (fixed row chunks spread over the threads, no per-step synchronization).
/// The gemms are <see cref="Sgemm"/>'s (weights packed once per pass: [U; W; b] forward, Uᵀ and Wᵀ backward) when asked and the
/// CPU has AVX-512F, else libtorch's addmm on each lane. Same model as <see cref="LstmTorch.Apply"/> (tests: ≤ 1e-5).
/// Inputs: x time-major (T, n, F), W (F, 4H), U (H, 4H), b (4H). Output: h_T (n, H), or all h_t time-major (T, n, H) for
/// return_sequences.
/// </summary>
internal sealed class FusedLstm : autograd.MultiTensorFunction<FusedLstm>
{
    public override string Name => nameof(FusedLstm);

    public static Tensor Apply(Tensor x, Tensor w, Tensor u, Tensor b, bool returnSequences, LaneChunking chunking, bool ownGemm = true) =>
        apply(x, w, u, b, returnSequences, chunking, ownGemm && Sgemm.Supported)[0];

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, w, u, b) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3]);
        var (returnSequences, chunking, own) = ((bool)vars[4], (LaneChunking)vars[5], (bool)vars[6]);
        long steps = x.shape[0], n = x.shape[1], features = x.shape[2], units = u.shape[0], g = 4 * units, k = units + features + 1;
        // Stacked weights [U; W; b] (K, 4H) and per step the block [h₋₁ | x_t | 1] (n, K); block T holds h_T.
        var weights = cat(new[] { u.detach(), w.detach(), b.detach().reshape(1, g) }, 0).contiguous();
        var blocks = empty(steps + 1, n, k, x.dtype);
        blocks.narrow(2, 0, units)[0].zero_();
        blocks.narrow(0, 0, steps).narrow(2, units, features).copy_(x.detach());
        blocks.narrow(0, 0, steps).narrow(2, units + features, 1).fill_(Scalars.One);
        var gates = empty(steps, n, g, x.dtype);
        var cells = empty(steps, n, units, x.dtype);
        var packed = own ? new PackedMatrix(Floats(weights), (int)k, (int)g) : null;
        var chunks = Lanes.Chunks(n, chunking);
        Lanes.Run(chunks, chunk =>
        {
            var (r0, rows) = Lanes.Range(n, chunks, chunk);
            var shape = new LstmGates.Shape((int)rows, (int)units, (int)k);
            if (packed is not null)
            {
                // whole tensors as spans, taken once per chunk: a step's slabs are slices, no tensor views per step
                Span<float> allBlocks = Floats(blocks), allGates = Floats(gates), allCells = Floats(cells);
                for (long t = 0; t < steps; t++)
                {
                    var block = Slab(allBlocks, t, n, k, r0, rows);
                    var z = Slab(allGates, t, n, g, r0, rows);
                    if (t == 0) // h₋₁ = 0: only [x_0 | 1]·[W; b], the packed rows from H on
                        Sgemm.Multiply(block[(int)units..], (int)k, (int)rows, (int)(features + 1), packed, (int)units, false, z, (int)g);
                    else Sgemm.Multiply(block, (int)k, (int)rows, (int)k, packed, 0, false, z, (int)g);
                    LstmGates.Forward(z, t > 0 ? Slab(allCells, t - 1, n, units, r0, rows) : Span<float>.Empty,
                        Slab(allCells, t, n, units, r0, rows), Slab(allBlocks, t + 1, n, k, r0, rows), shape);
                }
                return;
            }
            using var inputRows = weights.narrow(0, units, features + 1);
            for (long t = 0; t < steps; t++)
            {
                using var block = Rows(blocks, t, r0, rows);
                using var first = t == 0 ? block.narrow(1, units, features + 1) : null; // h₋₁ = 0: only [x_0 | 1]·[W; b]
                using var z = Rows(gates, t, r0, rows);
                z.addmm_(first ?? block, t == 0 ? inputRows : weights, 0, 1);
                using var c = Rows(cells, t, r0, rows);
                using var cPrev = t > 0 ? Rows(cells, t - 1, r0, rows) : null;
                using var next = Rows(blocks, t + 1, r0, rows);
                LstmGates.Forward(Floats(z), cPrev is null ? Span<float>.Empty : Floats(cPrev), Floats(c), Floats(next), shape);
            }
        });
        ctx.save_for_backward(new List<Tensor> { gates, cells, blocks, weights });
        ctx.save_data("returnSequences", returnSequences);
        ctx.save_data("chunking", chunking);
        ctx.save_data("own", own);
        ctx.save_data("inputGrad", x.requires_grad);
        var hidden = blocks.narrow(2, 0, units);
        return new List<Tensor> { returnSequences ? hidden.narrow(0, 1, steps).contiguous() : hidden[steps].contiguous() };
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        var saved = ctx.get_saved_variables();
        var (gates, cells, blocks, weights) = (saved[0], saved[1], saved[2], saved[3]);
        var returnSequences = (bool)ctx.get_data("returnSequences");
        var inputGrad = (bool)ctx.get_data("inputGrad");
        var chunking = (LaneChunking)ctx.get_data("chunking");
        var own = (bool)ctx.get_data("own");
        long steps = gates.shape[0], n = gates.shape[1], g = gates.shape[2], units = g / 4, k = blocks.shape[2], features = k - units - 1;
        var dy = gradOutputs[0].contiguous();
        var dh = returnSequences ? zeros(n, units, gates.dtype) : dy.clone();
        var dc = zeros(n, units, gates.dtype);
        var ut = own ? null : weights.narrow(0, 0, units).t().contiguous();
        var wt = own || !inputGrad ? null : weights.narrow(0, units, features).t().contiguous();
        var dx = inputGrad ? empty(steps, n, features, gates.dtype) : null;
        var weightValues = own ? Floats(weights) : default;
        var packedUt = own ? PackedMatrix.Transposed(weightValues, (int)g, (int)g, (int)units) : null;
        var packedWt = own && inputGrad ? PackedMatrix.Transposed(weightValues[(int)(units * g)..], (int)g, (int)g, (int)features) : null;
        var chunks = Lanes.Chunks(n, chunking);
        var dWeights = zeros(chunks, k, g, gates.dtype); // one partial d[U; W; b] per chunk, summed in order below
        Lanes.Run(chunks, chunk =>
        {
            var (r0, rows) = Lanes.Range(n, chunks, chunk);
            var shape = new LstmGates.Shape((int)rows, (int)units);
            if (packedUt is not null)
            {
                Span<float> allGates = Floats(gates), allCells = Floats(cells), allBlocks = Floats(blocks);
                Span<float> allDy = returnSequences ? Floats(dy) : Span<float>.Empty, allDx = dx is null ? Span<float>.Empty : Floats(dx);
                var dhOwn = Floats(dh).Slice((int)(r0 * units), (int)(rows * units));
                var dcOwn = Floats(dc).Slice((int)(r0 * units), (int)(rows * units));
                var dwOwn = Floats(dWeights).Slice((int)(chunk * k * g), (int)(k * g));
                for (var t = steps - 1; t >= 0; t--)
                {
                    var dz = Slab(allGates, t, n, g, r0, rows);
                    LstmGates.Backward(dz, Slab(allCells, t, n, units, r0, rows),
                        t > 0 ? Slab(allCells, t - 1, n, units, r0, rows) : Span<float>.Empty, dhOwn,
                        returnSequences ? Slab(allDy, t, n, units, r0, rows) : Span<float>.Empty, dcOwn, shape);
                    // dz is in cache: d[U; W; b] += [h₋₁ | x_t | 1]ᵀ·dz (h₋₁ = 0 at t = 0), dh₋₁ = dz·Uᵀ,
                    // dx_t = dz·Wᵀ.
                    Sgemm.AccumulateTransposed(Slab(allBlocks, t, n, k, r0, rows), (int)k, dz, (int)g, (int)rows, (int)k, (int)g, dwOwn,
                        (int)g);
                    if (t > 0) Sgemm.Multiply(dz, (int)g, (int)rows, (int)g, packedUt, 0, false, dhOwn, (int)units);
                    if (dx is not null)
                        Sgemm.Multiply(dz, (int)g, (int)rows, (int)g, packedWt!, 0, false, Slab(allDx, t, n, features, r0, rows),
                            (int)features);
                }
                return;
            }
            using var dhRows = dh.narrow(0, r0, rows);
            using var dcRows = dc.narrow(0, r0, rows);
            using var dw = dWeights[chunk];
            for (var t = steps - 1; t >= 0; t--)
            {
                using var dz = Rows(gates, t, r0, rows);
                using var c = Rows(cells, t, r0, rows);
                using var cPrev = t > 0 ? Rows(cells, t - 1, r0, rows) : null;
                using var dyRows = returnSequences ? Rows(dy, t, r0, rows) : null;
                LstmGates.Backward(Floats(dz), Floats(c), cPrev is null ? Span<float>.Empty : Floats(cPrev),
                                   Floats(dhRows), dyRows is null ? Span<float>.Empty : Floats(dyRows), Floats(dcRows), shape);
                // dz is in cache: d[U; W; b] += [h₋₁ | x_t | 1]ᵀ·dz (h₋₁ = 0 at t = 0), dh₋₁ = dz·Uᵀ, dx_t = dz·Wᵀ.
                using var block = Rows(blocks, t, r0, rows);
                using var blockT = block.t();
                dw.addmm_(blockT, dz, 1, 1);
                if (t > 0) dhRows.addmm_(dz, ut!, 0, 1); // set whenever the kernels are libtorch's
                if (dx is not null)
                {
                    using var dxRows = Rows(dx, t, r0, rows);
                    dxRows.addmm_(dz, wt!, 0, 1);
                }
            }
        });
        var total = dWeights[0];
        for (var c = 1; c < chunks; c++) total.PlusInPlace(dWeights[c]);
        return new List<Tensor>
        {
            dx!, total.narrow(0, units, features), total.narrow(0, 0, units), total[units + features], null!, null!, null!,
        };
    }

    /// <summary>Rows [r0, r0 + rows) of time step t of a time-major (T, n, ·) tensor: a contiguous (rows, ·) slab.</summary>
    static Tensor Rows(Tensor timeMajor, long t, long r0, long rows)
    {
        using var step = timeMajor[t];
        return step.narrow(0, r0, rows);
    }

    /// <summary>The same slab as <see cref="Rows"/>, as a slice of the whole (T, n, width) tensor's values.</summary>
    static Span<float> Slab(Span<float> timeMajor, long t, long n, long width, long r0, long rows) =>
        timeMajor.Slice((int)((t * n + r0) * width), (int)(rows * width));

    static Span<float> Floats(Tensor t) => Predictor.Floats(t);
}
