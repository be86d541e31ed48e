using Genre.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>TabM's layers (issue 27): EnsembleScale and EnsembleHead, each a kind file plus its TorchSharp file and ONNX lowering —
/// their arithmetic against a plain reference, the members' loss, initialization, training, save/load, resume and ONNX.</summary>
public class EnsembleLayersTests
{
    /// <summary>3 members on 15 features, one shared relu block, 3 classes.</summary>
    static readonly Sequential Net = new(Seq1(15), Seq<Layer>(new EnsembleScale(3), new Dense(6, Activation.Relu), new Dropout(0.1),
        new EnsembleHead(3)), "tabm-small");

    /// <summary>The model by hand, in double: mean over members i of softmax(relu((x ⊙ r_i)·W + b)·K_i + c_i).</summary>
    static double[] Reference(ModelWeights w, float[] x, int rows)
    {
        var (scale, dense, head) = (Support.Named(w, 0), Support.Named(w, 1), Support.Named(w, 3));
        const int members = 3, features = 15, width = 6, classes = 3;
        var result = new double[rows * classes];
        for (var n = 0; n < rows; n++)
            for (var i = 0; i < members; i++)
            {
                var h = new double[width];
                for (var u = 0; u < width; u++)
                {
                    double s = dense["bias"][u];
                    for (var f = 0; f < features; f++)
                        s += x[n * features + f] * scale["r"][i * features + f] * dense["kernel"][f * width + u];
                    h[u] = Math.Max(0, s);
                }
                var logits = new double[classes];
                for (var c = 0; c < classes; c++)
                {
                    double s = head["bias"][i * classes + c];
                    for (var u = 0; u < width; u++) s += h[u] * head["kernel"][(i * width + u) * classes + c];
                    logits[c] = s;
                }
                var max = logits.Max();
                var sum = logits.Sum(l => Math.Exp(l - max));
                for (var c = 0; c < classes; c++) result[n * classes + c] += Math.Exp(logits[c] - max) / sum / members;
            }
        return result;
    }

    [Fact]
    public void Prediction_is_the_mean_of_the_members_softmax_heads_over_shared_layers()
    {
        var data = Support.Problem(40, 21);
        using var m = Ok(Support.Backend.Compile(Net, 5));
        Ok(m.Fit(data, None, new TrainingConfig(2, 20, 5, new AdamSettings(LearningRate: 0.05))));
        var expected = Reference(m.Weights(), data.X, data.Rows);
        var predicted = m.Predict(data.X, data.Rows);
        var forward = ((TorchModel)m).PredictWithTrainingForward(data.X, data.Rows);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], predicted[k], 5);
            Assert.Equal(expected[k], forward[k], 5);
        }
    }

    [Fact]
    public void The_training_loss_is_the_mean_of_the_members_losses_and_the_prediction_the_mean_of_their_probabilities()
    {
        using var scope = NewDisposeScope();
        var g = new Generator(3);
        var logits = randn(new long[] { 7, 4, 5 }, ScalarType.Float64, generator: g).mul(3.0);
        var labels = tensor(new long[] { 0, 4, 2, 2, 1, 3, 0 });
        var members = Enumerable.Range(0, 4)
            .Select(i => nn.functional.cross_entropy(logits.select(1, i), labels).item<double>()).Average();
        Assert.Equal(members, KerasLoss.CrossEntropy(logits, labels).item<double>(), 12);
        var mean = nn.functional.softmax(logits, -1).mean(new long[] { 1 });
        Assert.Equal(mean.data<double>().ToArray(), KerasLoss.Probabilities(logits).data<double>().ToArray());
        Assert.Equal(mean.argmax(1).data<long>().ToArray(), KerasLoss.Predicted(logits).data<long>().ToArray());
        // Rank 2 is the plain softmax output, unchanged.
        var flat = logits.select(1, 0);
        Assert.Equal(nn.functional.cross_entropy(flat, labels).item<double>(), KerasLoss.CrossEntropy(flat, labels).item<double>());
    }

    [Fact]
    public void The_adapter_starts_as_random_signs_and_each_head_as_its_own_glorot_draw()
    {
        using var m = Ok(Support.Backend.Compile(Net, 9));
        var w = m.Weights();
        var r = Support.Named(w, 0)["r"];
        Assert.Equal(3 * 15, r.Length);
        Assert.All(r, v => Assert.True(v is 1f or -1f, $"{v}"));
        Assert.Contains(1f, r);
        Assert.Contains(-1f, r);
        var head = Support.Named(w, 3);
        var limit = Math.Sqrt(6.0 / (6 + 3));
        Assert.All(head["kernel"], v => Assert.InRange(Math.Abs(v), 0, limit));
        Assert.NotEqual(head["kernel"][..18], head["kernel"][18..36]);
        Assert.All(head["bias"], v => Assert.Equal(0f, v));
        Assert.Equal(Seq(3, 6, 3), w.Layers.Last.Tensors[0].Shape);
    }

    [Fact]
    public void Training_learns_a_small_problem()
    {
        var data = Support.Problem(600, 22);
        using var m = Ok(Support.Backend.Compile(Net, 6));
        var history = Ok(m.Fit(data, None, new TrainingConfig(30, 64, 6, new AdamSettings(LearningRate: 0.01))));
        Assert.True(history.Epochs.Last.Loss < history.Epochs.Head.Loss * 0.7,
            $"loss {history.Epochs.Head.Loss} → {history.Epochs.Last.Loss}");
        Assert.True(m.Evaluate(data).Accuracy > 0.8, $"accuracy {m.Evaluate(data).Accuracy}");
    }

    [Fact]
    public void Save_and_load_round_trip_and_a_resumed_fit_is_bit_identical()
    {
        var data = Support.Problem(150, 23);
        using var straight = Support.AssertResumedFitIsBitIdentical(Net, data, 12);

        var json = Support.AssertFolderRoundTrip(straight, Net, data);
        Assert.Contains("""{"type":"EnsembleScale","members":3}""", json);
        Assert.Contains("""{"type":"EnsembleHead","classes":3}""", json);
    }

    [Fact]
    public void The_onnx_export_agrees_with_onnx_runtime() => Support.AssertOnnxAgrees(Net, 24);

    [Fact]
    public void The_zoo_model_answers_its_classes_resizes_its_head_and_summarizes()
    {
        var tabm = Zoo.Tabm();
        Assert.Equal(Some(114), tabm.Classes());
        Assert.Equal(114, Ok(tabm.OutputLayer("training")));
        Assert.Equal(new EnsembleHead(66), tabm.WithClasses(66).Layers.Last);
        Assert.Equal(tabm.Layers.Init, tabm.WithClasses(66).Layers.Init);
        Assert.Equal(Seq(8, 33), Ok(Shapes.Infer(tabm))[0]);
        // r 8×33, three shared blocks 33·256+256, 2 × (256·256+256), heads 8·(256·114+114)
        var total = 8 * 33 + (33 * 256 + 256) + 2 * (256 * 256 + 256) + 8 * (256 * 114 + 114);
        Assert.Contains($"Total params: {total:N0}", Ok(Summary.Of(tabm)));
    }

    [Fact]
    public void Bad_settings_and_inputs_are_named()
    {
        var bad = new Sequential(Seq1(15), Seq<Layer>(new EnsembleScale(0), new EnsembleHead(3)), "b");
        Assert.Equal("b: layer 0 (EnsembleScale): members must be > 0, got 0", Fail(SpecValidation.ValidateFin(bad)));
        Assert.Equal("b: layer 0 (EnsembleScale): needs a flat input (None, features), got rank 3",
            Fail(SpecValidation.ValidateFin(new Sequential(Seq(15, 1), Seq<Layer>(new EnsembleScale(2), new EnsembleHead(3)), "b"))));
        Assert.Equal("b: layer 0 (EnsembleHead): needs the members' input (None, members, features) of an EnsembleScale, got rank 2",
            Fail(SpecValidation.ValidateFin(new Sequential(Seq1(15), Seq1<Layer>(new EnsembleHead(3)), "b"))));
    }
}
