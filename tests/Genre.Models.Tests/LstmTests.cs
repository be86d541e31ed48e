using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>The Keras LSTM on TorchSharp against an index-by-index reference in double precision, and its gradients.</summary>
public class LstmTests
{
    /// <summary>
    /// Keras LSTM, written out element by element: kernel W (in, 4H), recurrent kernel U (H, 4H), bias b (4H), gate blocks i, f, c, o;
    /// c = σ(f)·c + σ(i)·tanh(c̃), h = σ(o)·tanh(c), h0 = c0 = 0. Returns every step's h: (n, T, H) row-major.
    /// </summary>
    internal static double[] Reference(double[] x, int n, int steps, int features, double[] w, double[] u, double[] b, int units)
    {
        static double S(double v) => 1 / (1 + Math.Exp(-v));
        var outputs = new double[n * steps * units];
        for (var r = 0; r < n; r++)
        {
            var h = new double[units];
            var c = new double[units];
            for (var t = 0; t < steps; t++)
            {
                var z = new double[4 * units];
                for (var j = 0; j < 4 * units; j++)
                {
                    z[j] = b[j];
                    for (var k = 0; k < features; k++) z[j] += x[(r * steps + t) * features + k] * w[k * 4 * units + j];
                    for (var k = 0; k < units; k++) z[j] += h[k] * u[k * 4 * units + j];
                }
                for (var j = 0; j < units; j++)
                {
                    c[j] = S(z[units + j]) * c[j] + S(z[j]) * Math.Tanh(z[2 * units + j]);
                    h[j] = S(z[3 * units + j]) * Math.Tanh(c[j]);
                    outputs[(r * steps + t) * units + j] = h[j];
                }
            }
        }
        return outputs;
    }

    internal static double[] Uniform(Random r, int count, double scale = 1) =>
        Enumerable.Range(0, count).Select(_ => (r.NextDouble() * 2 - 1) * scale).ToArray();

    static float[] F(double[] v) => v.Select(d => (float)d).ToArray();

    [Fact]
    public void Lstm_with_two_units_over_three_steps_matches_the_reference()
    {
        const int n = 2, steps = 3, features = 2, units = 2;
        var r = new Random(42);
        var x = Uniform(r, n * steps * features);
        var w = Uniform(r, features * 4 * units);
        var u = Uniform(r, units * 4 * units);
        var b = Uniform(r, 4 * units, 0.5);
        var expected = Reference(x, n, steps, features, w, u, b, units);

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sequences = LstmTorch.Apply(tensor(F(x), [n, steps, features]), tensor(F(w), [features, 4 * units]),
            tensor(F(u), [units, 4 * units]), tensor(F(b), [4 * units]), units, returnSequences: true);
        Assert.Equal(new long[] { n, steps, units }, sequences.shape);
        var actual = sequences.data<float>().ToArray();
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.Item1, p.Item2, 6));

        var last = LstmTorch.Apply(tensor(F(x), [n, steps, features]), tensor(F(w), [features, 4 * units]),
            tensor(F(u), [units, 4 * units]), tensor(F(b), [4 * units]), units, returnSequences: false);
        Assert.Equal(new long[] { n, units }, last.shape);
        var lastValues = last.data<float>().ToArray();
        for (var row = 0; row < n; row++)
            for (var j = 0; j < units; j++)
                Assert.Equal(expected[(row * steps + steps - 1) * units + j], lastValues[row * units + j], 6);
    }

    [Fact]
    public void Stacked_lstm_model_loaded_in_keras_layout_predicts_as_the_reference()
    {
        // LSTM(2, return_sequences) → LSTM(3) → Dense(3, softmax) on input (3, 2): weights go in exactly as Keras stores them.
        const int n = 3, steps = 3, features = 2;
        var r = new Random(7);
        var x = Uniform(r, n * steps * features);
        double[] w1 = Uniform(r, 2 * 8), u1 = Uniform(r, 2 * 8), b1 = Uniform(r, 8, 0.5);
        double[] w2 = Uniform(r, 2 * 12), u2 = Uniform(r, 3 * 12), b2 = Uniform(r, 12, 0.5);
        double[] k = Uniform(r, 3 * 3), kb = Uniform(r, 3);
        var spec = new Sequential(Seq(steps, features), Seq<Layer>(new Lstm(2, ReturnSequences: true), new Lstm(3),
            new Dense(3, Activation.Softmax)));
        var weights = new ModelWeights(Seq(
            new LayerWeights(0, Seq(new NamedTensor("kernel", Seq(2, 8), F(w1)), new NamedTensor("recurrent_kernel", Seq(2, 8), F(u1)),
                new NamedTensor("bias", Seq1(8), F(b1)))),
            new LayerWeights(1, Seq(new NamedTensor("kernel", Seq(2, 12), F(w2)), new NamedTensor("recurrent_kernel", Seq(3, 12), F(u2)),
                new NamedTensor("bias", Seq1(12), F(b2)))),
            new LayerWeights(2, Seq(new NamedTensor("kernel", Seq(3, 3), F(k)), new NamedTensor("bias", Seq1(3), F(kb))))));
        using var model = Ok(Support.Backend.Load(spec, weights));
        var probabilities = model.Predict(F(x), n);

        var first = Reference(x, n, steps, features, w1, u1, b1, 2);
        var second = Reference(first, n, steps, 2, w2, u2, b2, 3);
        for (var row = 0; row < n; row++)
        {
            var h = Enumerable.Range(0, 3).Select(j => second[(row * steps + steps - 1) * 3 + j]).ToArray();
            var logits = Enumerable.Range(0, 3).Select(c => kb[c] + Enumerable.Range(0, 3).Sum(j => h[j] * k[j * 3 + c])).ToArray();
            var max = logits.Max();
            var sum = logits.Sum(l => Math.Exp(l - max));
            // to 1e-6, not to 6 decimals rounded: float32 probabilities 2.5e-8 apart can round either side of a last decimal
            for (var c = 0; c < 3; c++) Assert.Equal(Math.Exp(logits[c] - max) / sum, probabilities[row * 3 + c], 1e-6);
        }
    }

    /// <summary>Dense(3, linear) → LSTM(2, return_sequences) → LSTM(3) → Dense(3, softmax): the folded path and the plain one.</summary>
    static readonly Sequential GradSpec = new(Seq(4, 2), Seq<Layer>(new Dense(3), new Lstm(2, ReturnSequences: true), new Lstm(3),
        new Dense(3, Activation.Softmax)));

    static readonly long[][] GradShapes = [[2, 3], [3], [3, 8], [2, 8], [8], [2, 12], [3, 12], [12], [3, 3], [3]];

    static double Loss(double[][] p, double[] x, long[] y, bool fold, out double[][] gradients)
    {
        using var scope = NewDisposeScope();
        var tensors = p.Select((v, i) => tensor(v, GradShapes[i], ScalarType.Float64).requires_grad_(true)).ToArray();
        var logits = KerasForward.Logits(GradSpec, tensors, tensor(x, [y.Length, 4, 2], ScalarType.Float64), false, null, fold);
        var loss = KerasLoss.CrossEntropy(logits, tensor(y));
        loss.backward();
        gradients = tensors.Select(t => t.grad!.data<double>().ToArray()).ToArray();
        return loss.item<double>();
    }

    [Fact]
    public void Gradients_match_finite_differences_in_float64_on_both_the_folded_and_the_plain_path()
    {
        var r = new Random(3);
        var x = Uniform(r, 5 * 4 * 2);
        long[] y = [0, 2, 1, 1, 0];
        var p = GradShapes.Select(s => Uniform(r, (int)s.Aggregate(1L, (a, d) => a * d), 0.8)).ToArray();
        Loss(p, x, y, fold: true, out var folded);
        Loss(p, x, y, fold: false, out var plain);
        const double h = 1e-6;
        for (var i = 0; i < p.Length; i++)
            for (var j = 0; j < p[i].Length; j++)
            {
                var up = p.Select(a => (double[])a.Clone()).ToArray();
                var down = p.Select(a => (double[])a.Clone()).ToArray();
                up[i][j] += h;
                down[i][j] -= h;
                var numeric = (Loss(up, x, y, false, out _) - Loss(down, x, y, false, out _)) / (2 * h);
                Assert.True(Math.Abs(plain[i][j] - numeric) <= 1e-7 + 1e-6 * Math.Abs(numeric),
                    $"tensor {i}[{j}]: autograd {plain[i][j]}, numeric {numeric}");
                Assert.True(Math.Abs(folded[i][j] - plain[i][j]) <= 1e-12 + 1e-9 * Math.Abs(plain[i][j]),
                    $"tensor {i}[{j}]: folded {folded[i][j]}, plain {plain[i][j]}");
            }
        Assert.Contains(folded[0], g => Math.Abs(g) > 1e-4); // the folded Dense really receives gradient
    }
}
