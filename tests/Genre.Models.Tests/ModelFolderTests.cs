using Genre.Data;

namespace Genre.Models.Tests;

/// <summary>Self-contained model folders: the preprocessing travels with the weights and is checked against the model.</summary>
public class ModelFolderTests
{
    static string Small => Path.Combine(Support.RepoRoot, "tests", "golden", "data", "synthetic-small.csv");

    [Fact]
    public void A_saved_folder_loads_with_its_preprocessing()
    {
        var data = Ok(ReportPipeline.Load(Small, Some(GenreMapping.ReportMerges))).Data;
        var dir = Support.TempDir();
        using var m = Ok(Support.Backend.Compile(Zoo.ReducedRnn1(), 3));
        Ok(ModelFolder.Save(dir, m.Spec, m.Weights(), Some(Preprocessing.Of(data))));
        var stored = Ok(ModelFolder.Load(dir));
        var p = (Preprocessing)stored.Preprocessing;
        Assert.Equal(data.Pipeline, p.Pipeline);
        Assert.Equal(data.Ranges, p.Ranges);
        Assert.Equal(data.Genres.Classes, p.Genres.Classes);
        Assert.Equal(GenreMapping.ReportMerges, p.Mapping);
        Assert.Equal(Support.Flat(m), ModelStore.Flatten(stored.Weights).Bind(t => toSeq(t.Values)).ToArray());
    }

    [Fact]
    public void A_folder_without_preprocessing_still_loads_and_one_for_other_genres_is_a_model_error()
    {
        var full = Ok(ReportPipeline.Load(Small, None)).Data;
        var dir = Support.TempDir();
        using var m = Ok(Support.Backend.Compile(Zoo.ReducedRnn1(), 3));
        Ok(ModelFolder.Save(dir, m.Spec, m.Weights(), None));
        Assert.True(Ok(ModelFolder.Load(dir)).Preprocessing.IsNone);
        Ok(Preprocessing.Of(full).Save(dir));
        var e = ModelFolder.Load(dir).Match(_ => throw new Xunit.Sdk.XunitException("expected failure"), err => err);
        Assert.Equal(GenreError.ModelCode, e.Code);
        Assert.Equal($"{Path.Combine(dir, "preprocessing.json")}: {full.Genres.Count} genres, but model reduced-rnn1 predicts 66 classes",
            e.Message);
    }

    [AuthorsModelsFact]
    public void LoadAny_reads_a_SavedModel_and_says_what_a_folder_is_not()
    {
        var saved = Ok(ModelFolder.LoadAny(Path.Combine(Support.AuthorsModels, "DNN1net")));
        Assert.True(saved.Preprocessing.IsNone);
        Assert.Equal(Zoo.Dnn1().Layers, saved.Spec.Layers);
        var empty = Support.TempDir();
        Assert.Contains("neither a model folder", Fail(ModelFolder.LoadAny(empty)));
    }
}
