using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// EnsembleHead on TorchSharp: member logits (n, k, classes) from one batched gemm over the members, each kernel drawn as
/// Keras' glorot_uniform of a (d, classes) Dense, biases zeros. As the model's last layer in a forward pass it returns the members'
/// logits, from which <see cref="KerasLoss"/> takes the mean of member losses; otherwise (prediction) the mean of the members'
/// softmax probabilities.
/// </summary>
internal sealed class EnsembleHeadTorch : ITorchLayer<EnsembleHead>
{
    public static Tensor Init(EnsembleHead layer, WeightSpec weight, Generator g)
    {
        if (weight.Name != "kernel") return zeros(weight.Shape[0], weight.Shape[1]);
        using var scope = NewDisposeScope();
        var members = Enumerable.Range(0, weight.Shape[0]).Select(_ => KerasInit.GlorotUniform(weight.Shape[1], weight.Shape[2], g));
        return stack(members.ToArray()).MoveToOuterDisposeScope();
    }

    public static Tensor Forward(EnsembleHead layer, IReadOnlyList<Tensor> weights, Tensor h, ForwardPass pass)
    {
        var logits = MemberLogits(h, weights[0], weights[1]);
        return pass.Last ? logits : KerasLoss.Probabilities(logits);
    }

    /// <summary>(n, k, d) × (k, d, c) + (k, c) → (n, k, c): member by member, as k Dense layers would.</summary>
    static Tensor MemberLogits(Tensor h, Tensor kernel, Tensor bias) =>
        h.transpose(0, 1).bmm(kernel).transpose(0, 1).Plus(bias); // Plus: an implicit alpha can be finalized mid-call (Scalars)

    public static Option<Func<Tensor, Tensor>> Step(EnsembleHead layer, IReadOnlyList<Tensor> weights, bool sgemm) =>
        Some<Func<Tensor, Tensor>>(h => KerasLoss.Probabilities(MemberLogits(h, weights[0], weights[1])));

    public static bool BatchStatistics => false;

    public static long Width(EnsembleHead layer, int steps) => (long)steps * layer.Classes;
}
