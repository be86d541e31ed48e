using static LanguageExt.Prelude;

namespace Genre.Models.Tests;

/// <summary>ModelStore: round trip of every zoo model, no temp files left, damaged files are clear errors.</summary>
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
        var spec = Support.Ok(Zoo.ByName(name));
        using var m = Support.Ok(Support.Backend.Compile(spec, 3));
        Support.Ok(ModelStore.Save(dir, m.Spec, m.Weights()));
        Assert.Equal(["model.json", "weights.bin"], Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToArray());
        var (loadedSpec, weights) = Support.Ok(ModelStore.Load(dir));
        Assert.Equal(spec.Name, loadedSpec.Name);
        Assert.Equal(spec.InputShape, loadedSpec.InputShape);
        Assert.Equal(spec.Layers, loadedSpec.Layers);
        using var again = Support.Ok(Support.Backend.Load(loadedSpec, weights));
        var x = Support.Problem(7, 1).X;
        Assert.Equal(m.Predict(x, 7), again.Predict(x, 7));
    }

    [Fact]
    public void Damaged_files_are_one_line_errors_naming_them()
    {
        var dir = Support.TempDir();
        using var m = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(), 3));
        Support.Ok(ModelStore.Save(dir, m.Spec, m.Weights()));
        var weights = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..^100]);
        var truncated = Support.Fail(ModelStore.Load(dir));
        Assert.Contains(weights, truncated);

        File.WriteAllText(Path.Combine(dir, "model.json"), "{\"name\": \"dnn1\", \"layers\": [");
        var json = Support.Fail(ModelStore.Load(dir));
        Assert.Contains("model.json", json);
        Assert.DoesNotContain("\n", json);

        File.Delete(Path.Combine(dir, "model.json"));
        Assert.Contains("not found", Support.Fail(ModelStore.Load(dir)));
    }
}
