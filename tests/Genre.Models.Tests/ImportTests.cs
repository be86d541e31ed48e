using System.Text;
using System.Text.Json;
using Genre.Models.Import;

namespace Genre.Models.Tests;

public class ImportTests
{
    [AuthorsModelsFact]
    public void All_five_authors_models_import_with_the_reports_architectures()
    {
        var expected = new Dictionary<string, (long Params, Sequential Spec)>
        {
            ["RNN1net"] = (115_654, Zoo.Rnn1()),
            ["RNN2net"] = (182_054, Zoo.Rnn2()),
            ["DNN1net"] = (79_264, Zoo.Dnn1()),
            ["DNN2net"] = (79_264, Zoo.Dnn2()),
            ["reducedRNNnet"] = (111_766, Zoo.ReducedRnn1()),
        };
        foreach (var (name, (count, spec)) in expected)
        {
            var model = Ok(SavedModel.Load(Path.Combine(Support.AuthorsModels, name)));
            Assert.Equal(spec.Layers, model.Spec.Layers);
            Assert.Equal(spec.InputShape, model.Spec.InputShape);
            Assert.Equal(count, ModelStore.Flatten(model.Weights).Sum(t => (long)t.Values.Length));
            Assert.All(ModelStore.Flatten(model.Weights), t => Assert.Contains(t.Values, v => v != 0f));
        }
    }

    static string CopyModel(string name) => Folders.CopyTree(Path.Combine(Support.AuthorsModels, name),
        Path.Combine(Support.TempDir(), name));

    [AuthorsModelsFact]
    public void A_corrupt_data_file_is_a_crc_error_naming_the_tensor()
    {
        var dir = CopyModel("DNN1net");
        var data = Path.Combine(dir, "variables", "variables.data-00000-of-00001");
        var bytes = File.ReadAllBytes(data);
        var bundle = Ok(TensorBundle.Open(Path.Combine(dir, "variables")));
        var entry = bundle.Entries.Find("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE")
            .IfNone(() => throw new Exception("no entry"));
        bytes[entry.Offset + 100] ^= 0x40;
        File.WriteAllBytes(data, bytes);
        var e = Fail(SavedModel.Load(dir));
        Assert.Contains("layer 1 (Dense) kernel: crc32c mismatch", e);
        Assert.DoesNotContain("\n", e);
    }

    [AuthorsModelsFact]
    public void Missing_files_are_named()
    {
        var dir = CopyModel("RNN1net");
        File.Delete(Path.Combine(dir, "variables", "variables.index"));
        Assert.Contains("variables.index: missing", Fail(SavedModel.Load(dir)));
        var dir2 = CopyModel("RNN1net");
        File.Delete(Path.Combine(dir2, "variables", "variables.data-00000-of-00001"));
        Assert.Contains("variables.data-00000-of-00001: missing", Fail(SavedModel.Load(dir2)));
        Assert.Equal(Genre.Data.GenreError.IoCode, SavedModel.Load(Path.Combine(dir2, "nope")).Match(_ => 0, e => e.Code));
    }

    [AuthorsModelsFact]
    public void Wrong_shapes_and_dtypes_are_named_with_the_expected_shape()
    {
        var bundle = Ok(TensorBundle.Open(Path.Combine(Support.AuthorsModels, "RNN1net", "variables")));
        var e = Fail(bundle.ReadFloat("variables/3/.ATTRIBUTES/VARIABLE_VALUE", LanguageExt.Prelude.Seq(80, 300),
            "RNN1net: layer 1 (LSTM) recurrent_kernel"));
        Assert.Equal("RNN1net: layer 1 (LSTM) recurrent_kernel: expected (80, 300), got (80, 320)", e);
        var d = Fail(bundle.ReadFloat("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE", LanguageExt.Prelude.Seq<int>(), "iter"));
        Assert.Contains("expected dtype float32", d);
    }

    static string Key(string model, int layer, string weight)
    {
        var dir = Path.Combine(Support.AuthorsModels, model);
        var spec = Ok(KerasConfig.FromMetadataFile(Path.Combine(dir, "keras_metadata.pb"), model));
        var bundle = Ok(TensorBundle.Open(Path.Combine(dir, "variables")));
        return Ok(SavedModel.WeightKeys(spec, bundle, model)).Find(k => k.Weight.LayerIndex == layer && k.Weight.Name == weight)
            .Map(k => k.Key).IfNone("");
    }

    [AuthorsModelsFact]
    public void Weight_keys_come_from_the_checkpoints_object_graph()
    {
        Assert.Equal("layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE", Key("RNN1net", 0, "kernel"));
        Assert.Equal("variables/2/.ATTRIBUTES/VARIABLE_VALUE", Key("RNN1net", 1, "kernel"));
        Assert.Equal("variables/3/.ATTRIBUTES/VARIABLE_VALUE", Key("RNN1net", 1, "recurrent_kernel"));
        Assert.Equal("variables/4/.ATTRIBUTES/VARIABLE_VALUE", Key("RNN1net", 1, "bias"));
        Assert.Equal("layer_with_weights-2/bias/.ATTRIBUTES/VARIABLE_VALUE", Key("RNN1net", 2, "bias"));
        Assert.Equal("variables/4/.ATTRIBUTES/VARIABLE_VALUE", Key("RNN2net", 1, "recurrent_kernel"));
        Assert.Equal("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE", Key("DNN2net", 2, "kernel")); // layer 1 is the Dropout
        Assert.Equal("layer_with_weights-4/bias/.ATTRIBUTES/VARIABLE_VALUE", Key("DNN2net", 5, "bias"));
    }

    [AuthorsModelsFact]
    public void Without_an_object_graph_the_keras_key_conventions_give_the_same_keys()
    {
        foreach (var model in new[] { "RNN1net", "RNN2net", "DNN1net", "DNN2net", "reducedRNNnet" })
        {
            var dir = Path.Combine(Support.AuthorsModels, model);
            var spec = Ok(KerasConfig.FromMetadataFile(Path.Combine(dir, "keras_metadata.pb"), model));
            var bundle = Ok(TensorBundle.Open(Path.Combine(dir, "variables")));
            var bare = bundle with { Entries = bundle.Entries.Remove(ObjectGraph.BundleKey) };
            Assert.Equal(Ok(SavedModel.WeightKeys(spec, bundle, model)).Map(k => k.Key),
                         Ok(SavedModel.WeightKeys(spec, bare, model)).Map(k => k.Key));
        }
    }

    [AuthorsModelsFact]
    public void A_corrupt_object_graph_is_a_crc_error()
    {
        var dir = CopyModel("RNN1net");
        var data = Path.Combine(dir, "variables", "variables.data-00000-of-00001");
        var bundle = Ok(TensorBundle.Open(Path.Combine(dir, "variables")));
        var entry = bundle.Entries.Find(ObjectGraph.BundleKey).IfNone(() => throw new Exception("no object graph"));
        var bytes = File.ReadAllBytes(data);
        bytes[entry.Offset + entry.Size - 10] ^= 0x01;
        File.WriteAllBytes(data, bytes);
        var e = Fail(SavedModel.Load(dir));
        Assert.StartsWith(data + ": tensor '_CHECKPOINTABLE_OBJECT_GRAPH': crc32c mismatch", e);
    }

    [AuthorsModelsFact]
    public void A_config_that_disagrees_with_the_weights_names_layer_tensor_and_both_shapes()
    {
        // Same-length edit of the JSON inside keras_metadata.pb: the LSTM now claims 75 units; the checkpoint has 80.
        var dir = CopyModel("RNN1net");
        var meta = Path.Combine(dir, "keras_metadata.pb");
        var text = Encoding.Latin1.GetString(File.ReadAllBytes(meta));
        Assert.Contains("\"units\": 80", text);
        File.WriteAllBytes(meta, Encoding.Latin1.GetBytes(text.Replace("\"units\": 80", "\"units\": 75")));
        var result = SavedModel.Load(dir);
        Assert.Equal($"{dir}: layer 1 (LSTM) kernel: expected (250, 300), got (250, 320)", Fail(result));
        Assert.Equal(Genre.Data.GenreError.ModelCode, result.Match(_ => 0, err => err.Code));
    }

    static string ConfigError(string layersJson)
    {
        using var doc = JsonDocument.Parse("{\"layers\": " + layersJson + "}");
        return Fail(KerasConfig.FromConfigJson(doc.RootElement, "m", "meta.pb"));
    }

    [Fact]
    public void Unsupported_keras_configs_are_named()
    {
        Assert.Equal("meta.pb: unsupported Keras layer 'Conv1D'",
            ConfigError("[{\"class_name\": \"Conv1D\", \"config\": {\"batch_input_shape\": [null, 15, 1], \"filters\": 3}}]"));
        Assert.Equal("meta.pb: unsupported activation 'elu'",
            ConfigError("[{\"class_name\": \"Dense\", \"config\": {\"batch_input_shape\": [null, 15], \"units\": 3, \"activation\": " +
                "\"elu\"}}]"));
        Assert.Equal("meta.pb: the config has no batch_input_shape",
            ConfigError("[{\"class_name\": \"Dense\", \"config\": {\"units\": 3, \"activation\": \"relu\"}}]"));
    }

    /// <summary>Issue 18: a damaged keras_metadata.pb was reported with the framework's JSON wording, or crashed the reader.</summary>
    [Fact]
    public void Mistyped_keras_configs_are_named_in_the_projects_words()
    {
        Assert.Equal("meta.pb: bad Keras config (layer 0: units)",
            ConfigError("[{\"class_name\": \"Dense\", \"config\": {\"batch_input_shape\": [null, 15], \"units\": \"3\", \"activation\": " +
                "\"relu\"}}]"));
        Assert.Equal("meta.pb: bad Keras config (layer 0: batch_input_shape is not [null, sizes…])",
            ConfigError("[{\"class_name\": \"Dense\", \"config\": {\"batch_input_shape\": [null, 1e30], \"units\": 3, \"activation\": " +
                "\"relu\"}}]"));
        Assert.Equal("meta.pb: bad Keras config (layer 0 has no class_name or config)", ConfigError("[{\"class_name\": 7}]"));
        Assert.Equal("meta.pb: bad Keras config (no list of layers)", ConfigError("{}"));
        var dir = Support.TempDir();
        var meta = Path.Combine(dir, "keras_metadata.pb");
        File.WriteAllBytes(meta, [0x0A, 0x05, 0x1A, 0x04, (byte)'r', (byte)'o', (byte)'o']);
        Assert.Equal($"{meta}: not a Keras metadata file (truncated length-delimited field)",
            Fail(KerasConfig.FromMetadataFile(meta, "m")));
    }

    [Fact]
    public void Keras_configs_map_to_our_layers()
    {
        using var doc = JsonDocument.Parse("""
            {"name": "sequential", "layers": [
              {"class_name": "InputLayer", "config": {"batch_input_shape": {"class_name": "__tuple__", "items": [null, 15, 1]}}},
              {"class_name": "LSTM", "config": {"units": 8, "return_sequences": true}},
              {"class_name": "Dropout", "config": {"rate": 0.25}},
              {"class_name": "LSTM", "config": {"units": 4, "return_sequences": false}},
              {"class_name": "Dense", "config": {"units": 3, "activation": "softmax"}}]}
            """);
        var spec = Ok(KerasConfig.FromConfigJson(doc.RootElement, "m", "meta.pb"));
        Assert.Equal(Seq(15, 1), spec.InputShape);
        Assert.Equal(Seq<Layer>(new Lstm(8, true), new Dropout(0.25), new Lstm(4), new Dense(3, Activation.Softmax)), spec.Layers);
    }
}
