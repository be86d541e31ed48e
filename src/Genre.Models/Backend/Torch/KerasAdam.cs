using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// TF2 Keras Adam (ResourceApplyAdam): lr_t = lr·sqrt(1−β2^t)/(1−β1^t); m += (g − m)(1−β1); v += (g² − v)(1−β2);
/// θ −= lr_t·m / (sqrt(v) + ε) — ε is not bias-corrected (unlike torch.optim.Adam). With a decay, lr is the schedule's rate
/// at the step count before this step (Keras' <c>iterations</c>). State m, v, t is exposed for checkpoints.
/// </summary>
internal sealed class KerasAdam : IDisposable
{
    readonly AdamSettings settings;
    readonly long totalSteps;
    public Tensor[] M { get; }
    public Tensor[] V { get; }
    public long Step { get; set; }

    /// <param name="settings">Learning rate, betas, epsilon and decay.</param>
    /// <param name="parameters">The tensors this optimizer updates; its moment tensors M and V start as zeros of the same shapes.</param>
    /// <param name="totalSteps">Steps in the whole fit, for a decaying learning rate (<see cref="AdamSettings.Decay"/>).</param>
    public KerasAdam(AdamSettings settings, IReadOnlyList<Tensor> parameters, long totalSteps = 0)
    {
        this.settings = settings;
        this.totalSteps = totalSteps;
        M = parameters.Select(p => zeros_like(p)).ToArray();
        V = parameters.Select(p => zeros_like(p)).ToArray();
    }

    public void Apply(IReadOnlyList<Tensor> parameters)
    {
        var lr = settings.RateAt(Step, totalSteps);
        Step++;
        var lrT = lr * Math.Sqrt(1 - Math.Pow(settings.Beta2, Step)) / (1 - Math.Pow(settings.Beta1, Step));
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // held until the loop is done (see Scalars)
        using Scalar keep1 = (float)(1 - settings.Beta1), keep2 = (float)(1 - settings.Beta2), rate = (float)lrT,
            epsilon = (float)settings.Epsilon;
        for (var i = 0; i < parameters.Count; i++)
        {
            var g = parameters[i].grad;
            if (g is null) continue;
            M[i].PlusInPlace((g - M[i]).mul(keep1));
            V[i].PlusInPlace((g * g - V[i]).mul(keep2));
            parameters[i].sub_(M[i].mul(rate) / V[i].sqrt().add(epsilon, Scalars.One));
            g.zero_();
        }
    }

    public void Dispose()
    {
        foreach (var t in M.Concat(V)) t.Dispose();
    }
}
