using Genre.Data;
using Genre.Models.Backend;
using Genre.Models.Import;
using Genre.Models.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Genre.Models.Tests;

/// <summary>
/// ONNX export (issue 15) checked by running the exported graph in ONNX Runtime: on every test row the same predicted
/// genre as genre's forward pass and every probability within 1e-5 — the seven zoo models (briefly trained on a small
/// synthetic file) and the authors' five SavedModels.
/// </summary>
public class OnnxExportTests
{
    static string Small => Path.Combine(Support.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");

    static PreparedData Data(bool reduced) => Support.Ok(ReportPipeline.Load(Small, reduced ? Some(GenreMapping.ReportMerges) : None)).Data;

    /// <summary>ONNX Runtime's output for <paramref name="x"/> (rows × 15).</summary>
    internal static float[] RunOnnx(byte[] model, float[] x, int rows, int classes)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        Assert.Equal(OnnxExport.InputName, session.InputMetadata.Keys.Single());
        Assert.Equal(OnnxExport.OutputName, session.OutputMetadata.Keys.Single());
        Assert.Equal([-1, 15], session.InputMetadata[OnnxExport.InputName].Dimensions);
        Assert.Equal([-1, classes], session.OutputMetadata[OnnxExport.OutputName].Dimensions);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, new DenseTensor<float>(x, [rows, 15]))]);
        return results.Single().AsTensor<float>().ToArray();
    }

    static int Argmax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    /// <summary>Same argmax on every row and every probability within <paramref name="tolerance"/>.</summary>
    internal static void Agree(float[] genre, float[] onnx, int rows, int classes, double tolerance = 1e-5)
    {
        Assert.Equal(genre.Length, onnx.Length);
        Assert.Equal(rows * classes, genre.Length);
        var worst = 0.0;
        for (var i = 0; i < rows; i++)
        {
            var a = genre.AsSpan(i * classes, classes);
            var b = onnx.AsSpan(i * classes, classes);
            Assert.True(Argmax(a) == Argmax(b), $"row {i}: genre predicts class {Argmax(a)} ({a[Argmax(a)]}), ONNX Runtime {Argmax(b)} ({b[Argmax(b)]})");
            for (var c = 0; c < classes; c++) worst = Math.Max(worst, Math.Abs(a[c] - b[c]));
        }
        Assert.True(worst <= tolerance, $"largest probability difference {worst:E2} > {tolerance:E0}");
    }

    public static TheoryData<string> ZooNames => new() { "softmax", "mlp", "rnn1", "rnn2", "dnn1", "dnn2", "reduced-rnn1" };

    [Theory, MemberData(nameof(ZooNames))]
    public void Every_zoo_model_agrees_with_ONNX_Runtime_on_every_test_row(string name)
    {
        var data = Data(name == "reduced-rnn1");
        var spec = Support.Ok(Zoo.ByName(name));
        using var model = Support.Ok(Support.Backend.Compile(spec, 5));
        var train = LabeledData.From(data.Scaled.Train);
        Support.Ok(model.Fit(train, None, new TrainingConfig(1, 128, 5, new AdamSettings(1e-2))));
        var test = LabeledData.From(data.Scaled.Test);
        var bytes = Support.Ok(OnnxExport.ToBytes(spec, model.Weights(), None));
        Agree(model.Predict(test.X, test.Rows), RunOnnx(bytes, test.X, test.Rows, test.Classes), test.Rows, test.Classes);
    }

    public static TheoryData<string> Authors => new() { "RNN1net", "RNN2net", "DNN1net", "DNN2net", "reducedRNNnet" };

    [AuthorsModelsTheory, MemberData(nameof(Authors))]
    public void The_authors_models_agree_with_ONNX_Runtime_on_every_test_row(string name)
    {
        var saved = Support.Ok(SavedModel.Load(Path.Combine(Support.AuthorsModels, name)));
        var test = LabeledData.From(Data(name.StartsWith("reduced")).Scaled.Test);
        using var model = Support.Ok(Support.Backend.Load(saved.Spec, saved.Weights));
        var bytes = Support.Ok(OnnxExport.ToBytes(saved.Spec, saved.Weights, None));
        Agree(model.Predict(test.X, test.Rows), RunOnnx(bytes, test.X, test.Rows, test.Classes), test.Rows, test.Classes);
    }

    /// <summary>
    /// The same on the Kaggle file's 22,710 test rows (needs $GENRE_DATA). RNN2 gets 1.5e-5: there ONNX Runtime's LSTM kernel
    /// (its own sigmoid/tanh approximations) is itself up to 1.09e-5 from the numpy float32 reference's top probability
    /// (tests/golden/models/kaggle), where genre is within 3.8e-6 — measured once, ONNX Runtime 1.31.1.
    /// </summary>
    [RealDataAuthorsTheory]
    [InlineData("RNN1net", 1e-5)]
    [InlineData("RNN2net", 1.5e-5)]
    [InlineData("DNN1net", 1e-5)]
    [InlineData("DNN2net", 1e-5)]
    [InlineData("reducedRNNnet", 1e-5)]
    public void On_the_real_file_the_authors_models_agree_with_ONNX_Runtime_on_every_test_row(string name, double tolerance)
    {
        var saved = Support.Ok(SavedModel.Load(Path.Combine(Support.AuthorsModels, name)));
        var real = Environment.GetEnvironmentVariable("GENRE_DATA")!;
        var test = LabeledData.From(Support.Ok(ReportPipeline.Load(real, name.StartsWith("reduced") ? Some(GenreMapping.ReportMerges) : None)).Data.Scaled.Test);
        using var model = Support.Ok(Support.Backend.Load(saved.Spec, saved.Weights));
        var bytes = Support.Ok(OnnxExport.ToBytes(saved.Spec, saved.Weights, None));
        Agree(model.Predict(test.X, test.Rows), RunOnnx(bytes, test.X, test.Rows, test.Classes), test.Rows, test.Classes, tolerance);
    }

    /// <summary>With the scaler in the graph the input is the raw features; the graph scales in float32, genre in float64.</summary>
    [AuthorsModelsTheory]
    [InlineData("DNN1net")]
    [InlineData("RNN2net")]
    public void With_the_scaler_in_the_graph_raw_features_give_the_same_predictions(string name)
    {
        var saved = Support.Ok(SavedModel.Load(Path.Combine(Support.AuthorsModels, name)));
        var loaded = Support.Ok(ReportPipeline.Load(Small, None));
        var p = Preprocessing.Of(loaded.Data);
        var byId = loaded.Cleaned.ToDictionary(t => t.RowId);
        var tracks = toSeq(loaded.Data.Scaled.Test.RowIds.Select(id => byId[id])).Strict();
        var raw = Support.Ok(p.RawFeatures(tracks, "test")).Values.Select(v => (float)v).ToArray();
        var test = LabeledData.From(loaded.Data.Scaled.Test);
        using var model = Support.Ok(Support.Backend.Load(saved.Spec, saved.Weights));
        var bytes = Support.Ok(OnnxExport.ToBytes(saved.Spec, saved.Weights, Some(p.Scaler)));
        Agree(model.Predict(test.X, test.Rows), RunOnnx(bytes, raw, test.Rows, test.Classes), test.Rows, test.Classes);
    }

    [Fact]
    public void Keras_gate_blocks_i_f_c_o_become_ONNX_blocks_i_o_f_c()
    {
        // one input, one unit: kernel (1, 4) = [i, f, c, o] = [1, 2, 3, 4], recurrent likewise × 10, bias × 100
        var (w, r, b) = OnnxExport.LstmWeights([1, 2, 3, 4], [10, 20, 30, 40], [100, 200, 300, 400], 1, 1);
        Assert.Equal([1f, 4, 2, 3], w);
        Assert.Equal([10f, 40, 20, 30], r);
        Assert.Equal([100f, 400, 200, 300, 0, 0, 0, 0], b);
    }

    [Fact]
    public void A_model_without_a_final_softmax_or_with_wrong_weights_is_a_model_error()
    {
        var noSoftmax = new Sequential(Seq1(15), Seq1<Layer>(new Dense(4, Activation.Relu)), "plain");
        using var m = Support.Ok(Support.Backend.Compile(Zoo.Softmax(), 1));
        Assert.Contains("final Dense(…, softmax)", Support.Fail(OnnxExport.ToBytes(noSoftmax, m.Weights(), None)));
        Assert.Equal("softmax: layer 0 kernel: expected (15, 66), got kernel (15, 114)", Support.Fail(OnnxExport.ToBytes(Zoo.Softmax(66), m.Weights(), None)));
    }
}
/// <summary>A theory that needs the authors' SavedModels (../shared beside the repo): skipped by name when absent.</summary>
