using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Genre.Models.Import;

namespace Genre.Models.Tests;

/// <summary>
/// Issue 14, point 6: the importer on tests/golden/savedmodel/tinyRNNnet, a tiny SavedModel in the authors' format written
/// by the committed stdlib-only script make_fixture.py, so these run in any clone. Expected numbers come from the script's
/// tinyRNNnet.weights.json, not from Genre. The same checks on the authors' own models are in <see cref="ImportTests"/>.
/// </summary>
public class SavedModelFixtureTests
{
    static string Folder => Path.Combine(Support.RepoRoot, "tests", "golden", "savedmodel");
    static string Fixture => Path.Combine(Folder, "tinyRNNnet");

    sealed record ExpectedWeight(int Layer, string Name, string Key, int[] Shape, float[] Values);

    /// <summary>What the script wrote: (layer, Keras weight name, checkpoint key, shape, values) in Keras order.</summary>
    static ExpectedWeight[] Expected()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Fixture + ".weights.json"));
        return doc.RootElement.GetProperty("weights").EnumerateArray().Select(w => new ExpectedWeight(
            w.GetProperty("layer").GetInt32(), w.GetProperty("name").GetString()!, w.GetProperty("key").GetString()!,
            w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
            w.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()).ToArray())).ToArray();
    }

    static string CopyFixture() => Folders.CopyTree(Fixture, Path.Combine(Support.TempDir(), "tinyRNNnet"));

    [Fact]
    public void The_fixture_imports_to_the_spec_and_weights_the_script_wrote()
    {
        var saved = Ok(SavedModel.Load(Fixture));
        Assert.Equal("tinyRNNnet", saved.Spec.Name);
        Assert.Equal(Seq(15, 1), saved.Spec.InputShape);
        Assert.Equal(Seq<Layer>(new Dense(3, Activation.Linear), new Lstm(2), new Dense(114, Activation.Softmax)), saved.Spec.Layers);
        var imported = saved.Weights.Layers.Bind(l => l.Tensors.Map(t => (l.LayerIndex, t))).ToArray();
        var expected = Expected();
        Assert.Equal(7, expected.Length);
        Assert.Equal(expected.Length, imported.Length);
        foreach (var (e, (layer, t)) in expected.Zip(imported))
        {
            Assert.Equal((e.Layer, e.Name), (layer, t.Name));
            Assert.Equal(e.Shape, t.Shape.ToArray());
            Assert.Equal(e.Values, t.Values); // multiples of 1/64: exact in float32, so equality, not tolerance
        }
        Assert.Equal(396, imported.Sum(x => x.t.Values.Length));
    }

    [Fact]
    public void The_fixtures_weight_keys_come_from_its_object_graph_and_agree_with_the_keras_conventions()
    {
        var spec = Ok(KerasConfig.FromMetadataFile(Path.Combine(Fixture, "keras_metadata.pb"), "tinyRNNnet"));
        var bundle = Ok(TensorBundle.Open(Path.Combine(Fixture, "variables")));
        Assert.True(bundle.Entries.ContainsKey(ObjectGraph.BundleKey));
        var keys = Ok(SavedModel.WeightKeys(spec, bundle, "tinyRNNnet")).Map(k => k.Key);
        Assert.Equal(Expected().Select(e => e.Key), keys);
        // the LSTM's weights are keyed through model.variables, as in RNN1net
        Assert.Contains("variables/3/.ATTRIBUTES/VARIABLE_VALUE", keys);
        var bare = bundle with { Entries = bundle.Entries.Remove(ObjectGraph.BundleKey) };
        Assert.Equal(keys, Ok(SavedModel.WeightKeys(spec, bare, "tinyRNNnet")).Map(k => k.Key));
    }

    [Fact]
    public void A_flipped_byte_in_the_fixtures_data_file_is_a_crc_error_naming_the_tensor()
    {
        var dir = CopyFixture();
        var data = Path.Combine(dir, "variables", "variables.data-00000-of-00001");
        var entry = Ok(TensorBundle.Open(Path.Combine(dir, "variables"))).Entries
            .Find("layer_with_weights-2/kernel/.ATTRIBUTES/VARIABLE_VALUE").IfNone(() => throw new Exception("no entry"));
        var bytes = File.ReadAllBytes(data);
        bytes[entry.Offset + 100] ^= 0x40;
        File.WriteAllBytes(data, bytes);
        var e = Fail(SavedModel.Load(dir));
        Assert.Contains($"{dir}: layer 2 (Dense) kernel: crc32c mismatch", e);
    }

    [Fact]
    public void A_flipped_byte_in_the_fixtures_object_graph_is_a_crc_error()
    {
        var dir = CopyFixture();
        var data = Path.Combine(dir, "variables", "variables.data-00000-of-00001");
        var entry = Ok(TensorBundle.Open(Path.Combine(dir, "variables"))).Entries
            .Find(ObjectGraph.BundleKey).IfNone(() => throw new Exception("no object graph"));
        var bytes = File.ReadAllBytes(data);
        bytes[entry.Offset + entry.Size - 10] ^= 0x01;
        File.WriteAllBytes(data, bytes);
        Assert.StartsWith(data + ": tensor '_CHECKPOINTABLE_OBJECT_GRAPH': crc32c mismatch", Fail(SavedModel.Load(dir)));
    }

    [Fact]
    public void Missing_fixture_files_are_named()
    {
        var dir = CopyFixture();
        File.Delete(Path.Combine(dir, "variables", "variables.index"));
        Assert.Contains("variables.index: missing", Fail(SavedModel.Load(dir)));
        var dir2 = CopyFixture();
        File.Delete(Path.Combine(dir2, "variables", "variables.data-00000-of-00001"));
        Assert.Contains("variables.data-00000-of-00001: missing", Fail(SavedModel.Load(dir2)));
        var dir3 = CopyFixture();
        File.Delete(Path.Combine(dir3, "keras_metadata.pb"));
        Assert.Contains("keras_metadata.pb: missing", Fail(SavedModel.Load(dir3)));
    }

    [Fact]
    public void Wrong_shapes_and_dtypes_in_the_fixture_are_named_with_the_expected_shape()
    {
        var bundle = Ok(TensorBundle.Open(Path.Combine(Fixture, "variables")));
        Assert.Equal("tiny: layer 1 (LSTM) recurrent_kernel: expected (2, 4), got (2, 8)",
            Fail(bundle.ReadFloat("variables/3/.ATTRIBUTES/VARIABLE_VALUE", Seq(2, 4), "tiny: layer 1 (LSTM) recurrent_kernel")));
        Assert.Contains("expected dtype float32, got TF dtype 9", Fail(
            bundle.ReadFloat("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE", Seq<int>(), "iter")));
    }

    [Fact]
    public void A_fixture_config_that_disagrees_with_its_weights_names_layer_tensor_and_both_shapes()
    {
        // Same-length edit of the JSON inside keras_metadata.pb: the LSTM now claims 3 units; the checkpoint has 2.
        var dir = CopyFixture();
        var meta = Path.Combine(dir, "keras_metadata.pb");
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(meta));
        Assert.Contains("\"units\": 2,", text);
        File.WriteAllBytes(meta, Encoding.Latin1.GetBytes(text.Replace("\"units\": 2,", "\"units\": 3,")));
        Assert.Equal($"{dir}: layer 1 (LSTM) kernel: expected (3, 12), got (3, 8)", Fail(SavedModel.Load(dir)));
    }

    [Fact]
    public void LoadAny_recognises_the_fixture_as_a_SavedModel()
    {
        var saved = Ok(ModelFolder.LoadAny(Fixture));
        Assert.True(saved.Preprocessing.IsNone);
        Assert.Equal(Ok(SavedModel.Load(Fixture)).Spec, saved.Spec);
    }

    static (int Code, string Output) Python(params string[] args)
    {
        var psi = new ProcessStartInfo(PythonFactAttribute.Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(Folder, "make_fixture.py"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, output.Result + error.Result);
    }

    /// <summary>The committed fixture is what the committed script writes (it is deterministic).</summary>
    [PythonFact]
    public void The_committed_fixture_is_the_scripts_output()
    {
        var dir = Path.Combine(Support.TempDir(), "tinyRNNnet");
        var (code, output) = Python(dir);
        Assert.True(code == 0, output);
        var files = Directory.GetFiles(Fixture, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Fixture, f)).Order()
            .ToArray();
        Assert.Equal(files, Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dir, f)).Order()
            .ToArray());
        foreach (var f in files) Assert.True(File.ReadAllBytes(Path.Combine(Fixture, f))
            .SequenceEqual(File.ReadAllBytes(Path.Combine(dir, f))), f);
        Assert.Equal(File.ReadAllBytes(Fixture + ".weights.json"), File.ReadAllBytes(dir + ".weights.json"));
    }

    /// <summary>The script's table writer re-encodes each variables.index TensorFlow wrote for the authors byte for byte.</summary>
    [PythonFact(NeedsAuthorsModels = true)]
    public void The_scripts_table_writer_reproduces_the_authors_variables_index()
    {
        foreach (var model in new[] { "RNN1net", "RNN2net", "DNN1net", "DNN2net", "reducedRNNnet" })
        {
            var (code, output) = Python("--check-index", Path.Combine(Support.AuthorsModels, model, "variables", "variables.index"));
            Assert.True(code == 0, output);
            Assert.EndsWith("identical when re-encoded\n", output);
        }
    }
}

/// <summary>
/// A fact that runs python3 (standard library only): skipped, with the reason, when there is none — or, with
/// <see cref="NeedsAuthorsModels"/>, when ../shared/reference/authors-models is not beside the repository.
/// </summary>
public sealed class PythonFactAttribute : FactAttribute
{
    public const string Python = "python3";
    public PythonFactAttribute() { if (Missing() is string why) Skip = why; }

    public bool NeedsAuthorsModels
    {
        get => needsAuthorsModels;
        set
        {
            needsAuthorsModels = value;
            if (value && Skip is null
                && !Directory.Exists(Support.AuthorsModels)) Skip = "needs ../shared/reference/authors-models beside the repository";
        }
    }
    bool needsAuthorsModels;

    public static string? Missing()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(Python, ["-c", "pass"]) { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0 ? null : "needs a working python3 on PATH (runs tests/golden/savedmodel/make_fixture.py)";
        }
        catch (System.ComponentModel.Win32Exception) { return "needs python3 on PATH (runs tests/golden/savedmodel/make_fixture.py)"; }
    }
}
