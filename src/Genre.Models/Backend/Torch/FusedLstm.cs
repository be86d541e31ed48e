using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// The Keras LSTM recurrence (gates i, f, c̃, o) as one autograd node with a hand-written backward (BPTT), for float32:
/// per step one in-place gemm (h·U added to the step's input projection) and one fused pass over the gates
/// (<see cref="LstmGates"/>) instead of ~10 separate elementwise kernels forward and ~20 backward, each allocating and
/// streaming the (n, 4H) activations. The backward reuses the saved gate activations as the gate gradients' buffer and
/// computes dU as one (H × T·n) · (T·n × 4H) gemm. Same model as <see cref="KerasForward.Lstm"/> (tests: ≤ 1e-5).
/// Inputs: the input projection x·W + b, time-major (T, n, 4H), which stays on the ordinary autograd graph, and U (H, 4H).
/// Output: h_T (n, H), or all h_t time-major (T, n, H) for return_sequences — time-major end to end, so no transposing
/// copies of (n, T, 4H) tensors are made forward or backward.
/// </summary>
internal sealed class FusedLstm : autograd.MultiTensorFunction<FusedLstm>
{
    public override string Name => nameof(FusedLstm);

    public static Tensor Apply(Tensor projected, Tensor u, bool returnSequences) =>
        apply(projected, u, returnSequences)[0];

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var projected = (Tensor)vars[0];
        var u = ((Tensor)vars[1]).detach().contiguous();
        var returnSequences = (bool)vars[2];
        long steps = projected.shape[0], n = projected.shape[1], g = projected.shape[2], units = g / 4;
        // Private copy: step t's pre-activations become its gate activations in place.
        var gates = empty(steps, n, g, projected.dtype);
        gates.copy_(projected.detach());
        var cells = empty(steps, n, units, projected.dtype);
        var hidden = empty(steps, n, units, projected.dtype);
        var shape = new LstmGates.Shape((int)n, (int)units);
        for (long t = 0; t < steps; t++)
        {
            if (t > 0) gates[t].addmm_(hidden[t - 1], u, 1, 1);
            LstmGates.Forward(Floats(gates[t]), t > 0 ? Floats(cells[t - 1]) : Span<float>.Empty, Floats(cells[t]), Floats(hidden[t]), shape);
        }
        ctx.save_for_backward(new List<Tensor> { gates, cells, hidden, u });
        ctx.save_data("returnSequences", returnSequences);
        return new List<Tensor> { returnSequences ? hidden.clone() : hidden[steps - 1].clone() };
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        var saved = ctx.get_saved_variables();
        var (gates, cells, hidden, u) = (saved[0], saved[1], saved[2], saved[3]);
        var returnSequences = (bool)ctx.get_data("returnSequences");
        long steps = gates.shape[0], n = gates.shape[1], g = gates.shape[2], units = g / 4;
        var shape = new LstmGates.Shape((int)n, (int)units);
        var dy = gradOutputs[0];
        var dHidden = returnSequences ? dy.contiguous() : null;
        var dh = returnSequences ? zeros(n, units, gates.dtype) : dy.contiguous().clone();
        var dc = zeros(n, units, gates.dtype);
        var ut = u.t().contiguous();
        for (var t = steps - 1; t >= 0; t--)
        {
            LstmGates.Backward(Floats(gates[t]), Floats(cells[t]), t > 0 ? Floats(cells[t - 1]) : Span<float>.Empty,
                               Floats(dh), dHidden is null ? Span<float>.Empty : Floats(dHidden[t]), Floats(dc), shape);
            if (t > 0) dh.addmm_(gates[t], ut, 0, 1); // gates[t] now holds dz_t
        }
        var du = steps > 1
            ? hidden.narrow(0, 0, steps - 1).reshape(-1, units).t().mm(gates.narrow(0, 1, steps - 1).reshape(-1, g))
            : zeros(units, g, gates.dtype);
        return new List<Tensor> { gates, du, null! };
    }

    static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);
}
