using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>
/// Categorical cross-entropy as Keras 2.5 (the authors' version, see keras_metadata.pb) computes it in fit/evaluate: a softmax
/// output caches its logits (<c>_keras_logits</c>) and the loss is softmax_cross_entropy_with_logits on them — the ε-clipped
/// formula applies only to outputs without cached logits, so it never applies to these models.
/// </summary>
public class TorchLossTests
{
    [Fact]
    public void Cross_entropy_is_the_batch_mean_of_minus_log_softmax_and_its_gradient_is_p_minus_y_over_n()
    {
        var r = new Random(9);
        const int n = 4, classes = 5;
        var logits = LstmTests.Uniform(r, n * classes, 3);
        long[] y = [0, 4, 2, 2];
        using var scope = NewDisposeScope();
        var z = tensor(logits, [n, classes], ScalarType.Float64).requires_grad_(true);
        var loss = KerasLoss.CrossEntropy(z, tensor(y));
        loss.backward();
        var grad = z.grad!.data<double>().ToArray();
        double expected = 0;
        for (var i = 0; i < n; i++)
        {
            var row = logits.Skip(i * classes).Take(classes).ToArray();
            var max = row.Max();
            var sum = row.Sum(v => Math.Exp(v - max));
            expected -= Math.Log(Math.Exp(row[y[i]] - max) / sum) / n;
            for (var c = 0; c < classes; c++)
                Assert.Equal((Math.Exp(row[c] - max) / sum - (c == y[i] ? 1 : 0)) / n, grad[i * classes + c], 12);
        }
        Assert.Equal(expected, loss.item<double>(), 12);
    }

    [Fact]
    public void Confident_mistakes_are_not_clipped_at_minus_log_epsilon()
    {
        // p(label) = 1 / (1 + e^30) ≈ 9e-14 < ε = 1e-7: the clipped formula would give −log(1e-7) ≈ 16.1, the logits path ≈ 30.
        using var scope = NewDisposeScope();
        var loss = KerasLoss.CrossEntropy(tensor(new[] { 0f, 30f }, [1, 2]), tensor(new long[] { 0 })).item<float>();
        Assert.Equal(30.0, loss, 4);
    }
}
