using System.Text.Json.Nodes;

namespace Genre.Data.Tests;

public class PreprocessingTests
{
    static (PreparedData Data, Seq<Track> Cleaned) Small(bool reduced)
    {
        var loaded = TestFiles.Ok(ReportPipeline.Load(TestFiles.Golden("synthetic-small.csv"), reduced ? Some(GenreMapping.ReportMerges) : None));
        return (loaded.Data, loaded.Cleaned);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Saved_and_reloaded_it_scales_the_test_rows_exactly_as_the_pipeline_did(bool reduced)
    {
        var (data, cleaned) = Small(reduced);
        var dir = TestFiles.TempDir();
        TestFiles.Ok(Preprocessing.Of(data).Save(dir));
        var loaded = (Preprocessing)TestFiles.Ok(Preprocessing.LoadIfPresent(dir));
        var byId = cleaned.ToDictionary(t => t.RowId);
        var test = toSeq(data.Scaled.Test.RowIds.Select(id => byId[id])).Strict();
        Assert.Equal(data.Scaled.Test.X.Values, TestFiles.Ok(loaded.Scaled(test, "t.csv")).Values);
        Assert.Equal(data.Genres.Classes, loaded.Genres.Classes);
        Assert.Equal(data.Mapping, loaded.Mapping);
        Assert.Equal(data.Scaled.Test.Y, test.Map(t => (int)loaded.Label(t)).ToArray());
    }

    [Fact]
    public void Training_rows_are_in_range_and_a_shifted_row_is_counted_per_feature()
    {
        var (data, cleaned) = Small(false);
        var p = Preprocessing.Of(data);
        var byId = cleaned.ToDictionary(t => t.RowId);
        var train = TestFiles.Ok(p.RawFeatures(toSeq(data.Scaled.Train.RowIds.Select(id => byId[id])), "t.csv"));
        Assert.Equal(0, p.RowsOutOfRange(train));
        var t0 = byId[data.Scaled.Train.RowIds[0]];
        var odd = TestFiles.Ok(p.RawFeatures(Seq(t0 with { Tempo = p.Scaler.DataMax[13] + 1, Loudness = p.Scaler.DataMin[6] - 1 }, t0), "t.csv"));
        Assert.Equal(1, p.RowsOutOfRange(odd));
        var counts = p.OutOfRange(odd);
        Assert.Equal(1, counts[13]);
        Assert.Equal(1, counts[6]);
        Assert.Equal(2, counts.Sum());
    }

    [Fact]
    public void An_explicit_value_unseen_in_training_names_the_row()
    {
        var (data, cleaned) = Small(false);
        var p = Preprocessing.Of(data) with { Explicit = new LabelEncoding(Seq1("False")) };
        var t = cleaned.Head with { Explicit = true, RowId = 77 };
        var e = p.RawFeatures(Seq1(t), "new.csv").Match(_ => "", err => err.Message);
        Assert.StartsWith("new.csv: row 77: column 'explicit': 'True' never occurred", e);
    }

    [Fact]
    public void A_changed_number_in_the_file_is_a_checksum_error_naming_it()
    {
        var (data, _) = Small(false);
        var dir = TestFiles.TempDir();
        Assert.True(Preprocessing.Of(data).Save(dir).IsSucc);
        var path = Path.Combine(dir, Preprocessing.FileName);
        Assert.True(Preprocessing.LoadIfPresent(dir).IsSucc);
        var text = File.ReadAllText(path);
        var at = text.IndexOf("\"scale\"", StringComparison.Ordinal);
        var digit = text.IndexOfAny("123456789".ToCharArray(), at);
        File.WriteAllText(path, text[..digit] + (char)(text[digit] == '9' ? '8' : text[digit] + 1) + text[(digit + 1)..]); // still valid JSON
        var e = Preprocessing.LoadIfPresent(dir).Match(_ => "", err => err.Message);
        Assert.Equal($"{path}: checksum mismatch — the file is damaged", e);
    }

    [Fact]
    public void A_file_with_other_features_or_a_short_scaler_is_a_model_error()
    {
        var (data, _) = Small(false);
        var json = Preprocessing.Of(data).ToJson();
        var swapped = (JsonObject)json.DeepClone();
        swapped["features"]![0] = "tempo";
        Assert.True(Preprocessing.FromJson(swapped, "p.json").IsFail);
        var shortScaler = (JsonObject)json.DeepClone();
        shortScaler["scaler"]!["scale"]!.AsArray().RemoveAt(0);
        var e = Preprocessing.FromJson(shortScaler, "p.json").Match(_ => "", err => err.Message);
        Assert.Equal("p.json: scaler.scale is not a list of 15 numbers — the file is damaged", e);
        Assert.Equal(GenreError.ModelCode, Preprocessing.FromJson(shortScaler, "p.json").Match(_ => 0, err => err.Code));
    }
}
