using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>Dense on rank-3 inputs and inverted dropout, with Keras semantics.</summary>
public class DenseTests
{
    [Fact]
    public void Dense_on_a_sequence_applies_to_the_last_axis()
    {
        // Input (n, 3, 2) → Dense(4, relu) → Dense(2, softmax): both act on each time step's feature vector.
        const int n = 2, steps = 3;
        var r = new Random(5);
        var x = LstmTests.Uniform(r, n * steps * 2);
        double[] k1 = LstmTests.Uniform(r, 2 * 4), b1 = LstmTests.Uniform(r, 4), k2 = LstmTests.Uniform(r, 4 * 2),
            b2 = LstmTests.Uniform(r, 2);
        var spec = new Sequential(Seq(steps, 2), Seq<Layer>(new Dense(4, Activation.Relu), new Dense(2, Activation.Softmax)));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var p = new[] { T(k1, 2, 4), T(b1, 4), T(k2, 4, 2), T(b2, 2) };
        var logits = KerasForward.Logits(spec, p, T(x, n, steps, 2), false, null);
        Assert.Equal(new long[] { n, steps, 2 }, logits.shape);
        var actual = logits.data<float>().ToArray();
        for (var row = 0; row < n * steps; row++)
        {
            var hidden = Enumerable.Range(0, 4).Select(j => Math.Max(0, b1[j] + x[row * 2] * k1[j] + x[row * 2 + 1] * k1[4 + j])).ToArray();
            for (var c = 0; c < 2; c++)
                Assert.Equal(b2[c] + Enumerable.Range(0, 4).Sum(j => hidden[j] * k2[j * 2 + c]), actual[row * 2 + c], 5);
        }
    }

    static Tensor T(double[] v, params long[] shape) => tensor(v.Select(d => (float)d).ToArray(), shape);

    static float[] DropoutOutput(bool training, ulong seed, double rate = 0.3)
    {
        var spec = new Sequential(Seq1(20_000), Seq1<Layer>(new Dropout(rate)));
        using var scope = NewDisposeScope();
        using var g = new Generator(seed);
        return KerasForward.Logits(spec, [], ones(1, 20_000), training, g).data<float>().ToArray();
    }

    [Fact]
    public void Dropout_is_inverted_and_active_only_in_training()
    {
        var trained = DropoutOutput(training: true, seed: 1);
        var dropped = trained.Count(v => v == 0f) / (double)trained.Length;
        Assert.InRange(dropped, 0.28, 0.32);
        Assert.All(trained.Where(v => v != 0f), v => Assert.Equal(1 / 0.7f, v, 6));   // kept units scaled by 1 / (1 − rate)
        Assert.Equal(trained, DropoutOutput(training: true, seed: 1));                 // the mask is a function of the generator
        Assert.NotEqual(trained, DropoutOutput(training: true, seed: 2));
        Assert.All(DropoutOutput(training: false, seed: 1), v => Assert.Equal(1f, v)); // identity at inference
    }
}
