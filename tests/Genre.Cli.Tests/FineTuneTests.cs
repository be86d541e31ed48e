using System.Diagnostics;
using System.Text.Json;

namespace Genre.Cli.Tests;

/// <summary>
/// genre train --init-from DIR [--no-shuffle] (issue 15): fine-tuning the authors' DNN1 follows Keras' fit step for step, as
/// computed independently in numpy (tests/golden/models/adam_steps.py: loss from the logits, TF's Adam, sample-weighted epoch means).
/// </summary>
public class FineTuneTests
{
    static string Golden(string name) => Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", name);
    static string Authors(string model) => Path.Combine(GenreCli.SharedReference, "authors-models", model);

    static JsonDocument Numpy(string weights, int epochs, int batch)
    {
        var psi = new ProcessStartInfo(NumpyPipelineTheoryAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(GenreCli.RepoRoot, "tests", "golden", "models", "adam_steps.py"), Authors("DNN1net"),
            Golden("synthetic-small.csv"),
                     "--epochs", $"{epochs}", "--batch-size", $"{batch}", "--learning-rate", "1e-3", "--compare", weights })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr.Result);
        return JsonDocument.Parse(stdout.Result);
    }

    static string Train(string outDir, int epochs, int batch, bool shuffle)
    {
        var args = new List<string> { "train", "--init-from", Authors("DNN1net"), "--model", "dnn1", "--epochs", $"{epochs}",
            "--batch-size", $"{batch}",
            "--learning-rate", "1e-3", "--data", Golden("synthetic-small.csv"), "--out", outDir, "--quiet" };
        if (!shuffle) args.Add("--no-shuffle");
        var r = GenreCli.Run(args.ToArray());
        Assert.True(r.ExitCode == 0, r.Stderr);
        return Path.Combine(outDir, "weights.safetensors");
    }

    /// <summary>
    /// 2 epochs of batch 256 (6 Adam steps, the last batch of each epoch partial). Measured: every weight within 1.9e-6 of numpy's
    /// float64 run while the steps moved weights by up to 6.0e-3; epoch losses within 3e-8 relative.
    /// </summary>
    [NumpyPipelineTheory]
    [InlineData(2, 256)]
    [InlineData(1, 1000)]
    public void Fine_tuning_DNN1_without_shuffling_follows_keras_step_for_step(int epochs, int batch)
    {
        var dir = GenreCli.TempDir("finetune");
        var weights = Train(dir, epochs, batch, shuffle: false);
        using var numpy = Numpy(weights, epochs, batch);
        var root = numpy.RootElement;
        foreach (var t in root.GetProperty("max_abs_diff").EnumerateObject())
        {
            Assert.True(t.Value.GetDouble() <= 1e-5, $"{t.Name}: genre is {t.Value.GetDouble():E2} from numpy");
            Assert.True(root.GetProperty("max_abs_update").GetProperty(t.Name).GetDouble() > 1e-4, $"{t.Name} barely moved");
        }
        using var history = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "history.json")));
        var ours = history.RootElement.EnumerateArray().ToArray();
        var losses = root.GetProperty("loss").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var accuracies = root.GetProperty("accuracy").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(epochs, ours.Length);
        for (var e = 0; e < epochs; e++)
        {
            Assert.True(Math.Abs(ours[e].GetProperty("loss").GetDouble() - losses[e]) <= 1e-6 * losses[e],
                $"epoch {e + 1}: loss {ours[e].GetProperty("loss").GetDouble()} vs numpy {losses[e]}");
            Assert.Equal(accuracies[e], ours[e].GetProperty("accuracy").GetDouble(), 12);
        }
    }

    /// <summary>The same run shuffled is a different training: --no-shuffle is what makes the two agree.</summary>
    [NumpyPipelineTheory]
    [InlineData(2, 256)]
    public void Shuffled_it_no_longer_matches_the_data_order_run(int epochs, int batch)
    {
        var weights = Train(GenreCli.TempDir("finetune"), epochs, batch, shuffle: true);
        using var numpy = Numpy(weights, epochs, batch);
        Assert.Contains(numpy.RootElement.GetProperty("max_abs_diff").EnumerateObject(), t => t.Value.GetDouble() > 1e-4);
    }

    [Fact]
    public void Zero_epochs_from_a_model_folder_keeps_its_weights_and_another_architecture_is_a_model_error()
    {
        var dir = GenreCli.TempDir("finetune");
        var data = Golden("synthetic-tiny.csv");
        var a = GenreCli.Run("train", "--model", "dnn2", "--epochs", "1", "--batch-size", "64", "--data", data, "--out",
            Path.Combine(dir, "a"), "--quiet");
        Assert.True(a.ExitCode == 0, a.Stderr);
        var b = GenreCli.Run("train", "--init-from", Path.Combine(dir, "a"), "--epochs", "0", "--data", data, "--out",
            Path.Combine(dir, "b"), "--quiet");
        Assert.True(b.ExitCode == 0, b.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a", "weights.safetensors")),
            File.ReadAllBytes(Path.Combine(dir, "b", "weights.safetensors")));
        var c = GenreCli.Run("train", "--init-from", Path.Combine(dir, "a"), "--model", "dnn1", "--epochs", "1", "--data", data, "--out",
            Path.Combine(dir, "c"), "--quiet");
        Assert.Equal(5, c.ExitCode);
        Assert.StartsWith($"genre: {Path.Combine(dir, "a")}: --init-from model dnn2 (input (15); Dense(100, relu), Dropout(0.2),",
            c.Stderr);
        Assert.Single(c.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(dir, "c", "weights.safetensors")));
    }
}

/// <summary>Needs the authors' models and Debian's python3 with numpy, pandas and scikit-learn; skipped by name otherwise.</summary>
public sealed class NumpyPipelineTheoryAttribute : TheoryAttribute
{
    public const string Python = Genre.TestSupport.Inputs.DebianPython;

    public NumpyPipelineTheoryAttribute() =>
        Skip = Genre.TestSupport.Inputs.WhyNoAuthorsModels() ?? Genre.TestSupport.Inputs.WhyNoPython(Python, "numpy", "pandas", "sklearn");
}
