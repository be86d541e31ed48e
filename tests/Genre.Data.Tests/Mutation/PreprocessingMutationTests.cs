using System.Text.Json.Nodes;
using Genre.Data.Stages;

namespace Genre.Data.Tests.Mutation;

/// <summary>
/// preprocessing.json's refusals one member at a time, the training ranges and the input width (found by Stryker:
/// bench/results/mutation.md).
/// </summary>
public class PreprocessingMutationTests
{
    static readonly (PreparedData Data, Seq<Track> Cleaned) Tiny = Load();

    static (PreparedData, Seq<Track>) Load()
    {
        var loaded = Ok(ReportPipeline.Load(TestFiles.Golden("synthetic-tiny.csv"), Some(GenreMapping.ReportMerges)));
        return (loaded.Data, loaded.Cleaned);
    }

    static string Refusal(Action<JsonObject> damage)
    {
        var json = Preprocessing.Of(Tiny.Data).ToJson();
        damage(json);
        return Fail(Preprocessing.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject(), "p.json"));
    }

    [Fact]
    public void It_reads_back_what_it_writes_and_refuses_each_damaged_member_by_name()
    {
        var p = Preprocessing.Of(Tiny.Data);
        var back = Ok(Preprocessing.FromJson(JsonNode.Parse(p.ToJson().ToJsonString())!.AsObject(), "p.json"));
        Assert.Equal(p.Ranges, back.Ranges);
        Assert.Equal(p.Mapping, back.Mapping);
        Assert.Equal(p.Pipeline, back.Pipeline);
        Assert.Equal("p.json: not a genre-preprocessing/3 file (format 'x')", Refusal(j => j["format"] = "x"));
        Assert.Equal("p.json: not a genre-preprocessing/3 file (format '?')", Refusal(j => j.Remove("format")));
        Assert.Equal("p.json: genres is empty", Refusal(j => j["genres"] = new JsonArray()));
        Assert.Equal("p.json: a class is listed twice — the file is damaged", Refusal(j => j["genres"] = new JsonArray("a", "a")));
        Assert.Equal("p.json: mapping is not an object — the file is damaged", Refusal(j => j["mapping"] = 3));
        Assert.Equal("p.json: mapping holds a value that is not a genre name — the file is damaged",
            Refusal(j => j["mapping"] = new JsonObject { ["a"] = 1 }));
        Assert.Equal("p.json: mapping: p.json: genre 'a' is mapped to itself",
            Refusal(j => j["mapping"] = new JsonObject { ["a"] = "a" }));
        Assert.Equal("p.json: ranges: min and max must hold a number per column — the file is damaged",
            Refusal(j => j["ranges"]!["min"] = new JsonArray(1.0)));
        Assert.Equal("p.json: ranges: min and max must hold a number per column — the file is damaged",
            Refusal(j => j["ranges"]!["max"] = new JsonArray()));
        Assert.Contains("p.json: pipeline", Refusal(j => j["pipeline"] = new JsonObject()));
    }

    [Fact]
    public void Ranges_are_each_numeric_feature_columns_min_and_max_in_report_order()
    {
        var frame = NumericStageMutationTests.Numbers(("tempo", [120, 80, 100]), ("zzz", [1, 2, 3]), ("popularity", [5, 1, 9]));
        Assert.Equal(Seq(new FeatureRange("popularity", 1, 9), new FeatureRange("tempo", 80, 120)), FeatureRange.Of(frame));
        var text = Ok(Frame.Of(Seq<FrameColumn>(new TextColumn("explicit", [Some("True")]), new NumericColumn("mode", [1]))));
        Assert.Equal(Seq1(new FeatureRange("mode", 1, 1)), FeatureRange.Of(text));
        Assert.Empty(FeatureRange.Of(new Frame(0, Seq1<FrameColumn>(new NumericColumn("tempo", [])))));
    }

    [Fact]
    public void Rows_on_the_training_bounds_are_in_range_and_the_input_width_is_the_pipelines()
    {
        var p = Preprocessing.Of(Tiny.Data);
        Assert.Equal(15, p.InputWidth);
        var tempo = p.Ranges.Find(r => r.Column == "tempo").IfNone(() => throw new Xunit.Sdk.XunitException("no tempo range"));
        var t = Tiny.Cleaned.Head;
        var onBounds = Seq(t with { Tempo = tempo.Min }, t with { Tempo = tempo.Max });
        Assert.Equal(0, p.OutOfRange(onBounds)[Track.FeatureColumns.ToList().IndexOf("tempo")]);
        var outside = Seq(t with { Tempo = tempo.Min - 1e-9 }, t with { Tempo = tempo.Max + 1e-9 }, t with { Tempo = tempo.Max });
        Assert.Equal(2, p.OutOfRange(outside)[Track.FeatureColumns.ToList().IndexOf("tempo")]);
        Assert.Equal(2, p.RowsOutOfRange(outside));
        // a preprocessing without ranges counts nothing
        Assert.Equal(0, (p with { Ranges = Empty }).RowsOutOfRange(outside));
        Assert.All((p with { Ranges = Empty }).OutOfRange(outside), n => Assert.Equal(0, n));
        var wide = Preprocessing.Of(Ok(ReportPipeline.Load(TestFiles.Golden("synthetic-tiny.csv"), None, Pipelines.Tabular)).Data);
        Assert.Equal(Pipelines.TabularWidth, wide.InputWidth);
    }

    [Fact]
    public void A_track_label_is_its_mapped_genres_class_or_none()
    {
        var p = Preprocessing.Of(Tiny.Data);
        var t = Tiny.Cleaned.Head;
        Assert.Equal(p.Genres.Encode(GenreMapping.ReportMerges.Apply(t.TrackGenre)).ToOption(), p.Label(t));
        Assert.True(p.Label(t with { TrackGenre = "k-pop" }) == p.Label(t with { TrackGenre = "pop" }));
        Assert.True(p.Label(t with { TrackGenre = "no-such-genre" }).IsNone);
    }

    [Fact]
    public void The_declared_pipelines_are_found_by_value_and_the_tabular_width_is_33()
    {
        Assert.Equal(33, Pipelines.TabularWidth);
        Assert.Equal(Some("report"), Pipelines.NameOf(Pipelines.Report));
        Assert.Equal(Some("tabular"), Pipelines.NameOf(Pipelines.Tabular));
        Assert.True(Pipelines.NameOf(Pipeline.Of(new MinMax())).IsNone);
        Assert.Equal(Seq("popularity", "duration_ms", "danceability", "energy", "loudness", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo"), Pipelines.Continuous);
    }
}
