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
        var spec = Ok(Zoo.ByName(name));
        using var m = Ok(Support.Backend.Compile(spec, 3));
        Ok(ModelStore.Save(dir, m.Spec, m.Weights()));
        Assert.Equal(["model.json", "weights.bin"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order().ToArray<string>());
        var (loadedSpec, weights) = Ok(ModelStore.Load(dir));
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
        Ok(ModelStore.Save(dir, m.Spec, m.Weights()));
        var weights = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..^100]);
        var truncated = Fail(ModelStore.Load(dir));
        Assert.Contains(weights, truncated);
        File.WriteAllBytes(weights, bytes);

        File.WriteAllText(Path.Combine(dir, "model.json"), "{\"name\": \"dnn1\", \"layers\": [");
        var json = Fail(ModelStore.Load(dir));
        Assert.Contains("model.json", json);
        Assert.DoesNotContain("\n", json);

        File.Delete(Path.Combine(dir, "model.json"));
        Assert.Contains("not found", Fail(ModelStore.Load(dir)));
    }

    /// <summary>Issue 18: four bytes flipped in weights.bin were loaded silently (evaluate printed "test loss NaN", exit 0).</summary>
    [Fact]
    public void Any_four_flipped_bytes_of_weights_bin_are_a_checksum_error_naming_it()
    {
        var dir = Support.TempDir();
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 3));
        Ok(ModelStore.Save(dir, m.Spec, m.Weights()));
        var weights = Path.Combine(dir, "weights.bin");
        var pristine = File.ReadAllBytes(weights);
        var random = new Random(18);
        foreach (var at in new[] { 8, 12, 16, 40 }.Concat(Enumerable.Range(0, 40).Select(_ => random.Next(pristine.Length - 4))))
        {
            var bytes = (byte[])pristine.Clone();
            for (var k = 0; k < 4; k++) bytes[at + k] ^= 0xFF;
            File.WriteAllBytes(weights, bytes);
            var load = ModelStore.Load(dir);
            Assert.True(load.IsFail, $"flipped at {at} and loaded");
            load.IfFail(e =>
            {
                Assert.Equal(Genre.Data.GenreError.ModelCode, e.Code);
                Assert.StartsWith(weights + ": ", e.Message);
                Assert.DoesNotContain("\n", e.Message);
            });
        }
    }

    [Fact]
    public void A_model_json_changed_after_saving_is_a_checksum_error_naming_it()
    {
        var dir = Support.TempDir();
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 3));
        Ok(ModelStore.Save(dir, m.Spec, m.Weights()));
        var spec = Path.Combine(dir, "model.json");
        var text = File.ReadAllText(spec);
        File.WriteAllText(spec, text.Replace("0.2", "0.3")); // still a valid spec with the same weight shapes
        Assert.True(ModelStore.Load(dir).IsFail);
        Assert.Equal($"{spec}: checksum mismatch (weights.bin records crc32c {Genre.Data.Crc32c.Hex(Genre.Data.Crc32c.Compute(System.Text.Encoding.UTF8.GetBytes(text)))} for it) — the file is damaged",
                     Fail(ModelStore.Load(dir)));
    }

    static string Legacy => Path.Combine(Support.RepoRoot, "tests", "golden", "legacy", "softmax-tiny");

    [Fact]
    public void A_folder_saved_before_checksums_is_read_as_legacy()
    {
        var (spec, weights) = Ok(ModelStore.Load(Legacy));
        Assert.Equal("softmax", spec.Name);
        Assert.False(Ok(TensorFile.Read(Path.Combine(Legacy, "weights.bin"))).Checksummed);
        using var again = Ok(Support.Backend.Load(spec, weights));
        var dir = Support.TempDir();
        Ok(ModelStore.Save(dir, spec, weights));
        Assert.True(Ok(TensorFile.Read(Path.Combine(dir, "weights.bin"))).Checksummed);
        Assert.Equal(Support.Flat(again), ModelStore.Flatten(Ok(ModelStore.Load(dir)).Weights).Bind(t => toSeq(t.Values)).ToArray());
    }

    [Fact]
    public void A_legacy_weights_file_holding_a_NaN_is_refused_naming_the_tensor()
    {
        var dir = Support.TempDir();
        foreach (var f in new[] { "model.json", "weights.bin" }) File.Copy(Path.Combine(Legacy, f), Path.Combine(dir, f));
        var path = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, bytes.Length - 4); // the last bias value
        File.WriteAllBytes(path, bytes);
        Assert.Equal($"{path}: layer 0 bias holds a value that is not a finite number — the file is damaged", Fail(ModelStore.Load(dir)));
    }
}
