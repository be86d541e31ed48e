using System.Text.Json;
using Genre.Models.Import;
using Genre.Models.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>Keras BatchNormalization (the layer added as one kind file plus its TorchSharp file): inference and training
/// semantics, moving statistics, save/load, checkpoints, summary, Keras import and ONNX export.</summary>
public class BatchNormalizationTests
{
    static readonly Sequential Net = new(Seq1(15), Seq<Layer>(new BatchNormalization(), new Dense(16, Activation.Relu),
        new BatchNormalization(Momentum: 0.9), new Dense(3, Activation.Softmax)), "bn");

    static Tensor T(double[] v, params long[] shape) => tensor(v.Select(d => (float)d).ToArray(), shape);

    [Fact]
    public void Inference_normalizes_the_last_axis_with_the_moving_statistics()
    {
        double[] gamma = [1.5, -0.5, 2], beta = [0.1, 0.2, -0.3], mean = [0.5, -1, 2], variance = [4, 0.25, 1];
        const double eps = 0.01;
        var spec = new Sequential(Seq(2, 3), Seq1<Layer>(new BatchNormalization(Epsilon: eps)));
        var r = new Random(4);
        var x = Enumerable.Range(0, 5 * 2 * 3).Select(_ => r.NextDouble() * 6 - 3).ToArray();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var p = new[] { T(gamma, 3), T(beta, 3), T(mean, 3), T(variance, 3) };
        var y = KerasForward.Logits(spec, p, T(x, 5, 2, 3), false, null).data<float>().ToArray();
        for (var i = 0; i < x.Length; i++)
        {
            var j = i % 3;
            Assert.Equal(gamma[j] * (x[i] - mean[j]) / Math.Sqrt(variance[j] + eps) + beta[j], y[i], 5);
        }
    }

    [Fact]
    public void Training_normalizes_with_the_batch_mean_and_biased_variance_and_moves_the_statistics()
    {
        var spec = new Sequential(Seq1(2), Seq1<Layer>(new BatchNormalization(Momentum: 0.8, Epsilon: 1e-3)));
        double[] x = [1, 10, 2, 20, 4, 30, 5, 60];
        using var scope = NewDisposeScope();
        var p = new[] { T([1, 1], 2), T([0, 0], 2), T([0.5, -1], 2), T([2, 3], 2) };
        var y = KerasForward.Logits(spec, p, T(x, 4, 2), true, null).data<float>().ToArray();
        for (var j = 0; j < 2; j++)
        {
            var column = Enumerable.Range(0, 4).Select(i => x[i * 2 + j]).ToArray();
            var m = column.Average();
            var v = column.Average(c => (c - m) * (c - m)); // biased
            for (var i = 0; i < 4; i++) Assert.Equal((column[i] - m) / Math.Sqrt(v + 1e-3), y[i * 2 + j], 4);
            Assert.Equal((new[] { 0.5, -1 }[j]) * 0.8 + m * 0.2, p[2].data<float>()[j], 4);
            Assert.Equal((new[] { 2.0, 3 }[j]) * 0.8 + v * 0.2, p[3].data<float>()[j], 3);
        }
    }

    [Fact]
    public void A_fit_moves_the_statistics_once_per_batch_over_the_whole_batch_and_trains_only_gamma_and_beta()
    {
        var data = Support.Problem(1500, 5); // more rows than a micro-batch: BatchNormalization needs the whole batch in one pass
        using var m = Ok(Support.Backend.Compile(Net, 1));
        Ok(m.Fit(data, None, new TrainingConfig(1, 1500, 3, new AdamSettings(LearningRate: 0.01))));
        var first = m.Weights().Layers.Find(l => l.LayerIndex == 0).Map(l => l.Tensors.ToDictionary(t => t.Name))
            .IfNone(() => throw new Exception());
        for (var j = 0; j < 15; j++)
        {
            var column = Enumerable.Range(0, data.Rows).Select(i => (double)data.X[i * 15 + j]).ToArray();
            var mean = column.Average();
            var variance = column.Average(c => (c - mean) * (c - mean));
            Assert.Equal(0.01 * mean, first["moving_mean"].Values[j], 6);
            Assert.Equal(0.99 + 0.01 * variance, first["moving_variance"].Values[j], 6);
            Assert.NotEqual(1f, first["gamma"].Values[j]);
        }
    }

    [Fact]
    public void Prediction_agrees_with_the_training_forward_in_inference_mode()
    {
        var data = Support.Problem(300, 6);
        using var m = Ok(Support.Backend.Compile(Net, 2));
        Ok(m.Fit(data, None, new TrainingConfig(3, 64, 3, new AdamSettings(LearningRate: 0.01))));
        var forward = ((TorchModel)m).PredictWithTrainingForward(data.X, data.Rows);
        var predicted = m.Predict(data.X, data.Rows);
        // to 1e-5, not to 5 decimals rounded: two float32 softmaxes 1.5e-8 apart can round either side of a last decimal
        Assert.All(forward.Zip(predicted), p => Assert.Equal(p.Item1, p.Item2, 1e-5));
    }

    [Fact]
    public void Save_and_load_round_trip_the_spec_and_the_moving_statistics()
    {
        var data = Support.Problem(200, 7);
        using var m = Ok(Support.Backend.Compile(Net, 3));
        Ok(m.Fit(data, None, new TrainingConfig(2, 50, 3, new AdamSettings(LearningRate: 0.01))));
        Assert.Contains("""{"type":"BatchNormalization","axis":-1,"momentum":0.9,"epsilon":0.001}""",
            Support.AssertFolderRoundTrip(m, Net, data));
    }

    [Fact]
    public void A_resumed_fit_restores_the_moving_statistics_bit_identically()
    {
        using var _ = Support.AssertResumedFitIsBitIdentical(Net, Support.Problem(150, 8), 12);
    }

    [Fact]
    public void The_summary_counts_the_moving_statistics_as_non_trainable()
    {
        var text = Ok(Summary.Of(Net));
        Assert.Contains("batch_normalization (BatchNo (None, 15)                60        ", text);
        Assert.Contains("batch_normalization_1 (Batch (None, 16)                64        ", text);
        Assert.Contains("dense_1 (Dense)              (None, 3)                 51        ", text);
        Assert.Contains("Total params: 431\nTrainable params: 369\nNon-trainable params: 62\n", text);
    }

    [Fact]
    public void Bad_settings_are_named()
    {
        var bad = new Sequential(Seq1(15), Seq<Layer>(new BatchNormalization(Momentum: 1.5, Epsilon: 0), new BatchNormalization(Axis: 2),
            new Dense(3, Activation.Softmax)), "b");
        Assert.Equal(["b: layer 0 (BatchNormalization): momentum must be in [0, 1], got 1.5",
                      "b: layer 0 (BatchNormalization): epsilon must be > 0, got 0"],
            SpecValidation.Validate(bad).Match(_ => Seq<string>(), e => e.Map(x => x.Message)).ToArray());
        Assert.Equal("b: layer 0 (BatchNormalization): normalizes the last axis only (−1 or 1), got axis 2",
            Fail(SpecValidation.ValidateFin(bad with { Layers = bad.Layers.Tail })));
    }

    [Fact]
    public void Keras_configs_import_with_the_built_axis_list()
    {
        static Fin<Sequential> Import(string bn)
        {
            using var doc = JsonDocument.Parse(
                """{"layers": [{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 15]}},""" +
                """{"class_name": "BatchNormalization", "config": """ + bn + """}, """ +
                """{"class_name": "Dense", "config": {"units": 3, "activation": "softmax"}}]}""");
            return KerasConfig.FromConfigJson(doc.RootElement, "m", "meta.pb");
        }
        Assert.Equal(Seq<Layer>(new BatchNormalization(1, 0.99, 0.001), new Dense(3, Activation.Softmax)),
            Ok(Import("""{"axis": [1], "momentum": 0.99, "epsilon": 0.001, "center": true, "scale": true}""")).Layers);
        Assert.Equal("meta.pb: bad Keras config (layer 1: center must be true)",
            Fail(Import("""{"axis": -1, "momentum": 0.99, "epsilon": 0.001, "center": false, "scale": true}""")));
        Assert.Equal("meta.pb: bad Keras config (layer 1: axis must be one axis)",
            Fail(Import("""{"axis": [1, 2], "momentum": 0.99, "epsilon": 0.001}""")));
    }

    [Fact]
    public void The_onnx_export_agrees_with_onnx_runtime() => Support.AssertOnnxAgrees(Net, 9);
}
