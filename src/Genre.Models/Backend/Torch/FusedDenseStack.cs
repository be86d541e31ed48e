using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// One training pass of a dense net (flat input; Dense relu or linear layers, Dropout between them, a final Dense softmax) as one
/// autograd node whose output is the mean cross-entropy: forward, loss and backward of every layer run in one <see cref="Lanes"/>
/// pass on <see cref="Sgemm"/>'s kernels, each block of <see cref="BlockRows"/> rows of a chunk through the whole net, where
/// <see cref="FusedDense"/> forks and joins once per layer and direction and dispatches a dozen libtorch ops per layer between them
/// (with it, the work around the gemms was three quarters of DNN1's epoch). The dropout masks are drawn from the pass's generator
/// in layer order with the same calls as <see cref="DropoutTorch"/>, so both paths train on the same masks; each chunk adds its
/// blocks' partial weight gradients in block order, the chunks summed in chunk order, so gradients are bit-identical on any number
/// of threads. Same model as the per-layer path (tests: loss and every gradient ≤ 1e-5).
/// </summary>
internal sealed class FusedDenseStack : autograd.MultiTensorFunction<FusedDenseStack>
{
    public override string Name => nameof(FusedDenseStack);

    /// <summary>One Dense layer of the stack: its widths, relu or linear, and the dropout on its input (0: none).</summary>
    internal sealed record Step(int In, int Out, bool Relu, double DropRate, int Kernel, int Bias)
    {
        /// <summary>Dropout's scale on kept units, as DropoutTorch's Scalar becomes in float32.</summary>
        public float Scale => (float)(1.0 / (1.0 - DropRate));
    }

    /// <summary>
    /// The stack's steps when <paramref name="spec"/> is a dense net this class trains: flat float input, Dense layers with relu
    /// or no activation, at most one Dropout before each, the last layer a Dense softmax; None otherwise.
    /// </summary>
    static Option<Step[]> Plan(Sequential spec)
    {
        if (spec.InputShape.Count != 1 || spec.Layers.IsEmpty) return None;
        var steps = new List<Step>();
        var width = spec.InputShape[0];
        var rate = 0.0;
        var parameter = 0;
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var last = i == spec.Layers.Count - 1;
            switch (spec.Layers[i])
            {
                case Dropout d when !last && rate == 0 && d.Rate is > 0 and < 1:
                    rate = d.Rate;
                    break;
                case Dropout { Rate: 0 } when !last:
                    break;
                case Dense d when last ? d.Activation == Activation.Softmax : d.Activation is Activation.Relu or Activation.Linear:
                    steps.Add(new Step(width, d.Units, d.Activation == Activation.Relu, rate, parameter, parameter + 1));
                    parameter += 2;
                    width = d.Units;
                    rate = 0;
                    break;
                default:
                    return None;
            }
        }
        return Some(steps.ToArray());
    }

    /// <summary>Whether <see cref="Prepare"/> takes <paramref name="model"/>: a dense net (<see cref="Plan"/>) of float32
    /// parameters on genre's own gemms.</summary>
    public static bool Handles(TorchModel model) => OnOwnGemms(model) && Plan(model.Spec).IsSome;

    /// <summary>Float32 parameters on genre's own gemms, which the CPU supports.</summary>
    static bool OnOwnGemms(TorchModel model) =>
        Sgemm.Supported && model.OwnGemm && model.Parameters.All(p => p.dtype == ScalarType.Float32);

    /// <summary>A dense net's weights packed for its passes: valid until the weights change (an optimizer step), so a batch's
    /// micro-batches share one.</summary>
    internal sealed record Prepared(Step[] Steps, PackedMatrix[] Packed, PackedMatrix?[] PackedT, int[] Offsets);

    /// <summary><paramref name="model"/>'s weights as they are now, packed for <see cref="Loss"/>; None when it is not a dense
    /// net of float32 parameters on genre's own gemms.</summary>
    public static Option<Prepared> Prepare(TorchModel model)
    {
        if (!OnOwnGemms(model)) return None;
        return Plan(model.Spec).Map(steps =>
        {
            using var noGrad = no_grad();
            var values = model.Parameters.Select(p => p.detach().contiguous()).ToArray();
            var packed = steps
                .Select(s => new PackedMatrix(Predictor.Floats(values[s.Kernel]), s.In, s.Out, Predictor.Floats(values[s.Bias]))).ToArray();
            // Kᵀ for dX; the first layer's input needs no gradient
            var packedT = steps.Select((s, l) => l == 0 ? null
                : PackedMatrix.Transposed(Predictor.Floats(values[s.Kernel]), s.Out, s.Out, s.In)).ToArray();
            var offsets = new int[values.Length + 1];
            for (var i = 0; i < values.Length; i++) offsets[i + 1] = offsets[i] + (int)values[i].numel();
            foreach (var v in values) v.Dispose();
            return new Prepared(steps, packed, packedT, offsets);
        });
    }

    /// <summary>
    /// The mean cross-entropy of <paramref name="model"/> (its weights as <paramref name="prepared"/> packed them) on rows
    /// <paramref name="x"/> (n, F) with labels <paramref name="y"/> (Keras' label smoothing <paramref name="smoothing"/>),
    /// dropout on and drawn from <paramref name="dropout"/>, as a scalar whose backward leaves the gradients in the parameters;
    /// and the rows predicted right (largest logit).
    /// </summary>
    public static (Tensor Loss, long Correct) Loss(Prepared prepared, TorchModel model, Tensor x, Tensor y, Generator? dropout,
        double smoothing)
    {
        int n = (int)x.shape[0];
        // the masks first, in layer order, as DropoutTorch draws them: the same generator calls give the same masks
        var masks = prepared.Steps.Select(s => s.DropRate > 0 ? DrawMask(n, s.In, s.DropRate, s.Scale, dropout) : null).ToArray();
        var labels = Labels(prepared.Steps[^1].Out, model, y);
        var tally = new Tally();
        try
        {
            var loss = apply(new object[] { x.contiguous(), prepared, masks, labels, smoothing, model.Chunking, tally }
                .Concat(model.Parameters).ToArray())[0];
            return (loss, tally.Correct);
        }
        finally
        {
            foreach (var mask in masks) if (mask is not null) ArrayPool<float>.Shared.Return(mask);
        }
    }

    /// <summary>
    /// Evaluation's pass (dropout off, no gradients): the summed cross-entropy of rows <paramref name="x"/> (n, F) against labels
    /// <paramref name="y"/> — in float64 from the logits, as <see cref="KerasLoss.CrossEntropy"/> takes it on float64 logits — and
    /// the rows predicted right, in one <see cref="Lanes"/> pass, each chunk of rows through the whole net. The logits are the
    /// layer-by-layer path's bit for bit (the same packed kernels, bias and relu in the same epilogue).
    /// </summary>
    public static (double LossSum, long Correct) Evaluate(Prepared prepared, TorchModel model, Tensor x, Tensor y)
    {
        int n = (int)x.shape[0];
        var labels = Labels(prepared.Steps[^1].Out, model, y);
        var steps = prepared.Steps;
        var classes = steps[^1].Out;
        var chunks = Lanes.Chunks(n, model.Chunking);
        var losses = new double[chunks];
        var corrects = new long[chunks];
        using var input = x.detach().contiguous();
        Lanes.Run(chunks, chunk =>
        {
            var (r0, count) = Lanes.Range(n, chunks, chunk);
            var rows = (int)count;
            using var xRows = input.narrow(0, r0, rows);
            var pool = ArrayPool<float>.Shared;
            var a = pool.Rent(rows * steps[0].In);
            Predictor.Floats(xRows).CopyTo(a);
            for (var l = 0; l < steps.Length; l++)
            {
                var s = steps[l];
                var o = pool.Rent(rows * s.Out);
                Sgemm.Multiply(a, s.In, rows, s.In, prepared.Packed[l], 0, s.Relu, o, s.Out);
                pool.Return(a);
                a = o;
            }
            (losses[chunk], corrects[chunk]) = CrossEntropy(a, rows, classes, labels.AsSpan((int)r0, rows));
            pool.Return(a);
        });
        return (losses.Sum(), corrects.Sum());
    }

    /// <summary><paramref name="y"/>'s labels, each checked to be one of the net's classes (as libtorch's loss refuses others).</summary>
    internal static long[] Labels(int classes, TorchModel model, Tensor y)
    {
        using var labelValues = y.to(ScalarType.Int64).contiguous();
        var labels = MemoryMarshal.Cast<byte, long>(labelValues.bytes).ToArray(); // one copy (data<T>() reads value by value)
        if (labels.FirstOrDefault(v => v < 0 || v >= classes, 0) is var bad && (bad < 0 || bad >= classes))
            throw new ArgumentException($"{model.Spec.Name}: label {bad} is not one of the {classes} classes"); // as libtorch's loss
        return labels;
    }

    /// <summary>Each row's cross-entropy (log Σ exp z − z_label, in float64) summed, and how many rows' largest logit (the first,
    /// on ties) is their label.</summary>
    internal static (double Loss, long Correct) CrossEntropy(float[] logits, int rows, int classes, ReadOnlySpan<long> labels)
    {
        double loss = 0;
        long correct = 0;
        for (var r = 0; r < rows; r++)
        {
            var z = logits.AsSpan(r * classes, classes);
            var best = 0;
            for (var j = 1; j < classes; j++) if (z[j] > z[best]) best = j;
            double max = z[best], sum = 0;
            for (var j = 0; j < classes; j++) sum += Math.Exp(z[j] - max);
            var label = (int)labels[r];
            loss += max + Math.Log(sum) - z[label];
            if (best == label) correct++;
        }
        return (loss, correct);
    }

    /// <summary>Rows a lane takes through the whole net at once: DNN1's activations for 128 rows are 260 KB, within a core's L2,
    /// and a pass may then be the whole batch (one fork and join a batch, not one per 1,024 rows).</summary>
    internal const int BlockRows = 128;

    /// <summary>How many inputs of <see cref="forward"/> come before the parameters.</summary>
    const int Inputs = 7;

    /// <summary>Where <see cref="forward"/> leaves the rows it predicted right (a count, not a tensor autograd would track).</summary>
    sealed class Tally
    {
        public long Correct;
    }

    /// <summary>A dropout mask as factors: <paramref name="scale"/> where a unit is kept, 0 where it is dropped; in a pooled array
    /// (a fresh 4 MB array per micro-batch cost more in page faults than the draw itself), returned by <see cref="Loss"/>.</summary>
    static float[] DrawMask(int rows, int width, double rate, float scale, Generator? dropout)
    {
        using var noGrad = no_grad();
        using Scalar threshold = rate;
        using var keep = rand(new long[] { rows, width }, ScalarType.Float32, generator: dropout).ge(threshold).contiguous();
        ReadOnlySpan<byte> kept = keep.bytes; // libtorch's bool: 1 kept, 0 dropped
        var factors = ArrayPool<float>.Shared.Rent(kept.Length);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var kept8 = Vector256.Create(scale);
            for (; i + 8 <= kept.Length; i += 8)
            {
                var bytes = Vector128.CreateScalar(MemoryMarshal.Read<ulong>(kept.Slice(i, 8))).AsByte();
                var ones = Vector256.WidenLower(Vector256.WidenLower(bytes.ToVector256())).AsInt32(); // 8 bytes → 8 ints
                (Vector256.ConvertToSingle(ones) * kept8).CopyTo(factors.AsSpan(i, 8));
            }
        }
        for (; i < kept.Length; i++) factors[i] = kept[i] != 0 ? scale : 0f;
        return factors;
    }

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        var (steps, packed, packedT, offsets) = (Prepared)vars[1];
        var masks = (float[]?[])vars[2];
        var labels = (long[])vars[3];
        var smoothing = (double)vars[4];
        var chunking = (LaneChunking)vars[5];
        var tally = (Tally)vars[6];
        var parameters = vars.Skip(Inputs).Cast<Tensor>().ToArray();
        int n = (int)x.shape[0];
        var chunks = Lanes.Chunks(n, chunking);
        var partials = new float[chunks][]; // per chunk: every parameter's gradient, in parameter order
        var losses = new double[chunks];
        var corrects = new long[chunks];
        var input = x.detach();
        Lanes.Run(chunks, chunk =>
        {
            var (r0, rows) = Lanes.Range(n, chunks, chunk);
            var pool = ArrayPool<float>.Shared;
            partials[chunk] = pool.Rent(offsets[^1]);
            System.Array.Clear(partials[chunk], 0, offsets[^1]);
            var width = steps[0].In;
            var rowValues = pool.Rent(Math.Min(BlockRows, (int)rows) * width);
            for (var b0 = 0; b0 < rows; b0 += BlockRows) // block by block: a block's activations stay in the core's cache
            {
                var m = (int)Math.Min(BlockRows, rows - b0);
                Predictor.Floats(input).Slice((int)(r0 + b0) * width, m * width).CopyTo(rowValues);
                var (loss, correct) = Chunk(rowValues, (int)r0 + b0, m, n, steps, masks, packed, packedT, labels, smoothing,
                    partials[chunk], offsets);
                losses[chunk] += loss;
                corrects[chunk] += correct;
            }
            pool.Return(rowValues);
        });
        // the chunks' partials summed in chunk order, each lane over its own range of the values, straight into the gradients
        // (scaled by the loss's output gradient in backward)
        var gradients = parameters.Select(p => empty(p.shape, ScalarType.Float32)).ToArray();
        var length = offsets[^1];
        Lanes.Run(chunks, part =>
        {
            var (start, count) = Lanes.Range(length, chunks, part);
            var total = partials[0].AsSpan((int)start, (int)count);
            for (var c = 1; c < chunks; c++) Add(total, partials[c].AsSpan((int)start, (int)count));
            for (var i = 0; i < parameters.Length; i++)
            {
                var (from, to) = (Math.Max(offsets[i], (int)start), Math.Min(offsets[i + 1], (int)(start + count)));
                if (from < to) partials[0].AsSpan(from, to - from).CopyTo(Predictor.Floats(gradients[i])[(from - offsets[i])..]);
            }
        });
        foreach (var partial in partials) ArrayPool<float>.Shared.Return(partial);
        ctx.save_for_backward(gradients.ToList());
        tally.Correct = corrects.Sum();
        return new List<Tensor> { tensor((float)(losses.Sum() / n)) };
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        var gradients = ctx.get_saved_variables();
        var scale = gradOutputs[0];
        var result = Enumerable.Repeat<Tensor>(null!, Inputs).ToList();
        result.AddRange(gradients.Select(g => g.mul(scale)));
        return result;
    }

    /// <summary>One chunk of rows through the whole net and back: its summed loss and correct count; its weight gradients
    /// (of the mean loss over all <paramref name="n"/> rows) into <paramref name="grad"/>.</summary>
    static (double Loss, long Correct) Chunk(float[] x, int r0, int rows, int n, Step[] steps, float[]?[] masks, PackedMatrix[] packed,
        PackedMatrix?[] packedT, long[] labels, double smoothing, float[] grad, int[] offsets)
    {
        var pool = ArrayPool<float>.Shared;
        var inputs = new float[steps.Length][]; // each layer's input after its dropout
        var outputs = new float[steps.Length][];
        try
        {
            var a = x;
            for (var l = 0; l < steps.Length; l++)
            {
                var s = steps[l];
                inputs[l] = masks[l] is float[] mask ? Masked(a, mask.AsSpan(r0 * s.In, rows * s.In), pool) : a;
                outputs[l] = pool.Rent(rows * s.Out);
                Sgemm.Multiply(inputs[l], s.In, rows, s.In, packed[l], 0, s.Relu, outputs[l], s.Out);
                a = outputs[l];
            }
            var classes = steps[^1].Out;
            var g = pool.Rent(rows * classes);
            var (loss, correct) = SoftmaxCrossEntropy(outputs[^1], rows, classes, labels.AsSpan(r0, rows), smoothing, 1f / n, g);
            for (var l = steps.Length - 1; l >= 0; l--)
            {
                var s = steps[l];
                var gl = g.AsSpan(0, rows * s.Out);
                if (s.Relu) FusedDense.MaskNonPositive(gl, outputs[l].AsSpan(0, rows * s.Out));
                Sgemm.AccumulateTransposed(inputs[l], s.In, gl, s.Out, rows, s.In, s.Out, grad.AsSpan(offsets[s.Kernel]), s.Out);
                FusedDense.SumRows(gl, rows, s.Out, grad.AsSpan(offsets[s.Bias], s.Out));
                if (l == 0) break;
                var dx = pool.Rent(rows * s.In);
                Sgemm.Multiply(gl, s.Out, rows, s.Out, packedT[l]!, 0, false, dx, s.In);
                if (masks[l] is float[] mask) Multiply(dx.AsSpan(0, rows * s.In), mask.AsSpan(r0 * s.In, rows * s.In));
                pool.Return(g);
                g = dx;
            }
            pool.Return(g);
            return (loss, correct);
        }
        finally
        {
            for (var l = 0; l < steps.Length; l++)
            {
                if (outputs[l] is float[] o) pool.Return(o);
                if (masks[l] is not null && inputs[l] is float[] i) pool.Return(i);
            }
        }
    }

    /// <summary>Dropout's output, as DropoutTorch computes it: (a · keep) · scale, one rounding, = a · factor.</summary>
    static float[] Masked(float[] a, ReadOnlySpan<float> factors, ArrayPool<float> pool)
    {
        var result = pool.Rent(factors.Length);
        a.AsSpan(0, factors.Length).CopyTo(result);
        Multiply(result.AsSpan(0, factors.Length), factors);
        return result;
    }

    /// <summary>v[i] ← v[i] · factors[i].</summary>
    static void Multiply(Span<float> v, ReadOnlySpan<float> factors)
    {
        var i = 0;
        for (; i + 8 <= v.Length; i += 8) (Vector256.Create(v.Slice(i, 8)) * Vector256.Create(factors.Slice(i, 8))).CopyTo(v.Slice(i, 8));
        for (; i < v.Length; i++) v[i] *= factors[i];
    }

    /// <summary>
    /// Each row's cross-entropy against (1 − ε)·one-hot + ε / classes, from its logits, and its gradient
    /// (softmax − target) · <paramref name="perRow"/> into <paramref name="g"/>; the summed loss and how many rows' largest
    /// logit (the first, on ties) is their label.
    /// </summary>
    internal static (double Loss, long Correct) SoftmaxCrossEntropy(float[] logits, int rows, int classes, ReadOnlySpan<long> labels,
        double smoothing, float perRow, float[] g)
    {
        double loss = 0;
        long correct = 0;
        var off = (float)(smoothing / classes);
        var on = (float)(1 - smoothing) + off;
        for (var r = 0; r < rows; r++)
        {
            var z = logits.AsSpan(r * classes, classes);
            var gr = g.AsSpan(r * classes, classes);
            var best = 0;
            for (var j = 1; j < classes; j++) if (z[j] > z[best]) best = j;
            var max = z[best];
            var lse = max + Math.Log(Exponentials(z, max, gr)); // gr ← exp(z − max) for now
            var label = (int)labels[r];
            double rowLoss = 0;
            var inverseSum = (float)Math.Exp(max - lse);
            if (off != 0)
                for (var j = 0; j < classes; j++) rowLoss -= (j == label ? on : off) * (z[j] - lse);
            else rowLoss -= on * (z[label] - lse);
            // every class with the off target, then the label's again with its own: the same float operations per element
            var labelExp = gr[label];
            var j0 = 0;
            if (Vector512.IsHardwareAccelerated)
                for (var (inv, t, scale) = (Vector512.Create(inverseSum), Vector512.Create(off), Vector512.Create(perRow));
                     j0 + 16 <= classes; j0 += 16)
                    ((Vector512.Create(gr.Slice(j0, 16)) * inv - t) * scale).CopyTo(gr.Slice(j0, 16));
            for (var j = j0; j < classes; j++) gr[j] = (gr[j] * inverseSum - off) * perRow;
            gr[label] = (labelExp * inverseSum - on) * perRow;
            loss += rowLoss;
            if (best == label) correct++;
        }
        return (loss, correct);
    }

    /// <summary>e[j] = exp(z[j] − max), and Σ e (float32 exponentials, as libtorch's softmax takes them).</summary>
    static double Exponentials(ReadOnlySpan<float> z, float max, Span<float> e)
    {
        var j = 0;
        var sum = 0.0;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            for (; j + 16 <= z.Length; j += 16)
            {
                var v = Vector512.Exp(Vector512.Create(z.Slice(j, 16)) - Vector512.Create(max));
                v.CopyTo(e.Slice(j, 16));
                acc += v;
            }
            sum = Vector512.Sum(acc);
        }
        for (; j < z.Length; j++) sum += e[j] = MathF.Exp(z[j] - max);
        return sum;
    }

    internal static void Add(Span<float> total, ReadOnlySpan<float> part)
    {
        var i = 0;
        for (; i + 8 <= total.Length; i += 8)
            (Vector256.Create(total.Slice(i, 8)) + Vector256.Create(part.Slice(i, 8))).CopyTo(total.Slice(i, 8));
        for (; i < total.Length; i++) total[i] += part[i];
    }
}
