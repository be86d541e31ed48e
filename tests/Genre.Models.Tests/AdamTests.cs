using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>Keras' Adam (ε added to sqrt(v) without bias correction) against a hand computation, distinguished from
/// torch.optim.Adam.</summary>
public class AdamTests
{
    static readonly double[] Theta0 = [0.3, -1.2, 0.5, 2.0];

    // Gradients per step; the tiny ones make ε comparable to sqrt(v), where the Keras and the PyTorch forms differ.
    static readonly double[][] Gradients = [[2e-8, -5e-7, 0.25, -1.5], [-3e-8, 4e-7, 0.1, -0.5], [1e-8, -6e-7, -0.3, 0.75]];

    static double[] ByHand(bool kerasForm, Func<int, double>? rateOfStep = null)
    {
        const double b1 = 0.9, b2 = 0.999, eps = 1e-7;
        var theta = (double[])Theta0.Clone();
        var m = new double[theta.Length];
        var v = new double[theta.Length];
        for (var t = 1; t <= Gradients.Length; t++)
            for (var i = 0; i < theta.Length; i++)
            {
                var lr = rateOfStep?.Invoke(t - 1) ?? 1e-3;
                var g = Gradients[t - 1][i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                theta[i] -= kerasForm
                    ? lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t)) * m[i] / (Math.Sqrt(v[i]) + eps)
                    : lr * (m[i] / (1 - Math.Pow(b1, t))) / (Math.Sqrt(v[i] / (1 - Math.Pow(b2, t))) + eps);
            }
        return theta;
    }

    [Fact]
    public void Three_steps_match_the_keras_update_by_hand()
    {
        using var scope = NewDisposeScope();
        var p = tensor(Theta0.Select(d => (float)d).ToArray()).requires_grad_(true);
        using var adam = new KerasAdam(new AdamSettings(), [p]);
        foreach (var g in Gradients)
        {
            // d/dp Σ p·g = g: the gradient arrives through autograd, as in training.
            p.mul(tensor(g.Select(d => (float)d).ToArray())).sum().backward();
            adam.Apply([p]);
        }
        Assert.Equal(3, adam.Step);
        var actual = p.detach().data<float>().ToArray();
        var keras = ByHand(kerasForm: true);
        var pytorch = ByHand(kerasForm: false);
        for (var i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - keras[i]) < 2e-7, $"θ[{i}] = {actual[i]}, Keras by hand {keras[i]}");
        // The test can tell the forms apart: on the tiny gradients torch.optim.Adam would land far away.
        Assert.True(Math.Abs(keras[0] - pytorch[0]) > 1e-4 && Math.Abs(keras[1] - pytorch[1]) > 1e-5);
        Assert.All(p.grad!.data<float>().ToArray(), g => Assert.Equal(0f, g)); // gradients are cleared after each step
    }

    /// <summary>Issue 28: the update on a float32 parameter's values (<see cref="KerasAdam.Update"/>) gives libtorch's ops'
    /// moments bit for bit and its parameter to the ulp, over steps with a decaying rate, on a parameter of 7 × 9 (vectors of
    /// 8 and a tail); libtorch's ops run on the same values held transposed (not contiguous, so not updated in place).</summary>
    [Fact]
    public void The_update_on_the_values_gives_libtorchs_moments_and_its_parameter_to_the_ulp()
    {
        using var scope = NewDisposeScope();
        var r = new Random(3);
        float[] Draw(double scale) => Enumerable.Range(0, 63).Select(_ => (float)((r.NextDouble() * 2 - 1) * scale)).ToArray();
        var theta = Draw(1);
        var direct = tensor(theta, new long[] { 7, 9 }).requires_grad_(true);
        var viaTorch = tensor(theta, new long[] { 7, 9 }).t().contiguous().t().detach().requires_grad_(true);
        Assert.False(viaTorch.is_contiguous());
        var settings = new AdamSettings(LearningRate: 0.01, Decay: new CosineDecay(0.1));
        using var a = new KerasAdam(settings, [direct], totalSteps: 4);
        using var b = new KerasAdam(settings, [viaTorch], totalSteps: 4);
        for (var step = 0; step < 4; step++)
        {
            var g = tensor(Draw(step == 0 ? 1e-6 : 1), new long[] { 7, 9 });
            direct.mul(g).sum().backward();
            viaTorch.mul(g).sum().backward();
            a.Apply([direct]);
            b.Apply([viaTorch]);
        }
        Assert.Equal(b.M[0].contiguous().data<float>().ToArray(), a.M[0].data<float>().ToArray());
        Assert.Equal(b.V[0].contiguous().data<float>().ToArray(), a.V[0].data<float>().ToArray());
        // θ: each operation is correctly rounded here; libtorch's sqrt or division (MKL's vector functions) is not always, so
        // an element may land one ulp apart (1 of these 63 did)
        var (mine, theirs) = (direct.detach().data<float>().ToArray(), viaTorch.detach().contiguous().data<float>().ToArray());
        for (var i = 0; i < mine.Length; i++)
            Assert.True(mine[i] == theirs[i] || mine[i] == MathF.BitIncrement(theirs[i]) || mine[i] == MathF.BitDecrement(theirs[i]),
                $"θ[{i}]: {mine[i]:R} vs libtorch's {theirs[i]:R}");
        Assert.NotEqual(theta, direct.detach().data<float>().ToArray());
        Assert.All(direct.grad!.data<float>().ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void Moments_are_the_exponential_averages_of_the_gradients()
    {
        using var scope = NewDisposeScope();
        var p = tensor(Theta0.Select(d => (float)d).ToArray()).requires_grad_(true);
        using var adam = new KerasAdam(new AdamSettings(), [p]);
        double[] m = new double[4], v = new double[4];
        foreach (var g in Gradients)
        {
            p.mul(tensor(g.Select(d => (float)d).ToArray())).sum().backward();
            adam.Apply([p]);
            for (var i = 0; i < 4; i++)
            {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
            }
        }
        var am = adam.M[0].data<float>().ToArray();
        var av = adam.V[0].data<float>().ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(m[i], am[i], 1e-5 * Math.Abs(m[i]) + 1e-12);
            Assert.Equal(v[i], av[i], 1e-5 * Math.Abs(v[i]) + 1e-18);
        }
    }

    [Fact]
    public void Cosine_decay_falls_from_the_rate_to_alpha_times_it_over_the_fit()
    {
        var adam = new AdamSettings(LearningRate: 0.01, Decay: new CosineDecay(Alpha: 0.1));
        Assert.Equal(0.01, adam.RateAt(0, 100), 12);
        Assert.Equal(0.01 * (0.1 + 0.9 * 0.5), adam.RateAt(50, 100), 12);
        Assert.Equal(0.001, adam.RateAt(100, 100), 12);
        Assert.Equal(0.001, adam.RateAt(150, 100), 12); // past the end it stays at α·lr, as Keras' CosineDecay
        Assert.True(Enumerable.Range(0, 100).All(s => adam.RateAt(s + 1, 100) < adam.RateAt(s, 100)));
        Assert.Equal(0.01, new AdamSettings(LearningRate: 0.01).RateAt(70, 100)); // no decay: constant
    }

    [Fact]
    public void With_cosine_decay_each_step_uses_the_rate_before_it()
    {
        using var scope = NewDisposeScope();
        var p = tensor(Theta0.Select(d => (float)d).ToArray()).requires_grad_(true);
        using var adam = new KerasAdam(new AdamSettings(LearningRate: 0.05, Decay: new CosineDecay(0.2)), [p], totalSteps: 3);
        foreach (var g in Gradients)
        {
            p.mul(tensor(g.Select(d => (float)d).ToArray())).sum().backward();
            adam.Apply([p]);
        }
        var expected = ByHand(kerasForm: true, s => 0.05 * (0.8 * 0.5 * (1 + Math.Cos(Math.PI * s / 3)) + 0.2));
        var constant = ByHand(kerasForm: true, _ => 0.05);
        var actual = p.detach().data<float>().ToArray();
        for (var i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) < 2e-6, $"θ[{i}] = {actual[i]}, by hand {expected[i]}");
        Assert.True(Math.Abs(constant[2] - expected[2]) > 1e-3); // the schedule changes the result measurably
    }
}
