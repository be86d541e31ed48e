using Genre.Models.Import;

namespace Genre.Models.Tests;

public class ImportTests
{
    [AuthorsModelsFact]
    public void All_five_authors_models_import_with_the_reports_architectures()
    {
        var expected = new Dictionary<string, (long Params, Sequential Spec)>
        {
            ["RNN1net"] = (115_654, Zoo.Rnn1()), ["RNN2net"] = (182_054, Zoo.Rnn2()), ["DNN1net"] = (79_264, Zoo.Dnn1()),
            ["DNN2net"] = (79_264, Zoo.Dnn2()), ["reducedRNNnet"] = (111_766, Zoo.ReducedRnn1()),
        };
        foreach (var (name, (count, spec)) in expected)
        {
            var model = Support.Ok(SavedModel.Load(Path.Combine(Support.AuthorsModels, name)));
            Assert.Equal(spec.Layers, model.Spec.Layers);
            Assert.Equal(spec.InputShape, model.Spec.InputShape);
            Assert.Equal(count, ModelStore.Flatten(model.Weights).Sum(t => (long)t.Values.Length));
            Assert.All(ModelStore.Flatten(model.Weights), t => Assert.Contains(t.Values, v => v != 0f));
        }
    }

    [Fact]
    public void Crc32c_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32c.Compute("123456789"u8));
        Assert.Equal(0u, Crc32c.Compute([]));
    }

    static string CopyModel(string name)
    {
        var src = Path.Combine(Support.AuthorsModels, name);
        var dst = Path.Combine(Support.TempDir(), name);
        foreach (var f in Directory.GetFiles(src, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dst, Path.GetRelativePath(src, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
        return dst;
    }

    [AuthorsModelsFact]
    public void A_corrupt_data_file_is_a_crc_error_naming_the_tensor()
    {
        var dir = CopyModel("DNN1net");
        var data = Path.Combine(dir, "variables", "variables.data-00000-of-00001");
        var bytes = File.ReadAllBytes(data);
        var bundle = Support.Ok(TensorBundle.Open(Path.Combine(dir, "variables")));
        var entry = bundle.Entries.Find("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE").IfNone(() => throw new Exception("no entry"));
        bytes[entry.Offset + 100] ^= 0x40;
        File.WriteAllBytes(data, bytes);
        var e = Support.Fail(SavedModel.Load(dir));
        Assert.Contains("layer 1 (Dense) kernel: crc32c mismatch", e);
        Assert.DoesNotContain("\n", e);
    }

    [AuthorsModelsFact]
    public void Missing_files_are_named()
    {
        var dir = CopyModel("RNN1net");
        File.Delete(Path.Combine(dir, "variables", "variables.index"));
        Assert.Contains("variables.index: missing", Support.Fail(SavedModel.Load(dir)));
        var dir2 = CopyModel("RNN1net");
        File.Delete(Path.Combine(dir2, "variables", "variables.data-00000-of-00001"));
        Assert.Contains("variables.data-00000-of-00001: missing", Support.Fail(SavedModel.Load(dir2)));
        Assert.Equal(Genre.Data.GenreError.IoCode, SavedModel.Load(Path.Combine(dir2, "nope")).Match(_ => 0, e => e.Code));
    }

    [AuthorsModelsFact]
    public void Wrong_shapes_and_dtypes_are_named_with_the_expected_shape()
    {
        var bundle = Support.Ok(TensorBundle.Open(Path.Combine(Support.AuthorsModels, "RNN1net", "variables")));
        var e = Support.Fail(bundle.ReadFloat("variables/3/.ATTRIBUTES/VARIABLE_VALUE", LanguageExt.Prelude.Seq(80, 300), "RNN1net: layer 1 (LSTM) recurrent_kernel"));
        Assert.Equal("RNN1net: layer 1 (LSTM) recurrent_kernel: expected (80, 300), got (80, 320)", e);
        var d = Support.Fail(bundle.ReadFloat("optimizer/iter/.ATTRIBUTES/VARIABLE_VALUE", LanguageExt.Prelude.Seq<int>(), "iter"));
        Assert.Contains("expected dtype float32", d);
    }
}
