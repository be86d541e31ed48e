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

    /// <summary>
    /// Softmax outputs, rows × classes, row-major, into <paramref name="into"/> when given (else a new array); passes of at
    /// most <paramref name="passRows"/> rows per lane; the gemms are <see cref="Sgemm"/>'s when <paramref name="sgemm"/> and
    /// the CPU has AVX-512F, else libtorch's.
    /// </summary>
    public static float[] Predict(Sequential spec, IReadOnlyList<Tensor> p, Tensor input, int rows, int classes, int passRows,
                                  bool sgemm = true, LaneChunking? chunking = null, float[]? into = null)
    {
        if (into is not null && into.Length < (long)rows * classes)
            throw new ArgumentException($"{spec.Name}: the buffer holds {into.Length:N0} probabilities, not {rows:N0} × {classes}");
        var result = into ?? GC.AllocateUninitializedArray<float>(checked(rows * classes)); // every value is written by a pass
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (steps, head) = Prepare(spec, p, sgemm && Sgemm.Supported);
        var sequence = spec.InputShape.Count == 2;
        // Passes are fixed by the rows alone; each lane takes the next pass not yet taken, so a lane whose core is busy with
        // other work holds the others back by one pass at most. A row's result does not depend on which lane computes it.
        var passes = (rows + passRows - 1) / passRows;
        var taken = -1;
        Lanes.Run(Math.Min(passes, Lanes.Chunks(rows, chunking ?? LaneChunking.Default)), _ =>
        {
            using var laneNoGrad = no_grad(); // grad mode is per thread
            for (var index = Interlocked.Increment(ref taken); index < passes; index = Interlocked.Increment(ref taken))
            {
                using var pass = NewDisposeScope();
                var start = (long)index * passRows;
                var len = (int)Math.Min(passRows, rows - start);
                var h = input.narrow(0, start, len);
                if (sequence) h = h.transpose(0, 1).contiguous(); // (n, T, F) → time-major (T, n, F)
                foreach (var step in steps) h = step(h);
                var probabilities = result.AsSpan((int)(start * classes), len * classes);
                if (head is null) Floats(h.contiguous()).CopyTo(probabilities);
                else
                {
                    // the softmax head straight into the result: its gemm, then the softmax in place
                    Sgemm.Multiply(Floats(h.contiguous()), head.K, len, head.K, head, 0, false, probabilities, classes);
                    SoftmaxRows.Apply(probabilities, len, classes);
                }
            }
        });
        return result;
    }

    /// <summary>Each layer's <see cref="ITorchLayer{TLayer}.Step"/>, a linear Dense folded into the LSTM after it (as
    /// <see cref="KerasForward"/> folds it); a last Dense softmax on genre's kernels is not a step but the packed head, which
    /// the pass runs into the result (<see cref="SoftmaxRows"/>).</summary>
    static (List<Func<Tensor, Tensor>> Steps, PackedMatrix? Head) Prepare(Sequential spec, IReadOnlyList<Tensor> p, bool sgemm)
    {
        var weights = TorchLayers.PerLayer(spec, p.Select(t => t.detach()).ToArray());
        var steps = new List<Func<Tensor, Tensor>>();
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            if (sgemm && i == spec.Layers.Count - 1 && layer is Dense { Activation: Activation.Softmax } && FlatBefore(spec, i)
                && Pack(weights[i][0], weights[i][1]) is PackedMatrix head)
                return (steps, head);
            if (i + 1 < spec.Layers.Count && LstmTorch.Folds(layer, spec.Layers[i + 1]))
            {
                steps.AddRange(LstmTorch.Step((Lstm)spec.Layers[i + 1], LstmTorch.Fold(weights[i], weights[i + 1]), sgemm));
                i++;
            }
            else
                steps.AddRange(TorchLayers.Of(layer).Step(layer, weights[i], sgemm));
        }
        return (steps, null);
    }

    /// <summary>Whether layer <paramref name="i"/> gets one row per sample: a flat input, or an LSTM's last h.</summary>
    static bool FlatBefore(Sequential spec, int i) =>
        i == 0 ? spec.InputShape.Count == 1 : spec.Layers[i - 1] switch
        {
            Lstm l => !l.ReturnSequences,
            _ => FlatBefore(spec, i - 1) && spec.Layers[i - 1] is Dense or Dropout or BatchNormalization,
        };

    /// <summary>The (K, N) weights packed for <see cref="Sgemm"/> (float32 only; null otherwise: libtorch's addmm is used).</summary>
    internal static PackedMatrix? Pack(Tensor weights, Tensor? bias)
    {
        if (weights.dtype != ScalarType.Float32) return null;
        using var w = weights.detach().contiguous();
        using var b = bias?.detach().contiguous();
        return new PackedMatrix(Floats(w), (int)w.shape[0], (int)w.shape[1], b is null ? default : Floats(b));
    }

    /// <summary>A float32 tensor's values, in place.</summary>
    internal static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);
}
