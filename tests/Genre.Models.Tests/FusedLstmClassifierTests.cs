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

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_whole_net_pass_and_the_layer_by_layer_one_agree(string name, double smoothing)
    {
        var spec = Spec(name);
        using (var m = (TorchModel)Ok(Support.Backend.Compile(spec, 11))) Assert.True(FusedLstmClassifier.Handles(m), name);
        // a gradient that cancels to near 0 (a bias's, summed over 791 rows of ±1/791) is held to 1e-7: the float32
        // rounding of its partial sums in two summation orders, not an error of either
        Support.AssertWholeNetPassAgrees(spec, smoothing, floor: 1e-2);
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
