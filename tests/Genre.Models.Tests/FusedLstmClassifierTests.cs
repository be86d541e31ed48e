using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>
/// Issue 28: an LSTM classifier's training pass as one node (<see cref="FusedLstmClassifier"/>: the recurrence, the head, the
/// loss and the backward, block by block of rows in one lanes pass) is the same model as the layer-by-layer path
/// (<see cref="FusedLstm"/>, libtorch's head, loss and autograd): the same summed loss, the same rows right and every
/// gradient within 1e-5 — through the folded Dense too — with label smoothing, over several micro-batches of a batch, and
/// for blocks that do not divide the chunks.
/// </summary>
public class FusedLstmClassifierTests
{
    public static TheoryData<string, double> Cases => new()
    {
        { "rnn1", 0 }, { "rnn1", 0.1 }, { "reduced-rnn1", 0 }, { "lstm", 0 }, { "odd", 0.2 },
    };

    static Sequential Spec(string name) => name switch
    {
        "rnn1" => Zoo.Rnn1(7),
        "reduced-rnn1" => Zoo.ReducedRnn1(),
        // no Dense to fold; then odd sizes: 6 steps of 3 features, 13 units (vectors of 8 and 4 and a scalar tail), 5 classes
        "lstm" => new Sequential(Seq(15, 1), Seq<Layer>(new Lstm(20), new Dense(9, Activation.Softmax)), "lstm"),
        _ => new Sequential(Seq(6, 3), Seq<Layer>(new Dense(11), new Lstm(13), new Dense(5, Activation.Softmax)), "odd"),
    };

    static (double LossSum, long Correct, float[][] Gradients) Pass(Sequential spec, bool wholeNet, double smoothing, int microBatch)
    {
        using var scope = NewDisposeScope();
        using var m = (TorchModel)Ok(Support.Backend.Compile(spec, 11));
        const int rows = 791; // six uneven chunks (131 or 132 rows) on two lanes, each four blocks of 32 and one of 3 or 4
        var r = new Random(5);
        var width = spec.InputShape[0] * spec.InputShape[1];
        var x = Enumerable.Range(0, rows * width).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        var classes = ((Dense)spec.Layers.Last()).Units;
        var y = tensor(Enumerable.Range(0, rows).Select(i => (long)(i % classes)).ToArray()); // every class (i · 7 mod 7 was all 0)
        foreach (var p in m.Parameters) p.grad?.zero_();
        Assert.True(FusedLstmClassifier.Handles(m), spec.Name);
        var (loss, correct) = Trainer.AccumulateGradients(m, m.Input(x, rows), y, null, microBatch, smoothing, wholeNet);
        return (loss, correct, m.Parameters.Select(p => p.grad!.data<float>().ToArray()).ToArray());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_whole_net_pass_and_the_layer_by_layer_one_agree(string name, double smoothing)
    {
        var spec = Spec(name);
        foreach (var microBatch in new[] { 791, 300 })
        {
            var layers = Pass(spec, wholeNet: false, smoothing, microBatch);
            var whole = Pass(spec, wholeNet: true, smoothing, microBatch);
            Assert.Equal(layers.LossSum, whole.LossSum, 1e-5 * layers.LossSum);
            Assert.Equal(layers.Correct, whole.Correct);
            for (var p = 0; p < layers.Gradients.Length; p++)
            {
                // a gradient that cancels to near 0 (a bias's, summed over 791 rows of ±1/791) is held to 1e-7: the float32
                // rounding of its partial sums in two summation orders, not an error of either
                var scale = Math.Max(1e-2, layers.Gradients[p].Max(Math.Abs));
                for (var i = 0; i < layers.Gradients[p].Length; i++)
                    Assert.True(Math.Abs(layers.Gradients[p][i] - whole.Gradients[p][i]) <= 1e-5 * scale,
                        $"{name}, micro-batch {microBatch}: parameter {p} element {i}: " +
                        $"{layers.Gradients[p][i]} vs {whole.Gradients[p][i]}");
                Assert.Contains(whole.Gradients[p], g => g != 0);
            }
        }
    }

    [Fact]
    public void Nets_it_does_not_take_go_layer_by_layer()
    {
        foreach (var spec in new[] { Zoo.Rnn2(7), Zoo.Dnn1(7) })
        {
            using var m = (TorchModel)Ok(Support.Backend.Compile(spec, 1));
            Assert.False(FusedLstmClassifier.Handles(m), spec.Name);
        }
        using var libtorch = (TorchModel)Ok(new TorchBackend(ownGemm: false).Compile(Zoo.Rnn1(7), 1));
        Assert.False(FusedLstmClassifier.Handles(libtorch));
    }
}
