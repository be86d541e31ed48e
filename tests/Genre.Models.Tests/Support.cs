using System.Reflection;
using Genre.Models.Backend;
using static TorchSharp.torch;

namespace Genre.Models.Tests;

public static class Support
{
    public static string RepoRoot => Path.GetFullPath(typeof(Support).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!);

    public static string AuthorsModels => Genre.TestSupport.Inputs.AuthorsModels;

    public static readonly TorchBackend Backend = new();


    /// <summary>All of a model's weights, flattened in layer order: for bit-identity checks.</summary>
    public static float[] Flat(ICompiledModel m) => ModelStore.Flatten(m.Weights()).Bind(t => toSeq(t.Values)).ToArray();

    /// <summary>Layer <paramref name="layer"/>'s weights by name, for hand-written references.</summary>
    public static Dictionary<string, float[]> Named(ModelWeights w, int layer) =>
        w.Layers.Find(l => l.LayerIndex == layer).Map(l => l.Tensors.ToDictionary(t => t.Name, t => t.Values))
            .IfNone(() => throw new Exception($"no layer {layer}"));

    /// <summary>
    /// Saves <paramref name="m"/> as a model folder and loads it back: asserts the layers of <paramref name="net"/>, bit-identical
    /// weights and the same predictions on <paramref name="data"/>; returns the folder's model.json without spaces or line
    /// breaks, for the caller's checks of its layers' configs.
    /// </summary>
    public static string AssertFolderRoundTrip(ICompiledModel m, Sequential net, LabeledData data)
    {
        var dir = TempDir();
        Ok(ModelFolder.Save(dir, m.Spec, m.Weights(), None));
        var (spec, weights, _) = Ok(ModelFolder.Load(dir));
        Assert.Equal(net.Layers, spec.Layers);
        using var again = Ok(Backend.Load(spec, weights));
        Assert.Equal(Flat(m), Flat(again));
        Assert.Equal(m.Predict(data.X, data.Rows), again.Predict(data.X, data.Rows));
        return File.ReadAllText(Path.Combine(dir, "model.json")).Replace(" ", "").Replace("\n", "");
    }

    /// <summary>Trains <paramref name="net"/> (3 classes) 3 epochs on a small problem drawn from <paramref name="dataSeed"/>,
    /// exports it to ONNX and asserts ONNX Runtime predicts what the backend does.</summary>
    public static void AssertOnnxAgrees(Sequential net, int dataSeed)
    {
        var data = Problem(200, dataSeed);
        using var m = Ok(Backend.Compile(net, 4));
        Ok(m.Fit(data, None, new TrainingConfig(3, 50, 3, new AdamSettings(LearningRate: 0.01))));
        var onnx = OnnxExportTests.RunOnnx(Ok(Genre.Models.Onnx.OnnxExport.ToBytes(m.Spec, m.Weights(), None)), data.X, data.Rows, 3);
        OnnxExportTests.Agree(m.Predict(data.X, data.Rows), onnx, data.Rows, 3);
    }


    /// <summary>
    /// Trains <paramref name="net"/> (weights from <paramref name="seed"/>) 4 epochs straight, and 2 epochs then resumed from the
    /// last checkpoint to 4 (batch 40, Adam 0.02, a checkpoint every epoch, then <paramref name="adjust"/>); asserts both end
    /// with bit-identical weights and returns the straight model (the caller disposes it).
    /// </summary>
    public static ICompiledModel AssertResumedFitIsBitIdentical(Sequential net, LabeledData data, int seed,
                                                                Func<TrainingConfig, TrainingConfig>? adjust = null)
    {
        var config = (adjust ?? (c => c))(new TrainingConfig(4, 40, seed, new AdamSettings(LearningRate: 0.02),
            Checkpoints: new CheckpointPolicy(TempDir(), 1)));
        using (var first = Ok(Backend.Compile(net, seed)))
            Ok(first.Fit(data, None, config with { Epochs = 2 }));
        using var resumed = Ok(Backend.Compile(net, seed));
        Ok(resumed.Fit(data, None, config with { Resume = true }));
        var straight = Ok(Backend.Compile(net, seed));
        Ok(straight.Fit(data, None, config with { Checkpoints = None }));
        Assert.Equal(Flat(straight), Flat(resumed));
        return straight;
    }

    /// <summary>
    /// Issue 28's whole-net nodes (<see cref="FusedDenseStack"/>, <see cref="FusedLstmClassifier"/>) against the
    /// layer-by-layer path on one batch of 791 rows (uneven chunks on two lanes), as one pass and as micro-batches of 300:
    /// the same summed loss, the same rows right, and every gradient within 1e-5 of the largest of its parameter's (at least
    /// <paramref name="floor"/>), none all zero. Labels run over every class; dropout draws from generator
    /// <paramref name="dropoutSeed"/> when given.
    /// </summary>
    public static void AssertWholeNetPassAgrees(Sequential spec, double smoothing, double floor, int? dropoutSeed = null)
    {
        foreach (var microBatch in new[] { 791, 300 })
        {
            var layers = GradientPass(spec, wholeNet: false, smoothing, microBatch, dropoutSeed);
            var whole = GradientPass(spec, wholeNet: true, smoothing, microBatch, dropoutSeed);
            Assert.Equal(layers.LossSum, whole.LossSum, 1e-5 * layers.LossSum);
            Assert.Equal(layers.Correct, whole.Correct);
            for (var p = 0; p < layers.Gradients.Length; p++)
            {
                var scale = Math.Max(floor, layers.Gradients[p].Max(Math.Abs));
                for (var i = 0; i < layers.Gradients[p].Length; i++)
                    Assert.True(Math.Abs(layers.Gradients[p][i] - whole.Gradients[p][i]) <= 1e-5 * scale,
                        $"{spec.Name}, micro-batch {microBatch}: parameter {p} element {i}: " +
                        $"{layers.Gradients[p][i]} vs {whole.Gradients[p][i]}");
                Assert.Contains(whole.Gradients[p], g => g != 0);
            }
        }
    }

    static (double LossSum, long Correct, float[][] Gradients) GradientPass(Sequential spec, bool wholeNet, double smoothing,
        int microBatch, int? dropoutSeed)
    {
        using var scope = NewDisposeScope();
        using var m = (TorchModel)Ok(Backend.Compile(spec, 11));
        const int rows = 791;
        var r = new Random(5);
        var width = spec.InputShape.Fold(1, (w, d) => w * d);
        var x = Enumerable.Range(0, rows * width).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray();
        var classes = ((Dense)spec.Layers.Last()).Units;
        var y = tensor(Enumerable.Range(0, rows).Select(i => (long)(i % classes)).ToArray()); // every class (i · 7 mod 7 was all 0)
        foreach (var p in m.Parameters) p.grad?.zero_();
        using var dropout = dropoutSeed is int seed ? new Generator((ulong)seed) : null;
        var (loss, correct) = Trainer.AccumulateGradients(m, m.Input(x, rows), y, dropout, microBatch, smoothing, wholeNet);
        return (loss, correct, m.Parameters.Select(p => p.grad!.data<float>().ToArray()).ToArray());
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>A small learnable problem: class = argmax of 3 noisy linear scores of 15 uniform features.</summary>
    public static LabeledData Problem(int rows, int seed)
    {
        var r = new Random(seed);
        var x = new float[rows * 15];
        var y = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < 15; j++) x[i * 15 + j] = (float)r.NextDouble();
            var s0 = x[i * 15] + x[i * 15 + 1];
            var s1 = x[i * 15 + 2] + x[i * 15 + 3];
            var s2 = x[i * 15 + 4] + x[i * 15 + 5];
            y[i] = s0 > s1 ? (s0 > s2 ? 0 : 2) : (s1 > s2 ? 1 : 2);
        }
        return new LabeledData(x, rows, y, 3);
    }
}
