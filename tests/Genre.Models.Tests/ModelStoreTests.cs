using Genre.Data;

namespace Genre.Models.Tests;

/// <summary>
/// Weights on disk (a model folder's model.json and weights.safetensors): every zoo model round-trips, damaged files are
/// one-line errors naming them, and a folder an earlier genre wrote (weights.bin, weights without their sha256) is refused
/// naming the file and genre migrate.
/// </summary>
public class ModelStoreTests
{
    [Theory]
    [InlineData("rnn1")]
    [InlineData("rnn2")]
    [InlineData("dnn2")]
    [InlineData("reduced-rnn1")]
    public void Every_zoo_model_round_trips_exactly(string name)
    {
        var dir = Support.TempDir();
        var spec = Ok(Zoo.ByName(name));
        using var m = Ok(Support.Backend.Compile(spec, 3));
        Ok(ModelFolder.Save(dir, m.Spec, m.Weights(), None));
        Assert.Equal(["model.json", "weights.safetensors"],
            Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order().ToArray<string>());
        var (loadedSpec, weights, _) = Ok(ModelFolder.Load(dir));
        Assert.Equal(spec.Name, loadedSpec.Name);
        Assert.Equal(spec.InputShape, loadedSpec.InputShape);
        Assert.Equal(spec.Layers, loadedSpec.Layers);
        using var again = Ok(Support.Backend.Load(loadedSpec, weights));
        var x = Support.Problem(7, 1).X;
        Assert.Equal(m.Predict(x, 7), again.Predict(x, 7));
    }

    [Fact]
    public void Damaged_files_are_one_line_errors_naming_them()
    {
        var dir = Support.TempDir();
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn1(), 3));
        Ok(ModelFolder.Save(dir, m.Spec, m.Weights(), None));
        var weights = Path.Combine(dir, ModelFolder.WeightsFile);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..^100]);
        Assert.StartsWith(weights + ": ", Fail(ModelFolder.Load(dir)));
        File.WriteAllBytes(weights, bytes);

        File.WriteAllText(Path.Combine(dir, "model.json"), "{\"name\": \"dnn1\", \"layers\": [");
        var json = Fail(ModelFolder.Load(dir));
        Assert.Contains("model.json", json);
        Assert.DoesNotContain("\n", json);

        File.Delete(Path.Combine(dir, "model.json"));
        Assert.Contains("not found", Fail(ModelFolder.Load(dir)));
    }

    /// <summary>Issue 18: four bytes flipped in the weights were loaded silently (evaluate printed "test loss NaN", exit 0).</summary>
    [Fact]
    public void Any_four_flipped_bytes_of_the_weights_are_an_error_naming_them()
    {
        var dir = Support.TempDir();
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 3));
        Ok(ModelFolder.Save(dir, m.Spec, m.Weights(), None));
        var weights = Path.Combine(dir, ModelFolder.WeightsFile);
        var pristine = File.ReadAllBytes(weights);
        var random = new Random(18);
        foreach (var at in new[] { 0, 8, 12, 16, 40 }.Concat(Enumerable.Range(0, 40).Select(_ => random.Next(pristine.Length - 4))))
        {
            var bytes = (byte[])pristine.Clone();
            for (var k = 0; k < 4; k++) bytes[at + k] ^= 0xFF;
            File.WriteAllBytes(weights, bytes);
            var load = ModelFolder.Load(dir);
            Assert.True(load.IsFail, $"flipped at {at} and loaded");
            load.IfFail(e =>
            {
                Assert.Equal(GenreError.ModelCode, e.Code);
                Assert.StartsWith(weights + ": ", e.Message);
                Assert.DoesNotContain("\n", e.Message);
            });
        }
    }

    [Fact]
    public void A_model_json_changed_after_saving_is_an_error_naming_both_files()
    {
        var dir = Support.TempDir();
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 3));
        Ok(ModelFolder.Save(dir, m.Spec, m.Weights(), None));
        var spec = Path.Combine(dir, "model.json");
        File.WriteAllText(spec, File.ReadAllText(spec).Replace("0.2", "0.3")); // still a valid spec with the same weight shapes
        Assert.Equal($"{Path.Combine(dir, ModelFolder.WeightsFile)}: written for another model than {spec} describes",
            Fail(ModelFolder.Load(dir)));
    }

    static string Earlier => Path.Combine(Support.RepoRoot, "tests", "golden", "legacy", "softmax-tiny");

    [Fact]
    public void A_folder_with_weights_bin_is_refused_naming_it_and_genre_migrate()
    {
        var dir = Support.TempDir();
        foreach (var f in new[] { "model.json", "weights.bin" }) File.Copy(Path.Combine(Earlier, f), Path.Combine(dir, f));
        var load = ModelFolder.Load(dir);
        Assert.Equal($"{Path.Combine(dir, "weights.bin")} holds the weights in place of weights.safetensors " +
                     $"(written by an earlier genre): run genre migrate {dir}", Fail(load));
        load.IfFail(e => Assert.Equal(GenreError.ModelCode, e.Code));
    }
}
