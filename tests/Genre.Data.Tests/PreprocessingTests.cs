using System.Text.Json.Nodes;
using Genre.Data.Stages;

namespace Genre.Data.Tests;

public class PreprocessingTests
{
    static (PreparedData Data, Seq<Track> Cleaned) Small(bool reduced)
    {
        var loaded = Ok(ReportPipeline.Load(TestFiles.Golden("synthetic-small.csv"), reduced ? Some(GenreMapping.ReportMerges) : None));
        return (loaded.Data, loaded.Cleaned);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Saved_and_reloaded_it_scales_the_test_rows_exactly_as_the_pipeline_did(bool reduced)
    {
        var (data, cleaned) = Small(reduced);
        var dir = TestFiles.TempDir();
        Ok(Preprocessing.Of(data).Save(dir));
        var loaded = (Preprocessing)Ok(Preprocessing.LoadIfPresent(dir));
        var byId = cleaned.ToDictionary(t => t.RowId);
        var test = toSeq(data.Scaled.Test.RowIds.Select(id => byId[id])).Strict();
        Assert.Equal(data.Scaled.Test.X.Values, Ok(loaded.Input(test, "t.csv")).Values);
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
        var train = toSeq(data.Scaled.Train.RowIds.Select(id => byId[id])).Strict();
        Assert.Equal(0, p.RowsOutOfRange(train));
        var t0 = byId[data.Scaled.Train.RowIds[0]];
        var scaler = p.Pipeline.Find<MinMax.Fitted>().Map(m => m.Scaler).IfNone(() => throw new Xunit.Sdk.XunitException("no scaler"));
        var odd = Seq(t0 with { Tempo = scaler.DataMax[13] + 1, Loudness = scaler.DataMin[6] - 1 }, t0);
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
        var p = Preprocessing.Of(data);
        p = p with
        {
            Pipeline = p.Pipeline with
            {
                Stages = p.Pipeline.Stages.Map(s => s is LabelEncode.Fitted
                    ? new LabelEncode.Fitted("explicit", new LabelEncoding(Seq1("False"))) : s),
            },
        };
        var t = cleaned.Head with { Explicit = true, RowId = 77 };
        var e = p.Input(Seq1(t), "new.csv").Match(_ => "", err => err.Message);
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
        // still valid JSON
        File.WriteAllText(path, text[..digit] + (char)(text[digit] == '9' ? '8' : text[digit] + 1) + text[(digit + 1)..]);
        var e = Preprocessing.LoadIfPresent(dir).Match(_ => "", err => err.Message);
        Assert.Equal($"{path}: checksum mismatch — the file is damaged", e);
    }

    [Fact]
    public void A_stage_with_a_short_scaler_is_a_model_error_naming_the_stage()
    {
        var (data, _) = Small(false);
        var json = Preprocessing.Of(data).ToJson();
        var shortScaler = (JsonObject)json.DeepClone();
        shortScaler["pipeline"]!["state"]!["stages"]![2]!["state"]!["scale"]!.AsArray().RemoveAt(0);
        var e = Preprocessing.FromJson(shortScaler, "p.json").Match(_ => "", err => err.Message);
        Assert.Equal("p.json: pipeline (pipeline) stages[2] (min-max): 'scale' has 14 numbers for 15 columns", e);
        Assert.Equal(GenreError.ModelCode, Preprocessing.FromJson(shortScaler, "p.json").Match(_ => 0, err => err.Code));
    }

    /// <summary>The two formats genre 0.1 wrote (tests/golden/legacy/preprocessing-1 and -2, as once committed under results/) are
    /// refused naming the file and genre migrate, which reads them (Genre.Eval.Tests' MigrationTests).</summary>
    [Theory]
    [InlineData("preprocessing-1", "genre-preprocessing/1")]
    [InlineData("preprocessing-2", "genre-preprocessing/2")]
    public void A_file_in_an_earlier_format_is_refused_naming_it_and_genre_migrate(string folder, string format)
    {
        var dir = Path.Combine(TestFiles.RepoRoot, "tests", "golden", "legacy", folder);
        var path = Path.Combine(dir, Preprocessing.FileName);
        var load = Preprocessing.LoadIfPresent(dir);
        Assert.Equal($"{path} is in format {format} (written by an earlier genre): run genre migrate {dir}",
            load.Match(_ => "", e => e.Message));
        Assert.Equal(GenreError.ModelCode, load.Match(_ => 0, e => e.Code));
    }
}
