using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>
/// Issue 28: a dense net's training pass as one node (<see cref="FusedDenseStack"/>: every layer forward, the loss and every
/// layer backward in one lanes pass) is the same model as the layer-by-layer path (<see cref="FusedDense"/> per layer, libtorch's
/// loss and autograd): the same summed loss, the same rows right and every gradient within 1e-5, on the same dropout masks,
/// with label smoothing, and over several micro-batches of a batch.
/// </summary>
public class FusedDenseStackTests
{
    public static TheoryData<string, double> Cases => new()
    {
        { "dnn1", 0 }, { "dnn2", 0 }, { "dnn2", 0.1 }, { "softmax", 0 }, { "dense", 0 }, { "dropout-first", 0.2 },
    };

    static Sequential Spec(string name) => name switch
    {
        "dnn1" => Zoo.Dnn1(7),
        "dnn2" => Zoo.Dnn2(7),
        "softmax" => Zoo.Softmax(7),
        // odd widths: a relu layer, dropout, a linear layer (its input gradient reaches the relu layer through the mask), logits
        "dense" => new Sequential(Seq1(15), Seq<Layer>(new Dense(37, Activation.Relu), new Dropout(0.3), new Dense(5),
            new Dense(4, Activation.Softmax)), "dense"),
        _ => new Sequential(Seq1(15), Seq<Layer>(new Dropout(0.5), new Dense(9, Activation.Relu), new Dense(3, Activation.Softmax)),
            "dropout-first"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_whole_net_pass_and_the_layer_by_layer_one_agree(string name, double smoothing) =>
        Support.AssertWholeNetPassAgrees(Spec(name), smoothing, floor: 1e-3, dropoutSeed: 3);

    /// <summary>Evaluation through the stack (one lanes pass a slice) against the layer-by-layer forward and libtorch's float64
    /// loss, as <see cref="TorchModel.Evaluate"/> computed it before: the same logits, so the same rows right and the same loss
    /// up to float64 rounding.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluation_through_the_whole_net_equals_the_layer_by_layer_forward_and_libtorchs_loss(string name, double smoothing)
    {
        _ = smoothing; // evaluation has none
        using var scope = NewDisposeScope();
        using var m = (TorchModel)Ok(Support.Backend.Compile(Spec(name), 13));
        const int rows = 1_003;
        var r = new Random(9);
        var x = Enumerable.Range(0, rows * 15).Select(_ => (float)(r.NextDouble() * 4 - 2)).ToArray();
        var classes = ((Dense)m.Spec.Layers.Last()).Units;
        var labels = Enumerable.Range(0, rows).Select(i => i * 5 % classes).ToArray();
        var data = new LabeledData(x, rows, labels, classes);
        var evaluation = m.Evaluate(data, 400); // three slices, the last short
        using var noGrad = no_grad();
        var logits = KerasForward.Logits(m.Spec, m.Parameters, m.Input(x, rows), false, null, chunking: m.Chunking, ownGemm: true);
        var y = tensor(labels.Select(v => (long)v).ToArray());
        var loss = KerasLoss.CrossEntropy(logits.to(ScalarType.Float64), y).item<double>();
        var right = KerasLoss.Predicted(logits).eq(y).sum().item<long>();
        Assert.Equal(loss, evaluation.Loss, 1e-12 * loss);
        Assert.Equal(right / (double)rows, evaluation.Accuracy);
        Assert.InRange(right, 1, rows - 1); // both cases occur
    }

    [Fact]
    public void A_label_outside_the_classes_is_refused_as_the_layer_by_layer_loss_refuses_it()
    {
        using var scope = NewDisposeScope();
        using var m = (TorchModel)Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var x = m.Input(new float[4 * 15], 4);
        var y = tensor(new long[] { 0, 1, 2, 3 });
        var e = Assert.Throws<ArgumentException>(() => Trainer.AccumulateGradients(m, x, y, null, 4, wholeNet: true));
        Assert.Contains("label 3 is not one of the 3 classes", e.Message);
        Assert.ThrowsAny<Exception>(() => Trainer.AccumulateGradients(m, x, y, null, 4, wholeNet: false));
    }

    [Fact]
    public void Dense_nets_on_own_gemms_take_the_whole_net_pass_and_other_nets_do_not()
    {
        bool Handles(Sequential spec, bool ownGemm = true)
        {
            using var m = (TorchModel)Ok(new TorchBackend(ownGemm: ownGemm).Compile(spec, 1));
            return FusedDenseStack.Handles(m);
        }
        Assert.True(Handles(Zoo.Dnn1()));
        Assert.True(Handles(Zoo.Dnn2()));
        Assert.True(Handles(Zoo.Mlp()));
        Assert.True(Handles(Zoo.Softmax()));
        Assert.False(Handles(Zoo.Dnn1(), ownGemm: false));
        Assert.False(Handles(Zoo.Rnn1()));
        Assert.False(Handles(Zoo.Tabular()));
        Assert.False(Handles(new Sequential(Seq1(15), Seq<Layer>(new Dense(8, Activation.Tanh), new Dense(3, Activation.Softmax)),
            "tanh")));
        Assert.False(Handles(new Sequential(Seq1(15), Seq<Layer>(new Dense(8, Activation.Relu), new Dropout(0.2), new Dropout(0.1),
            new Dense(3, Activation.Softmax)), "two-dropouts")));
    }
}
