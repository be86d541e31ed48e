using Genre.Models.Backend;

namespace Genre.Models.Tests;

public class BackendTests
{
    static ModelWeights W(params (int Layer, string Name, int[] Shape, float[] Values)[] ts) =>
        new(toSeq(ts.GroupBy(t => t.Layer).Select(g => new LayerWeights(
            g.Key, toSeq(g.Select(t => new NamedTensor(t.Name, toSeq(t.Shape), t.Values)))))));

    [Fact]
    public void Dense_relu_softmax_forward_matches_hand_computation()
    {
        var spec = new Sequential(Seq1(2), Seq<Layer>(new Dense(2, Activation.Relu), new Dense(2, Activation.Softmax)));
        var w = W((0, "kernel", [2, 2], [1, -1, 2, 0.5f]), (0, "bias", [2], [0.5f, -3]), (1, "kernel", [2, 2], [1, 0, 0, 1]),
            (1, "bias", [2], [0, 1]));
        using var m = Ok(Support.Backend.Load(spec, w));
        // x = (1, 2): h = relu((1·1 + 2·2 + 0.5, 1·(−1) + 2·0.5 − 3)) = (5.5, 0); logits (5.5, 1); softmax:
        var p = m.Predict([1f, 2f], 1);
        var e = Math.Exp(5.5 - 1);
        Assert.Equal(e / (1 + e), p[0], 6);
        Assert.Equal(1 / (1 + e), p[1], 6);
    }

    [Fact]
    public void Lstm_forward_matches_a_hand_computed_keras_step()
    {
        // H = 1, T = 2, one feature; gates i, f, c, o with W = (0.5, −0.5, 1, 0.25), U = (0.1, 0.2, 0.3, 0.4), b = (0, 1, 0, 0).
        var spec = new Sequential(Seq(2, 1), Seq<Layer>(new Lstm(1), new Dense(2, Activation.Softmax)));
        float[] wv = [0.5f, -0.5f, 1f, 0.25f], uv = [0.1f, 0.2f, 0.3f, 0.4f], bv = [0, 1, 0, 0];
        var w = W((0, "kernel", [1, 4], wv), (0, "recurrent_kernel", [1, 4], uv), (0, "bias", [4], bv), (1, "kernel", [1, 2], [1, -1]),
            (1, "bias", [2], [0, 0]));
        using var m = Ok(Support.Backend.Load(spec, w));
        double h = 0, c = 0;
        foreach (var x in new[] { 0.3, -0.7 })
        {
            double Z(int k) => x * wv[k] + h * uv[k] + bv[k];
            double S(double v) => 1 / (1 + Math.Exp(-v));
            c = S(Z(1)) * c + S(Z(0)) * Math.Tanh(Z(2));
            h = S(Z(3)) * Math.Tanh(c);
        }
        var p = m.Predict([0.3f, -0.7f], 1);
        Assert.Equal(1 / (1 + Math.Exp(-2 * h)), p[0], 6);
    }

    [Fact]
    public void Folding_dense_into_lstm_matches_the_plain_path()
    {
        using var m = Ok(Support.Backend.Compile(Zoo.Rnn1(5), 3));
        var data = Support.Problem(64, 1);
        var model = (TorchModel)m;
        float[] Logits(bool fold)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            using var noGrad = TorchSharp.torch.no_grad();
            return KerasForward.Logits(model.Spec, model.Parameters, model.Input(data.X, data.Rows), false, null, fold).data<float>()
                .ToArray();
        }
        var plain = Logits(fold: false);
        var folded = Logits(fold: true);
        Assert.All(plain.Zip(folded), p => Assert.True(Math.Abs(p.Item1 - p.Item2) <= 1e-5, $"{p.Item1} vs {p.Item2}"));
    }

    [Fact]
    public void Initial_weights_follow_keras_initializers()
    {
        using var m = Ok(Support.Backend.Compile(Zoo.Rnn1(), 7));
        var w = m.Weights();
        var dense = w.Layers[0].Tensors[0].Values;                  // (1, 250): limit sqrt(6/251)
        var limit = Math.Sqrt(6.0 / 251);
        Assert.All(dense, v => Assert.InRange(v, -limit, limit));
        Assert.All(w.Layers[0].Tensors[1].Values, v => Assert.Equal(0f, v));
        var kernel = w.Layers[1].Tensors[0].Values;                 // (250, 320): variance limit²/3
        var variance = kernel.Select(v => (double)v * v).Average();
        Assert.InRange(variance, 0.9 * (6.0 / 570) / 3, 1.1 * (6.0 / 570) / 3);
        var u = w.Layers[1].Tensors[1].Values;                      // (80, 320): orthonormal rows
        for (var i = 0; i < 80; i += 13)
            for (var j = 0; j < 80; j += 17)
            {
                var dot = Enumerable.Range(0, 320).Sum(k => (double)u[i * 320 + k] * u[j * 320 + k]);
                Assert.Equal(i == j ? 1.0 : 0.0, dot, 4);
            }
        var bias = w.Layers[1].Tensors[2].Values;                   // unit_forget_bias: ones in the f block only
        Assert.Equal(80, bias.Count(v => v == 1f));
        Assert.All(bias.Skip(80).Take(80), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Adam_step_matches_keras_update_by_hand()
    {
        // One weight: softmax over 2 classes with logits (w, 0); label 0. dL/dw = p − 1 with p = σ(w).
        var spec = new Sequential(Seq1(1), Seq1<Layer>(new Dense(2, Activation.Softmax)));
        var w = W((0, "kernel", [1, 2], [0.3f, 0f]), (0, "bias", [2], [0, 0]));
        using var m = Ok(Support.Backend.Load(spec, w));
        var data = new LabeledData([1f], 1, [0], 2);
        Ok(m.Fit(data, None, new TrainingConfig(2, 1, 0, new AdamSettings(), Shuffle: false)));
        double theta = 0.3, mm = 0, v = 0;
        for (var t = 1; t <= 2; t++)
        {
            var p0 = Math.Exp(theta) / (Math.Exp(theta) + 1);
            var g = p0 - 1;
            mm += (g - mm) * 0.1; v += (g * g - v) * 0.001;
            var lr = 1e-3 * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
            theta -= lr * mm / (Math.Sqrt(v) + 1e-7);
        }
        Assert.Equal(theta, m.Weights().Layers[0].Tensors[0].Values[0], 5);
    }

    [Fact]
    public void Training_learns_and_is_deterministic()
    {
        var data = Support.Problem(600, 2);
        var config = new TrainingConfig(15, 64, 11, new AdamSettings(LearningRate: 0.01));
        History Run(int seed, out float[] weights)
        {
            using var m = Ok(Support.Backend.Compile(Zoo.Dnn2(3), seed));
            var h = Ok(m.Fit(data, Some(Support.Problem(200, 3)), config with { Seed = seed }));
            weights = Support.Flat(m);
            return h;
        }
        var a = Run(11, out var wa);
        var b = Run(11, out var wb);
        Run(12, out var wc);
        Assert.Equal(a.Epochs.Map(e => (e.Loss, e.Accuracy, e.ValLoss)), b.Epochs.Map(e => (e.Loss, e.Accuracy, e.ValLoss)));
        Assert.Equal(wa, wb);
        Assert.NotEqual(wa, wc);
        Assert.True(a.Epochs.Last.Loss < a.Epochs.Head.Loss * 0.8, $"loss {a.Epochs.Head.Loss} → {a.Epochs.Last.Loss}");
        Assert.True(a.Epochs.Last.ValAccuracy > 0.6, $"val accuracy {a.Epochs.Last.ValAccuracy}");
    }

    [Fact]
    public void Resume_from_a_checkpoint_is_bit_identical_to_an_uninterrupted_run()
    {
        var data = Support.Problem(300, 4);
        var val = Some(Support.Problem(100, 5));
        var dir = Support.TempDir();
        var config = new TrainingConfig(6, 50, 3, new AdamSettings(), Checkpoints: new CheckpointPolicy(Path.Combine(dir, "a"), 2));

        using var straight = Ok(Support.Backend.Compile(Zoo.Rnn1(3), 3));
        var full = Ok(straight.Fit(data, val, config));

        var resumeDir = Path.Combine(dir, "b");
        using (var first = Ok(Support.Backend.Compile(Zoo.Rnn1(3), 3)))
            Ok(first.Fit(data, val, config with { Epochs = 4, Checkpoints = new CheckpointPolicy(resumeDir, 2) }));
        using var second = Ok(Support.Backend.Compile(Zoo.Rnn1(3), 3));
        var resumed = Ok(second.Fit(data, val, config with { Checkpoints = new CheckpointPolicy(resumeDir, 2), Resume = true }));

        Assert.Equal(full.Epochs.Map(e => (e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy)),
            resumed.Epochs.Map(e => (e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy)));
        Assert.Equal(Support.Flat(straight), Support.Flat(second));
        Assert.Equal(2, Directory.GetFiles(resumeDir, "*.ckpt").Length);
    }

    [Fact]
    public void Early_stopping_stops_and_restores_the_best_weights()
    {
        var data = Support.Problem(200, 6);
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var val = Support.Problem(50, 7);
        var h = Ok(m.Fit(data, Some(val),
            new TrainingConfig(200, 20, 1, new AdamSettings(LearningRate: 0.05), EarlyStopping: new EarlyStopping(Patience: 3))));
        Assert.True(h.Epochs.Count < 200);
        var best = h.Epochs.OrderBy(e => e.ValLoss).First();
        Assert.Equal(h.Epochs.Count - 3, best.Epoch);
        // the model holds the best epoch's weights again: its validation loss is that epoch's, not the last one's
        var now = m.Evaluate(val, 20).Loss;
        Assert.Equal(best.ValLoss, now, 5);
        Assert.True(Math.Abs(h.Epochs.Last().ValLoss - now) > 1e-4, $"last epoch's val_loss {h.Epochs.Last().ValLoss} vs restored {now}");
    }

    [Fact]
    public void A_model_folder_round_trips_and_checks_shapes()
    {
        var dir = Support.TempDir();
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn2(), 5));
        Ok(ModelFolder.Save(dir, m.Spec, m.Weights(), None));
        var (spec, weights, _) = Ok(ModelFolder.Load(dir));
        Assert.Equal(m.Spec.Layers, spec.Layers);
        Assert.Equal(ModelStore.Flatten(m.Weights()).Map(t => t.Values), ModelStore.Flatten(weights).Map(t => t.Values));
        var wrong = Fail(Support.Backend.Load(Zoo.Dnn1(), weights));
        Assert.Contains("expected", wrong);
    }
}
