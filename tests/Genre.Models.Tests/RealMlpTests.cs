using Genre.Data;
using Genre.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>RealMLP's parts on the model side (issue 27): the PeriodicEmbedding layer (kind, TorchSharp, ONNX), SELU, label
/// smoothing and the coslog schedule — arithmetic against plain references, initialization, training, save/load, resume, ONNX.</summary>
public class RealMlpTests
{
    /// <summary>4 frequencies to 2 values per column on 15 features (15·3 = 45 wide), one SELU block, 3 classes.</summary>
    static readonly Sequential Net = new(Seq1(15), Seq<Layer>(new PeriodicEmbedding(4, 2), new Dense(6, Activation.Selu),
        new Dropout(0.1), new Dense(3, Activation.Softmax)), "realmlp-small");

    /// <summary>Keras' selu constants.</summary>
    static double Selu(double x) => 1.0507009873554805 * (x > 0 ? x : 1.6732632423543772 * (Math.Exp(x) - 1));

    /// <summary>The model by hand, in double: per column j the embedding e_j = cos(2π·x_j·w_j + b_j)·K_j + c_j, the row
    /// [e_1 … e_15, x], then selu(·W + b), then softmax.</summary>
    static double[] Reference(ModelWeights w, float[] x, int rows)
    {
        var (emb, dense, head) = (Support.Named(w, 0), Support.Named(w, 1), Support.Named(w, 3));
        const int features = 15, f = 4, width = 2, units = 6, classes = 3, wide = features * (width + 1);
        var result = new double[rows * classes];
        for (var n = 0; n < rows; n++)
        {
            var row = new double[wide];
            for (var j = 0; j < features; j++)
            {
                var xj = (double)x[n * features + j];
                for (var o = 0; o < width; o++)
                {
                    double s = emb["bias"][j * width + o];
                    for (var k = 0; k < f; k++)
                        s += Math.Cos(2 * Math.PI * xj * emb["frequencies"][j * f + k] + emb["phases"][j * f + k]) *
                             emb["kernel"][(j * f + k) * width + o];
                    row[j * width + o] = s;
                }
                row[features * width + j] = xj;
            }
            var h = new double[units];
            for (var u = 0; u < units; u++)
            {
                double s = dense["bias"][u];
                for (var i = 0; i < wide; i++) s += row[i] * dense["kernel"][i * units + u];
                h[u] = Selu(s);
            }
            var logits = new double[classes];
            for (var c = 0; c < classes; c++)
            {
                double s = head["bias"][c];
                for (var u = 0; u < units; u++) s += h[u] * head["kernel"][u * classes + c];
                logits[c] = s;
            }
            var max = logits.Max();
            var sum = logits.Sum(l => Math.Exp(l - max));
            for (var c = 0; c < classes; c++) result[n * classes + c] = Math.Exp(logits[c] - max) / sum;
        }
        return result;
    }

    [Fact]
    public void Prediction_is_the_periodic_embedding_with_its_inputs_then_selu_then_softmax()
    {
        var data = Support.Problem(40, 31);
        using var m = Ok(Support.Backend.Compile(Net, 5));
        Ok(m.Fit(data, None, new TrainingConfig(2, 20, 5, new AdamSettings(LearningRate: 0.05))));
        var expected = Reference(m.Weights(), data.X, data.Rows);
        var predicted = m.Predict(data.X, data.Rows);
        var forward = ((TorchModel)m).PredictWithTrainingForward(data.X, data.Rows);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], predicted[k], 1e-5);
            Assert.Equal(expected[k], forward[k], 1e-5);
        }
    }

    [Fact]
    public void The_embedding_starts_as_pytabkits_draws()
    {
        using var m = Ok(Support.Backend.Compile(new Sequential(Seq1(15), Seq<Layer>(new PeriodicEmbedding(),
            new Dense(3, Activation.Softmax)), "e"), 9));
        var w = Support.Named(m.Weights(), 0);
        var frequencies = w["frequencies"];
        Assert.Equal(15 * 16, frequencies.Length);
        // N(0, 0.1²) over 240 draws: the sample deviation within a few standard errors of 0.1
        var sd = Math.Sqrt(frequencies.Average(v => (double)v * v));
        Assert.InRange(sd, 0.08, 0.12);
        Assert.All(w["phases"], v => Assert.InRange(v, -Math.PI, Math.PI));
        Assert.True(w["phases"].Max() - w["phases"].Min() > 5, "phases spread over (−π, π)");
        Assert.All(w["kernel"].Concat(w["bias"]), v => Assert.InRange(v, -0.25f, 0.25f));
        Assert.Equal(15 * 16 * 3, w["kernel"].Length);
        Assert.Equal(15 * 3, w["bias"].Length);
    }

    [Fact]
    public void Label_smoothing_trains_on_the_smoothed_one_hot_targets()
    {
        using var scope = NewDisposeScope();
        var logits = randn(new long[] { 6, 5 }, ScalarType.Float64, generator: new Generator(4)).mul(2.0);
        var labels = tensor(new long[] { 0, 4, 2, 2, 1, 3 });
        const double eps = 0.1;
        var logP = nn.functional.log_softmax(logits, -1).data<double>().ToArray();
        var y = labels.data<long>().ToArray();
        var expected = Enumerable.Range(0, 6).Average(n =>
            -Enumerable.Range(0, 5).Sum(c => ((c == y[n] ? 1 - eps : 0) + eps / 5) * logP[n * 5 + c]));
        Assert.Equal(expected, KerasLoss.CrossEntropy(logits, labels, eps).item<double>(), 12);
        // members' logits: each member's smoothed loss, averaged
        var members = stack(new[] { logits, logits.flip(1) }, 1);
        var second = KerasLoss.CrossEntropy(logits.flip(1), labels, eps).item<double>();
        Assert.Equal((expected + second) / 2, KerasLoss.CrossEntropy(members, labels, eps).item<double>(), 12);
        Assert.NotEqual(KerasLoss.CrossEntropy(logits, labels).item<double>(), expected, 6);
    }

    [Fact]
    public void The_coslog_schedule_is_pytabkits_and_cosine_decay_keeps_its_arithmetic()
    {
        var coslog = new AdamSettings(LearningRate: 0.04, Decay: new CosLog(4));
        Assert.Equal(0.0, coslog.RateAt(0, 1000));
        // peaks where log2(1 + 15 t) is ½, 1½, 2½, 3½; troughs at t = 1/15, 3/15, 7/15 and 1
        foreach (var t in new[] { (Math.Sqrt(2) - 1) / 15, (Math.Pow(2, 1.5) - 1) / 15, (Math.Pow(2, 3.5) - 1) / 15 })
            Assert.Equal(0.04, coslog.RateAt((long)Math.Round(t * 1e6), 1_000_000), 6);
        foreach (var t in new[] { 1.0 / 15, 3.0 / 15, 7.0 / 15 })
            Assert.Equal(0.0, coslog.RateAt((long)Math.Round(t * 1.5e6), 1_500_000), 6);
        Assert.Equal(0.0, coslog.RateAt(1000, 1000), 12);
        Assert.Equal(0.0, coslog.RateAt(5000, 1000), 12); // past the end: the last step's rate
        var r = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            long total = r.Next(1, 100_000), step = r.Next(0, (int)total + 1);
            var d = new CosineDecay(r.NextDouble() < 0.5 ? 0 : r.NextDouble());
            var earlier = 3e-3 * ((1 - d.Alpha) * 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, total) / Math.Max(1, total))) + d.Alpha);
            Assert.Equal(earlier, new AdamSettings(3e-3, Decay: d).RateAt(step, total)); // bit for bit, as before coslog
        }
    }

    [Fact]
    public void Training_with_realmlps_settings_learns_a_small_problem()
    {
        var data = Support.Problem(600, 32);
        using var m = Ok(Support.Backend.Compile(Net, 6));
        var history = Ok(m.Fit(data, None, new TrainingConfig(30, 64, 6,
            new AdamSettings(LearningRate: 0.01, Beta2: 0.95, Decay: new CosLog(2)), LabelSmoothing: 0.1)));
        Assert.True(history.Epochs.Last.Loss < history.Epochs.Head.Loss * 0.7,
            $"loss {history.Epochs.Head.Loss} → {history.Epochs.Last.Loss}");
        Assert.True(m.Evaluate(data).Accuracy > 0.8, $"accuracy {m.Evaluate(data).Accuracy}");
    }

    [Fact]
    public void A_run_that_ends_at_its_last_epoch_keeps_its_best_epoch_only_when_asked()
    {
        // 40 training rows, a high rate: the validation loss turns up well before epoch 60
        var (train, val) = (Support.Problem(40, 36), Support.Problem(300, 37));
        var stopping = new EarlyStopping("val_loss", Patience: 60);
        var config = new TrainingConfig(60, 20, 2, new AdamSettings(LearningRate: 0.05), EarlyStopping: stopping);
        using var keras = Ok(Support.Backend.Compile(Net, 2));
        var history = Ok(keras.Fit(train, val, config));
        var best = history.Epochs.OrderBy(e => e.ValLoss).First();
        Assert.True(best.Epoch < 50, $"the best validation loss came at epoch {best.Epoch}");
        // Keras: no early stop, so the last epoch's weights stay
        Assert.Equal(history.Epochs.Last.ValLoss, keras.Evaluate(val).Loss, 6);
        using var realmlp = Ok(Support.Backend.Compile(Net, 2));
        Ok(realmlp.Fit(train, val, config with { EarlyStopping = stopping with { RestoreAtEnd = true } }));
        Assert.Equal(best.ValLoss, realmlp.Evaluate(val).Loss, 6);
    }

    [Fact]
    public void Save_and_load_round_trip_and_a_resumed_fit_is_bit_identical()
    {
        var data = Support.Problem(150, 33);
        // no schedule here: a schedule spans the fit's epochs, so a 2-epoch run's checkpoint does not continue a 4-epoch one
        // (the next test); within one length it resumes like any other setting
        using var straight = Support.AssertResumedFitIsBitIdentical(Net, data, 12, c => c with
        {
            Adam = c.Adam with { Beta2 = 0.95 },
            LabelSmoothing = 0.1,
        });

        var json = Support.AssertFolderRoundTrip(straight, Net, data);
        Assert.Contains("""{"type":"PeriodicEmbedding","frequencies":4,"width":2}""", json);
        Assert.Contains("\"activation\":\"selu\"", json);
    }

    [Fact]
    public void Resuming_with_other_smoothing_or_schedule_is_refused_naming_them()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(40, 34);
        var config = new TrainingConfig(2, 20, 1, new AdamSettings(Decay: new CosLog(4)), Checkpoints: new CheckpointPolicy(dir, 1),
            LabelSmoothing: 0.1);
        using (var m = Ok(Support.Backend.Compile(Net, 1)))
            Ok(m.Fit(data, None, config));
        using var other = Ok(Support.Backend.Compile(Net, 1));
        var unsmoothed = Fail(other.Fit(data, None, config with { LabelSmoothing = 0, Resume = true }));
        Assert.Contains("checkpoint was written with batch 20, seed 1, Adam lr 0.001 with 4 coslog cycles over 2 epochs, " +
                        "label smoothing 0.1; this run uses", unsmoothed);
        var cosine = Fail(other.Fit(data, None, config with { Adam = new AdamSettings(Decay: new CosineDecay()), Resume = true }));
        Assert.Contains("this run uses batch 20, seed 1, Adam lr 0.001 with cosine decay to 0× over 2 epochs, label smoothing 0.1",
            cosine);
        Assert.Equal("fit: label smoothing must be in [0, 1), got 1",
            Fail(other.Fit(data, None, config with { LabelSmoothing = 1, Checkpoints = None })));
    }

    [Fact]
    public void The_onnx_export_agrees_with_onnx_runtime() => Support.AssertOnnxAgrees(Net, 35);

    [Fact]
    public void The_zoo_model_reads_realmlps_pipeline_and_summarizes()
    {
        var net = Zoo.RealMlp();
        Assert.Equal(Ok(Zoo.ByName("realmlp")), net);
        Assert.Equal(Pipelines.RealMlp, Zoo.FeaturesOf("realmlp"));
        Assert.Equal(Seq1(33 * 4), Ok(Shapes.Infer(net))[0]);
        Assert.Equal(new Dense(66, Activation.Softmax), net.WithClasses(66).Layers.Last);
        // embedding 33·(16 + 16 + 16·3 + 3), then 132·256+256, 2 × (256·256+256), 256·114+114
        var total = 33 * (16 + 16 + 48 + 3) + (132 * 256 + 256) + 2 * (256 * 256 + 256) + (256 * 114 + 114);
        Assert.Contains($"Total params: {total:N0}", Ok(Summary.Of(net)));
    }

    [Fact]
    public void Bad_settings_and_inputs_are_named()
    {
        var bad = new Sequential(Seq1(15), Seq<Layer>(new PeriodicEmbedding(0, 3), new Dense(3, Activation.Softmax)), "b");
        Assert.Equal("b: layer 0 (PeriodicEmbedding): frequencies must be > 0, got 0", Fail(SpecValidation.ValidateFin(bad)));
        Assert.Equal("b: layer 0 (PeriodicEmbedding): needs a flat input (None, features), got rank 3",
            Fail(SpecValidation.ValidateFin(new Sequential(Seq(15, 1), Seq<Layer>(new PeriodicEmbedding(), new Dense(3,
                Activation.Softmax)), "b"))));
    }
}
