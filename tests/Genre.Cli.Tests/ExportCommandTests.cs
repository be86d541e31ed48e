using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Genre.Cli.Tests;

/// <summary>genre export --onnx end to end: the exported file, run by ONNX Runtime on raw features, predicts what genre predict
/// does.</summary>
public class ExportCommandTests
{
    static string Golden(string name) => Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", name);

    /// <summary>The file's 15 report features per row in the report's order (explicit as LabelEncoder codes: False 0, True 1), float64
    /// as the graph with the pipeline in it reads them.</summary>
    static (string[] RowIds, double[] X) RawFeatures(string csv)
    {
        var tracks = Genre.Data.TrackCsv.Load(csv).Match(t => t.ToArray(), e => throw new Xunit.Sdk.XunitException(e.Head.Message));
        var x = tracks.SelectMany(t => new double[]
        {
            t.Popularity, t.DurationMs, t.Explicit ? 1 : 0, t.Danceability, t.Energy, t.Key, t.Loudness, t.Mode, t.Speechiness,
            t.Acousticness, t.Instrumentalness, t.Liveness, t.Valence, t.Tempo, t.TimeSignature,
        }).ToArray();
        return (tracks.Select(t => t.RowId.ToString(CultureInfo.InvariantCulture)).ToArray(), x);
    }

    [Fact]
    public void A_trained_folder_exported_with_its_pipeline_predicts_in_ONNX_Runtime_what_genre_predict_does()
    {
        var dir = GenreCli.TempDir("export");
        var data = Golden("synthetic-tiny.csv");
        var model = Path.Combine(dir, "rnn1");
        var t = GenreCli.Run("train", "--model", "rnn1", "--epochs", "2", "--batch-size", "64", "--data", data, "--out", model, "--quiet");
        Assert.True(t.ExitCode == 0, t.Stderr);
        var onnx = Path.Combine(dir, "rnn1.onnx");
        var e = GenreCli.Run("export", "--onnx", onnx, "--model-dir", model, "--with-preprocessing");
        Assert.True(e.ExitCode == 0, e.Stderr);
        var predicted = Path.Combine(dir, "predict.csv");
        var p = GenreCli.Run("predict", "--model-dir", model, "--data", data, "--out", predicted, "--top-k", "1");
        Assert.True(p.ExitCode == 0, p.Stderr);

        using var preprocessing = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "preprocessing.json")));
        var genres = preprocessing.RootElement.GetProperty("genres").EnumerateArray().Select(g => g.GetString()!).ToArray();
        var (ids, x) = RawFeatures(data);
        using var session = new InferenceSession(onnx);
        Assert.Equal(JsonSerializer.Serialize(genres), session.ModelMetadata.CustomMetadataMap["genre.genres"]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("features", new DenseTensor<double>(x, [ids.Length, 15]))]);
        var probs = results.Single().AsTensor<float>().ToArray();
        var ours = File.ReadAllLines(predicted).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(ids.Length, ours.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            var row = probs.AsSpan(i * genres.Length, genres.Length);
            var best = 0;
            for (var c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
            Assert.Equal(ids[i], ours[i][0]);
            Assert.Equal(ours[i][1], genres[best]);
            Assert.True(Math.Abs(row[best] - double.Parse(ours[i][2], CultureInfo.InvariantCulture)) <= 1e-5, $"row {ids[i]}");
        }
    }

    [AuthorsModelsTheory]
    [InlineData("DNN1net")]
    public void With_scaler_needs_the_training_file_for_a_SavedModel_and_writes_nothing_without_it(string model)
    {
        var dir = GenreCli.TempDir("export");
        var onnx = Path.Combine(dir, "m.onnx");
        var saved = Path.Combine(GenreCli.SharedReference, "authors-models", model);
        var r = GenreCli.Run(dir, (IDictionary<string, string?>?)null, "export", "--onnx", onnx, "--saved-model", saved, "--with-scaler");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--fit-data PATH", r.Stderr);
        Assert.False(File.Exists(onnx));
        var ok = GenreCli.Run(dir, (IDictionary<string, string?>?)null, "export", "--onnx", onnx, "--saved-model", saved, "--with-scaler",
            "--fit-data", Golden("synthetic-small.csv"));
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.True(new FileInfo(onnx).Length > 79_264 * 4);
    }

    [Fact]
    public void Export_without_a_model_or_output_is_a_usage_error()
    {
        Assert.Equal(2, GenreCli.Run("export", "--model-dir", "x").ExitCode);
        var r = GenreCli.Run("export", "--onnx", Path.Combine(GenreCli.TempDir("export"), "m.onnx"));
        Assert.Equal(2, r.ExitCode);
        Assert.Equal("genre: export: --model-dir DIR or --saved-model DIR is required", r.Stderr.Trim());
    }
}
