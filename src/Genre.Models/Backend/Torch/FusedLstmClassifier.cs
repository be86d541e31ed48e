using System.Buffers;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// One training pass of an LSTM classifier — a sequence input, an optional linear Dense folded into the LSTM
/// (<see cref="LstmTorch.Fold"/>), one LSTM giving its last h, a Dense softmax — as one autograd node whose output is the
/// mean cross-entropy: the recurrence, the head, the loss and the whole backward run in one <see cref="Lanes"/> pass, each
/// block of <see cref="BlockRows"/> rows through the net and back before the next. Layer by layer (<see cref="FusedLstm"/>)
/// a micro-batch's (T, n, 4H) gate activations (20 MB for RNN1's 1,024 rows) go to memory in the forward and come back in
/// the backward, after the head; per block they are 0.6 MB and stay in the core's cache, and no libtorch op runs between
/// the forward and the backward. The same step kernels (<see cref="Sgemm"/>, <see cref="LstmGates"/>) and the same loss
/// (<see cref="FusedDenseStack.SoftmaxCrossEntropy"/>) as the other paths: the same model (tests: loss and every gradient
/// ≤ 1e-5 of the layer-by-layer path). Each chunk sums its blocks' weight gradients in block order and the chunks are
/// summed in chunk order, so gradients are bit-identical on any number of threads.
/// </summary>
internal sealed class FusedLstmClassifier : autograd.MultiTensorFunction<FusedLstmClassifier>
{
    public override string Name => nameof(FusedLstmClassifier);

    /// <summary>Rows a lane takes through the whole net at once: RNN1's gates for 32 rows over 15 steps are 0.6 MB, which
    /// with the block's [h | x | 1] rows, cells and the packed weights stays within a Zen 5 core's 1 MB L2
    /// (bench/results/training.md has what 16, 32, 64 and 128 rows cost).</summary>
    internal const int BlockRows = 32;

    /// <summary>The net's sizes and where its parameters are: the Dense folded into the LSTM (kernel, bias) if any, the LSTM's
    /// kernel, recurrent kernel and bias, the head's kernel and bias.</summary>
    internal sealed record Plan(int Steps, int Features, int Units, int Classes, Option<(int Kernel, int Bias)> Folded, int Lstm,
        int Head);

    /// <summary>The plan when <paramref name="spec"/> is [linear Dense,] LSTM (last h only), Dense softmax on a (T, F) input.</summary>
    static Option<Plan> PlanOf(Sequential spec)
    {
        if (spec.InputShape.Count != 2) return None;
        var layers = spec.Layers.ToArray();
        var folded = layers.Length == 3 && LstmTorch.Folds(layers[0], layers[1]);
        if (layers.Length != (folded ? 3 : 2)) return None;
        if (layers[^2] is not Lstm { ReturnSequences: false } lstm) return None;
        if (layers[^1] is not Dense { Activation: Activation.Softmax } head) return None;
        return new Plan(spec.InputShape[0], spec.InputShape[1], lstm.Units, head.Units,
            folded ? Some((0, 1)) : None, folded ? 2 : 0, folded ? 5 : 3);
    }

    /// <summary>Whether <see cref="Loss"/> takes <paramref name="model"/>: such a net (<see cref="PlanOf"/>) of float32
    /// parameters on genre's own gemms, which the CPU supports.</summary>
    public static bool Handles(TorchModel model) =>
        Sgemm.Supported && model.OwnGemm && model.Parameters.All(p => p.dtype == ScalarType.Float32) && PlanOf(model.Spec).IsSome;

    /// <summary>
    /// The mean cross-entropy of <paramref name="model"/> on rows <paramref name="x"/> (n, T, F) with labels
    /// <paramref name="y"/> (label smoothing <paramref name="smoothing"/>), as a scalar whose backward leaves the gradients in
    /// the parameters (through the fold's libtorch ops to the Dense's); and the rows predicted right (largest logit).
    /// </summary>
    public static (Tensor Loss, long Correct) Loss(TorchModel model, Tensor x, Tensor y, double smoothing)
    {
        var (plan, lstm) = Weights(model);
        var p = model.Parameters;
        var labels = FusedDenseStack.Labels(plan.Classes, model, y);
        var tally = new Tally();
        var loss = apply(x.contiguous(), plan, labels, smoothing, model.Chunking, tally, lstm[0], lstm[1], lstm[2],
            p[plan.Head], p[plan.Head + 1])[0];
        return (loss, tally.Correct);
    }

    /// <summary>The plan of <paramref name="model"/> and its LSTM's W, U and b, the Dense folded in (through libtorch's ops,
    /// so that autograd reaches the Dense's weights when gradients are on).</summary>
    static (Plan Plan, IReadOnlyList<Tensor> Lstm) Weights(TorchModel model)
    {
        var plan = PlanOf(model.Spec).IfNone(() => throw new ArgumentException($"{model.Spec.Name} is not an LSTM classifier"));
        var p = model.Parameters;
        var lstm = plan.Folded.Match(
            f => LstmTorch.Fold([p[f.Kernel], p[f.Bias]], [p[plan.Lstm], p[plan.Lstm + 1], p[plan.Lstm + 2]]),
            () => (IReadOnlyList<Tensor>)[p[plan.Lstm], p[plan.Lstm + 1], p[plan.Lstm + 2]]);
        return (plan, lstm);
    }

    /// <summary>
    /// Evaluation's pass (no gradients): the summed cross-entropy of rows <paramref name="x"/> (n, T, F) against labels
    /// <paramref name="y"/>, in float64 from the logits as <see cref="KerasLoss.CrossEntropy"/> takes it on float64 logits,
    /// and the rows predicted right, in one <see cref="Lanes"/> pass, block by block as in training.
    /// </summary>
    public static (double LossSum, long Correct) Evaluate(TorchModel model, Tensor x, Tensor y)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (plan, lstm) = Weights(model);
        var p = model.Parameters;
        var net = new Net(plan, Pack(new[] { lstm[0], lstm[1], lstm[2], p[plan.Head], p[plan.Head + 1] }
            .Select(w => w.detach().contiguous()).ToArray(), plan));
        var labels = FusedDenseStack.Labels(plan.Classes, model, y);
        var input = x.detach().contiguous();
        int n = (int)input.shape[0];
        var chunks = Lanes.Chunks(n, model.Chunking);
        var losses = new double[chunks];
        var corrects = new long[chunks];
        Lanes.Run(chunks, chunk =>
        {
            var (r0, rows) = Lanes.Range(n, chunks, chunk);
            (losses[chunk], corrects[chunk]) = Chunk(net, Predictor.Floats(input), (int)r0, (int)rows, n, labels, 0, null);
        });
        return (losses.Sum(), corrects.Sum());
    }

    /// <summary>Where <see cref="forward"/> leaves the rows it predicted right (a count, not a tensor autograd would track).</summary>
    sealed class Tally
    {
        public long Correct;
    }

    /// <summary>How many inputs of <see cref="forward"/> come before the weights (W, U, b, head kernel, head bias).</summary>
    const int Inputs = 6;

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = ((Tensor)vars[0]).detach();
        var plan = (Plan)vars[1];
        var labels = (long[])vars[2];
        var smoothing = (double)vars[3];
        var chunking = (LaneChunking)vars[4];
        var tally = (Tally)vars[5];
        var weights = vars.Skip(Inputs).Cast<Tensor>().Select(w => w.detach().contiguous()).ToArray();
        int n = (int)x.shape[0], units = plan.Units, features = plan.Features, g = 4 * units, k = units + features + 1;
        int classes = plan.Classes;
        var net = new Net(plan, Pack(weights, plan));
        var chunks = Lanes.Chunks(n, chunking);
        var partials = new float[chunks][]; // per chunk: d[U; W; b] (k × 4H), then d head kernel (H × C), then d head bias (C)
        var losses = new double[chunks];
        var corrects = new long[chunks];
        var length = k * g + units * classes + classes;
        Lanes.Run(chunks, chunk =>
        {
            var (r0, rows) = Lanes.Range(n, chunks, chunk);
            partials[chunk] = ArrayPool<float>.Shared.Rent(length);
            System.Array.Clear(partials[chunk], 0, length);
            (losses[chunk], corrects[chunk]) = Chunk(net, Predictor.Floats(x), (int)r0, (int)rows, n, labels, smoothing,
                partials[chunk]);
        });
        var total = partials[0].AsSpan(0, length);
        for (var c = 1; c < chunks; c++) FusedDenseStack.Add(total, partials[c].AsSpan(0, length));
        var stacked = tensor(total[..(k * g)].ToArray(), new long[] { k, g });
        var gradients = new List<Tensor>
        {
            stacked.narrow(0, units, features).contiguous(), stacked.narrow(0, 0, units).contiguous(), stacked[k - 1].contiguous(),
            tensor(total.Slice(k * g, units * classes).ToArray(), new long[] { units, classes }),
            tensor(total.Slice(k * g + units * classes, classes).ToArray()),
        };
        foreach (var partial in partials) ArrayPool<float>.Shared.Return(partial);
        foreach (var w in weights) w.Dispose();
        ctx.save_for_backward(gradients);
        tally.Correct = corrects.Sum();
        return new List<Tensor> { tensor((float)(losses.Sum() / n)) };
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        var scale = gradOutputs[0];
        var result = Enumerable.Repeat<Tensor>(null!, Inputs).ToList();
        result.AddRange(ctx.get_saved_variables().Select(gradient => gradient.mul(scale)));
        return result;
    }

    /// <summary>The weights packed for a pass: [U; W; b] for the steps, Uᵀ for dh₋₁, the head (with its bias) and its
    /// transpose for dh_T.</summary>
    sealed record Net(Plan Plan, (PackedMatrix Stacked, PackedMatrix Ut, PackedMatrix Head, PackedMatrix HeadT) Packed);

    static (PackedMatrix, PackedMatrix, PackedMatrix, PackedMatrix) Pack(Tensor[] w, Plan plan)
    {
        int units = plan.Units, g = 4 * units, k = units + plan.Features + 1;
        using var stacked = cat(new[] { w[1], w[0], w[2].reshape(1, g) }, 0).contiguous();
        var values = Predictor.Floats(stacked);
        return (new PackedMatrix(values, k, g), PackedMatrix.Transposed(values, g, g, units),
            new PackedMatrix(Predictor.Floats(w[3]), units, plan.Classes, Predictor.Floats(w[4])),
            PackedMatrix.Transposed(Predictor.Floats(w[3]), plan.Classes, plan.Classes, units));
    }

    /// <summary>
    /// One chunk of rows, block by block, through the net and back: its summed loss and correct count; its weight gradients
    /// (of the mean loss over all <paramref name="n"/> rows) added into <paramref name="grad"/>. Without
    /// <paramref name="grad"/>, forward only, the loss in float64 from the logits (evaluation's).
    /// </summary>
    static (double Loss, long Correct) Chunk(Net net, ReadOnlySpan<float> x, int r0, int rows, int n, long[] labels,
        double smoothing, float[]? grad)
    {
        var plan = net.Plan;
        var (packed, ut, head, headT) = net.Packed;
        int steps = plan.Steps, units = plan.Units, features = plan.Features, g = 4 * units, k = units + features + 1;
        int classes = plan.Classes, most = Math.Min(BlockRows, rows);
        var pool = ArrayPool<float>.Shared;
        float[] blocks = pool.Rent((steps + 1) * most * k), gates = pool.Rent(steps * most * g), cells = pool.Rent(steps * most * units);
        float[] logits = pool.Rent(most * classes), dLogits = pool.Rent(most * classes), dh = pool.Rent(most * units);
        var dc = pool.Rent(most * units);
        double loss = 0;
        long correct = 0;
        try
        {
            for (var b0 = 0; b0 < rows; b0 += most)
            {
                var m = Math.Min(most, rows - b0);
                Slab Of(float[] a, int t, int width) => new(a, t * m * width, m * width);
                // [h₋₁ | x_t | 1] rows: h₋₁ = 0 at t = 0; x from the batch-major input (row, t, feature)
                for (var t = 0; t <= steps; t++)
                    for (var r = 0; r < m; r++)
                    {
                        var row = blocks.AsSpan((t * m + r) * k, k);
                        if (t == 0) row[..units].Clear();
                        if (t == steps) continue;
                        x.Slice(((r0 + b0 + r) * steps + t) * features, features).CopyTo(row[units..]);
                        row[k - 1] = 1;
                    }
                var shape = new LstmGates.Shape(m, units, k);
                for (var t = 0; t < steps; t++)
                {
                    var block = Of(blocks, t, k).Span;
                    var z = Of(gates, t, g).Span;
                    if (t == 0) Sgemm.Multiply(block[units..], k, m, features + 1, packed, units, false, z, g); // h₋₁ = 0
                    else Sgemm.Multiply(block, k, m, k, packed, 0, false, z, g);
                    LstmGates.Forward(z, t > 0 ? Of(cells, t - 1, units).Span : Span<float>.Empty, Of(cells, t, units).Span,
                        Of(blocks, t + 1, k).Span, shape);
                }
                // the head on h_T (block T's first H columns), the loss and its gradient
                var last = Of(blocks, steps, k).Span;
                Sgemm.Multiply(last, k, m, units, head, 0, false, logits, classes);
                if (grad is null)
                {
                    var (sum, right) = FusedDenseStack.CrossEntropy(logits, m, classes, labels.AsSpan(r0 + b0, m));
                    loss += sum;
                    correct += right;
                    continue;
                }
                var (blockLoss, blockCorrect) = FusedDenseStack.SoftmaxCrossEntropy(logits, m, classes,
                    labels.AsSpan(r0 + b0, m), smoothing, 1f / n, dLogits);
                loss += blockLoss;
                correct += blockCorrect;
                var dz0 = dLogits.AsSpan(0, m * classes);
                Sgemm.AccumulateTransposed(last, k, dz0, classes, m, units, classes, grad.AsSpan(k * g), classes);
                FusedDense.SumRows(dz0, m, classes, grad.AsSpan(k * g + units * classes, classes));
                Sgemm.Multiply(dz0, classes, m, classes, headT, 0, false, dh, units);
                dc.AsSpan(0, m * units).Clear();
                var backShape = new LstmGates.Shape(m, units);
                for (var t = steps - 1; t >= 0; t--)
                {
                    var dz = Of(gates, t, g).Span;
                    LstmGates.Backward(dz, Of(cells, t, units).Span, t > 0 ? Of(cells, t - 1, units).Span : Span<float>.Empty,
                        dh.AsSpan(0, m * units), Span<float>.Empty, dc.AsSpan(0, m * units), backShape);
                    // d[U; W; b] += [h₋₁ | x_t | 1]ᵀ·dz (h₋₁ = 0 at t = 0), dh₋₁ = dz·Uᵀ
                    Sgemm.AccumulateTransposed(Of(blocks, t, k).Span, k, dz, g, m, k, g, grad, g);
                    if (t > 0) Sgemm.Multiply(dz, g, m, g, ut, 0, false, dh, units);
                }
            }
            return (loss, correct);
        }
        finally
        {
            foreach (var a in new[] { blocks, gates, cells, logits, dLogits, dh, dc }) pool.Return(a);
        }
    }

    /// <summary>A time step's rows within a block's buffer.</summary>
    readonly record struct Slab(float[] Array, int Start, int Length)
    {
        public Span<float> Span => Array.AsSpan(Start, Length);
    }
}
