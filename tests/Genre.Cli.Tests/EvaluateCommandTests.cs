using System.Globalization;
using System.Text.Json;

namespace Genre.Cli.Tests;

/// <summary>
/// <c>genre evaluate --saved-model DIR</c>: its plain and JSON output, the predictions file, and one-line model errors
/// (exit code 5) for broken SavedModels. The row-by-row agreement with numpy is in <see cref="ConformanceTests"/>.
/// </summary>
public class EvaluateCommandTests
{
    static readonly string Data = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");
    static string Model(string name) => Path.Combine(GenreCli.SharedReference, "authors-models", name);
    static string Golden(string name) => Path.Combine(GenreCli.RepoRoot, "tests", "golden", "models", name);

    static string Temp() => GenreCli.TempDir("cli-evaluate");

    static string CopyModel(string name) => Folders.CopyTree(Model(name), Path.Combine(Temp(), name));

    [AuthorsModelsTheory]
    [InlineData("DNN2net", false)]
    [InlineData("reducedRNNnet", true)]
    public void Plain_output_is_one_line_with_accuracy_loss_and_rows(string model, bool reduced)
    {
        var args = new List<string> { "evaluate", "--saved-model", Model(model), "--data", Data };
        if (reduced) args.Add("--reduced");
        var r = GenreCli.Run(args.ToArray());
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var golden = JsonDocument.Parse(File.ReadAllText(Golden(model + ".metrics.json")));
        var accuracy = golden.RootElement.GetProperty("test_accuracy").GetDouble();
        var loss = golden.RootElement.GetProperty("test_loss").GetDouble();
        var line = System.Text.RegularExpressions.Regex.Match(r.Stdout.Trim(),
            $@"^{model}: test accuracy (0\.\d{{8}}), test loss (\d+\.\d{{6}}) on 182 test rows$");
        Assert.True(line.Success, r.Stdout);
        Assert.Equal(accuracy, double.Parse(line.Groups[1].Value, CultureInfo.InvariantCulture), 1e-8);
        Assert.Equal(loss, double.Parse(line.Groups[2].Value, CultureInfo.InvariantCulture), 1e-6);
    }

    [AuthorsModelsTheory]
    [InlineData("RNN2net")]
    public void Predictions_file_has_one_row_per_test_row_and_no_temporary_left_behind(string model)
    {
        var dir = Temp();
        var output = Path.Combine(dir, "pred.csv");
        var r = GenreCli.Run("evaluate", "--saved-model", Model(model), "--data", Data, "--predictions", output, "--json");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(new[] { "pred.csv" }, Directory.GetFiles(dir).Select(Path.GetFileName));
        var lines = File.ReadAllLines(output);
        Assert.Equal("row_id,predicted,probability", lines[0]);
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal(json.RootElement.GetProperty("n").GetInt32(), lines.Length - 1);
        // the file's predictions against the data file's genres give the accuracy the command printed
        var genres = Genre.Data.TrackCsv.Load(Data).Match(t => t, e => throw new Xunit.Sdk.XunitException(e.Head.Message))
            .ToDictionary(t => t.RowId.ToString(CultureInfo.InvariantCulture), t => t.TrackGenre);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        var correct = rows.Count(cells => genres[cells[0]] == cells[1]);
        Assert.Equal(json.RootElement.GetProperty("test_accuracy").GetDouble(), (double)correct / rows.Length, 1e-12);
    }

    [AuthorsModelsTheory]
    [InlineData("DNN1net")]
    public void A_flipped_byte_in_the_data_file_is_a_crc_error_naming_the_tensor(string model)
    {
        var dir = CopyModel(model);
        var data = Path.Combine(dir, "variables", "variables.data-00000-of-00001");
        var bytes = File.ReadAllBytes(data);
        bytes[6000 + 123] ^= 0x10; // bytes 6000..6400 hold layer_with_weights-0/bias (see variables.index)
        File.WriteAllBytes(data, bytes);
        var output = Path.Combine(dir, "pred.csv");
        var r = GenreCli.Run("evaluate", "--saved-model", dir, "--data", Data, "--predictions", output);
        Assert.Equal(5, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains($"{model}: layer 0 (Dense) bias: crc32c mismatch", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
        Assert.False(File.Exists(output));
    }

    /// <summary>The same on the committed fixture (tests/golden/savedmodel), so it runs without ../shared.</summary>
    [Fact]
    public void A_flipped_byte_in_the_fixtures_data_file_is_a_crc_error_naming_the_tensor()
    {
        var fixture = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "savedmodel", "tinyRNNnet");
        var dir = Folders.CopyTree(fixture, Path.Combine(Temp(), "tinyRNNnet"));
        var data = Path.Combine(dir, "variables", "variables.data-00000-of-00001");
        var bytes = File.ReadAllBytes(data);
        bytes[12 + 5] ^= 0x10; // bytes 12..24 hold layer_with_weights-0/bias (see variables.index)
        File.WriteAllBytes(data, bytes);
        var r = GenreCli.Run("evaluate", "--saved-model", dir, "--data", Data);
        Assert.Equal(5, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains("tinyRNNnet: layer 0 (Dense) bias: crc32c mismatch", r.Stderr);
    }

    [AuthorsModelsTheory]
    [InlineData("RNN1net")]
    public void A_config_that_disagrees_with_the_checkpoint_names_tensor_and_shapes(string model)
    {
        var dir = CopyModel(model);
        var meta = Path.Combine(dir, "keras_metadata.pb");
        var text = System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(meta));
        File.WriteAllBytes(meta, System.Text.Encoding.Latin1.GetBytes(text.Replace("\"units\": 114", "\"units\": 113")));
        var r = GenreCli.Run("evaluate", "--saved-model", dir, "--data", Data);
        Assert.Equal(5, r.ExitCode);
        Assert.Equal($"genre: {dir}: layer 2 (Dense) kernel: expected (80, 113), got (80, 114)", r.Stderr.Trim());
    }

    [AuthorsModelsTheory]
    [InlineData("DNN1net", "--reduced", "predicts 114 classes but the data has 66")]
    [InlineData("reducedRNNnet", null, "predicts 66 classes but the data has 114")]
    public void A_model_for_the_other_genre_set_is_a_model_error(string model, string? flag, string message)
    {
        var args = new List<string> { "evaluate", "--saved-model", Model(model), "--data", Data };
        if (flag != null) args.Add(flag);
        var r = GenreCli.Run(args.ToArray());
        Assert.Equal(5, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Missing_inputs_have_their_own_exit_codes()
    {
        var usage = GenreCli.Run("evaluate", "--data", Data);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--saved-model DIR or --model-dir DIR is required", usage.Stderr);
        var nowhere = Path.Combine(Temp(), "no-such-model");
        var missing = GenreCli.Run("evaluate", "--saved-model", nowhere, "--data", Data);
        Assert.Equal(4, missing.ExitCode);
        Assert.Contains("no-such-model: SavedModel folder not found", missing.Stderr);
        var empty = Temp();
        var notKeras = GenreCli.Run("evaluate", "--saved-model", empty, "--data", Data);
        Assert.Equal(5, notKeras.ExitCode);
        Assert.Contains("keras_metadata.pb: missing (not a Keras SavedModel?)", notKeras.Stderr);
    }
}
