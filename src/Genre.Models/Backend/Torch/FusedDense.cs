using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// A float32 Dense layer (y = x·kernel + bias, then relu or nothing) as one autograd node on <see cref="Sgemm"/>'s kernels, for
/// training: forward is one packed gemm with the bias and relu in its epilogue; backward masks the output gradient by y &gt; 0
/// (relu), then dX = g·kernelᵀ (kernelᵀ packed once), d kernel = xᵀ·g and d bias = Σ g. Rows run in <see cref="Lanes"/>: each
/// chunk of rows (fixed by the row count alone) adds its own partial d kernel and d bias, and the partials are summed in chunk
/// order, so the gradients are bit-identical on any number of threads. Same model as <see cref="DenseTorch.Forward"/>'s
/// libtorch path (tests: ≤ 1e-5).
/// </summary>
internal sealed class FusedDense : autograd.MultiTensorFunction<FusedDense>
{
    public override string Name => nameof(FusedDense);

    /// <summary>Whether <see cref="Apply"/> computes a layer: float32 rows (n, F), linear or relu, on a CPU <see cref="Sgemm"/>
    /// supports.</summary>
    public static bool Handles(Tensor x, Activation activation) =>
        Sgemm.Supported && x.dtype == ScalarType.Float32 && x.dim() == 2 && activation is Activation.Linear or Activation.Relu;

    public static Tensor Apply(Tensor x, Tensor kernel, Tensor bias, bool relu, LaneChunking chunking) =>
        apply(x.contiguous(), kernel, bias, relu, chunking)[0];

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, kernel, bias) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
        var (relu, chunking) = ((bool)vars[3], (LaneChunking)vars[4]);
        int n = (int)x.shape[0], features = (int)x.shape[1], units = (int)kernel.shape[1];
        using var kernelValues = kernel.detach().contiguous();
        using var biasValues = bias.detach().contiguous();
        var packed = new PackedMatrix(Floats(kernelValues), features, units, Floats(biasValues));
        var input = x.detach();
        var y = empty(n, units, x.dtype);
        var chunks = Lanes.Chunks(n, chunking);
        Lanes.Run(chunks, chunk =>
        {
            var (r0, rows) = Lanes.Range(n, chunks, chunk);
            using var xRows = input.narrow(0, r0, rows);
            using var yRows = y.narrow(0, r0, rows);
            Sgemm.Multiply(Floats(xRows), features, (int)rows, features, packed, 0, relu, Floats(yRows), units);
        });
        ctx.save_for_backward(new List<Tensor> { input, y, kernel.detach() });
        ctx.save_data("relu", relu);
        ctx.save_data("chunking", chunking);
        ctx.save_data("inputGrad", x.requires_grad);
        return new List<Tensor> { y };
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        var saved = ctx.get_saved_variables();
        var (x, y, kernel) = (saved[0], saved[1], saved[2]);
        var relu = (bool)ctx.get_data("relu");
        var chunking = (LaneChunking)ctx.get_data("chunking");
        var inputGrad = (bool)ctx.get_data("inputGrad");
        int n = (int)x.shape[0], features = (int)x.shape[1], units = (int)kernel.shape[1];
        var g = relu ? gradOutputs[0].contiguous().clone() : gradOutputs[0].contiguous();
        using var kernelValues = kernel.contiguous();
        var packedKt = inputGrad ? PackedMatrix.Transposed(Floats(kernelValues), units, units, features) : null;
        var dx = inputGrad ? empty(n, features, x.dtype) : null;
        var chunks = Lanes.Chunks(n, chunking);
        var dKernels = zeros(chunks, features, units, x.dtype); // one partial per chunk, summed in chunk order below
        var dBiases = zeros(chunks, units, x.dtype);
        Lanes.Run(chunks, chunk =>
        {
            var (r0, rows) = Lanes.Range(n, chunks, chunk);
            using var gRows = g.narrow(0, r0, rows);
            using var xRows = x.narrow(0, r0, rows);
            using var dKernel = dKernels[chunk];
            using var dBias = dBiases[chunk];
            var gValues = Floats(gRows);
            if (relu)
            {
                using var yRows = y.narrow(0, r0, rows);
                MaskNonPositive(gValues, Floats(yRows));
            }
            Sgemm.AccumulateTransposed(Floats(xRows), features, gValues, units, (int)rows, features, units, Floats(dKernel), units);
            SumRows(gValues, (int)rows, units, Floats(dBias));
            if (dx is not null)
            {
                using var dxRows = dx.narrow(0, r0, rows);
                Sgemm.Multiply(gValues, units, (int)rows, units, packedKt!, 0, false, Floats(dxRows), features);
            }
        });
        var dKernelTotal = dKernels[0];
        var dBiasTotal = dBiases[0];
        for (var c = 1; c < chunks; c++)
        {
            dKernelTotal.PlusInPlace(dKernels[c]);
            dBiasTotal.PlusInPlace(dBiases[c]);
        }
        return new List<Tensor> { dx!, dKernelTotal, dBiasTotal, null!, null! };
    }

    /// <summary>g ← 0 where y ≤ 0: relu's gradient (0 at 0, as TensorFlow's and libtorch's).</summary>
    internal static void MaskNonPositive(Span<float> g, ReadOnlySpan<float> y)
    {
        var i = 0;
        for (; i + 8 <= g.Length; i += 8)
        {
            var keep = Vector256.GreaterThan(Vector256.Create(y.Slice(i, 8)), Vector256<float>.Zero);
            Vector256.BitwiseAnd(Vector256.Create(g.Slice(i, 8)), keep).CopyTo(g.Slice(i, 8));
        }
        for (; i < g.Length; i++) if (!(y[i] > 0)) g[i] = 0;
    }

    /// <summary>sum[j] += Σ_r g[r, j], rows added in order.</summary>
    internal static void SumRows(ReadOnlySpan<float> g, int rows, int units, Span<float> sum)
    {
        for (var r = 0; r < rows; r++)
        {
            var row = g.Slice(r * units, units);
            var j = 0;
            for (; j + 8 <= units; j += 8)
                (Vector256.Create(sum.Slice(j, 8)) + Vector256.Create(row.Slice(j, 8))).CopyTo(sum.Slice(j, 8));
            for (; j < units; j++) sum[j] += row[j];
        }
    }

    static Span<float> Floats(Tensor t) => Predictor.Floats(t);
}
