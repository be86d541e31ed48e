using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>Dense on TorchSharp: kernel glorot_uniform, bias zeros; one gemm on the last axis, then the activation.</summary>
internal sealed class DenseTorch : ITorchLayer<Dense>
{
    public static Tensor Init(Dense layer, WeightSpec weight, Generator g) => weight.Name == "kernel"
        ? KerasInit.GlorotUniform(weight.Shape[0], weight.Shape[1], g)
        : zeros(weight.Shape[0]);

    /// <summary>x·kernel + bias, then the activation — except a final softmax, whose logits the loss takes. Float32 rows of a
    /// linear, relu or final softmax layer go through <see cref="FusedDense"/> on a fused pass with our own gemms.</summary>
    public static Tensor Forward(Dense layer, IReadOnlyList<Tensor> weights, Tensor h, ForwardPass pass)
    {
        var logits = pass.Last && layer.Activation == Activation.Softmax;
        var activation = logits ? Activation.Linear : layer.Activation;
        if (pass.Fused && pass.OwnGemm && FusedDense.Handles(h, activation))
            return FusedDense.Apply(h, weights[0], weights[1], activation == Activation.Relu, pass.Chunking);
        h = h.matmul(weights[0]).Plus(weights[1]);
        return pass.Last && layer.Activation == Activation.Softmax ? h : Activate(h, layer.Activation, inPlace: false);
    }

    /// <summary>The activation's TorchSharp op, the backend's column of the activation table (<see cref="Activations"/>):
    /// in place on a buffer the caller owns (prediction), else as a new tensor autograd can differentiate (training).</summary>
    static Tensor Activate(Tensor h, Activation a, bool inPlace) => a switch
    {
        Activation.Relu => inPlace ? h.relu_() : nn.functional.relu(h),
        Activation.Tanh => inPlace ? h.tanh_() : h.tanh(),
        Activation.Sigmoid => inPlace ? h.sigmoid_() : h.sigmoid(),
        Activation.Selu => inPlace ? h.selu_() : h.selu(),
        Activation.Softmax => nn.functional.softmax(h, -1),
        _ => h,
    };

    /// <summary>One gemm with bias, and relu in its epilogue when <see cref="Sgemm"/>'s packed kernels run it.</summary>
    public static Option<Func<Tensor, Tensor>> Step(Dense layer, IReadOnlyList<Tensor> weights, bool sgemm)
    {
        var step = new Prepared(weights[0], weights[1], layer.Activation, sgemm ? Predictor.Pack(weights[0], weights[1]) : null);
        return Some<Func<Tensor, Tensor>>(h => Apply(step, h));
    }

    sealed record Prepared(Tensor Kernel, Tensor Bias, Activation Activation, PackedMatrix? Packed);

    static Tensor Apply(Prepared d, Tensor h)
    {
        var flat = h.dim() == 2 ? h : h.reshape(-1, h.shape[^1]);
        if (d.Packed is PackedMatrix packed)
        {
            flat = flat.contiguous();
            var rows = (int)flat.shape[0];
            var product = empty(rows, packed.N, flat.dtype);
            var relu = d.Activation == Activation.Relu;
            Sgemm.Multiply(Predictor.Floats(flat), packed.K, rows, packed.K, packed, 0, relu, Predictor.Floats(product), packed.N);
            if (h.dim() != 2) product = product.reshape(h.shape[0], h.shape[1], -1);
            return relu ? product : Activate(product, d.Activation, inPlace: true); // relu was applied in the gemm
        }
        var y = addmm(d.Bias, flat, d.Kernel, 1, 1);
        if (h.dim() != 2) y = y.reshape(h.shape[0], h.shape[1], -1);
        return Activate(y, d.Activation, inPlace: true);
    }

    public static bool BatchStatistics => false;

    public static long Width(Dense layer, int steps) => (long)steps * layer.Units;
}
