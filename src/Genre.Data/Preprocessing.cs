using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Data;

/// <summary>
/// What a model needs besides its weights to classify tracks, as fitted on its training data: the feature columns in the
/// model's input order, the <c>explicit</c> encoding, the fitted MinMaxScaler, the genre classes (the model's output order)
/// and the genre mapping its labels went through. Saved with a model as <c>preprocessing.json</c>.
/// </summary>
public sealed record Preprocessing(Seq<string> Features, LabelEncoding Explicit, MinMaxScaler Scaler, LabelEncoding Genres, GenreMapping Mapping)
{
    public const string FileName = "preprocessing.json";
    const string Format = "genre-preprocessing/1";

    /// <summary>The preprocessing the report pipeline fitted (on the training split).</summary>
    public static Preprocessing Of(PreparedData d) => new(Track.FeatureColumns, d.Explicit, d.Scaler, d.Genres, d.Mapping);

    /// <summary>Raw features of <paramref name="tracks"/> (report order, <c>explicit</c> encoded as in training).</summary>
    public Fin<Matrix> RawFeatures(Seq<Track> tracks, string file)
    {
        var unknown = tracks.Find(t => Explicit.Encode(Data.Features.ExplicitLabel(t.Explicit)).IsFail);
        return unknown.Case is Track t
            ? GenreError.Data($"{file}: row {t.RowId}: column 'explicit': '{Data.Features.ExplicitLabel(t.Explicit)}' never occurred in the model's training data (it knows {string.Join(", ", Explicit.Classes)})")
            : Data.Features.Of(tracks, Explicit);
    }

    /// <summary>The model's input for <paramref name="tracks"/>: raw features scaled by the training scaler (values outside the training range extrapolate).</summary>
    public Fin<Matrix> Scaled(Seq<Track> tracks, string file) => RawFeatures(tracks, file).Map(Scaler.Transform);

    /// <summary>Per feature (report order), how many rows lie outside the training range [data_min, data_max].</summary>
    public int[] OutOfRange(Matrix raw)
    {
        var counts = new int[raw.Cols];
        for (var r = 0; r < raw.Rows; r++)
            for (var c = 0; c < raw.Cols; c++)
                if (raw[r, c] < Scaler.DataMin[c] || raw[r, c] > Scaler.DataMax[c]) counts[c]++;
        return counts;
    }

    /// <summary>Rows with at least one feature outside the training range.</summary>
    public int RowsOutOfRange(Matrix raw)
    {
        var rows = 0;
        for (var r = 0; r < raw.Rows; r++)
            for (var c = 0; c < raw.Cols; c++)
                if (raw[r, c] < Scaler.DataMin[c] || raw[r, c] > Scaler.DataMax[c]) { rows++; break; }
        return rows;
    }

    /// <summary>A track's genre as the model's class (after the mapping); None when the model does not know it.</summary>
    public Option<int> Label(Track t) => Genres.Encode(Mapping.Apply(t.TrackGenre)).ToOption();

    // ---------------------------------------------------------------- JSON

    static JsonArray Numbers(IEnumerable<double> v) => new(v.Select(x => (JsonNode)x).ToArray());
    static JsonArray Strings(IEnumerable<string> v) => new(v.Select(x => (JsonNode)x).ToArray());

    /// <summary>The file's JSON; doubles are written in their shortest round-trip form, so a reload is bit-identical.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = Format,
        ["features"] = Strings(Features),
        ["explicit_classes"] = Strings(Explicit.Classes),
        ["scaler"] = new JsonObject
        {
            ["kind"] = "MinMaxScaler", ["feature_range"] = Numbers([0.0, 1.0]),
            ["data_min"] = Numbers(Scaler.DataMin), ["data_max"] = Numbers(Scaler.DataMax), ["scale"] = Numbers(Scaler.Scale), ["min"] = Numbers(Scaler.Min),
        },
        ["genres"] = Strings(Genres.Classes),
        ["mapping"] = new JsonObject(Mapping.Merges.AsEnumerable().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
    };

    public Fin<Unit> Save(string dir) =>
        AtomicFile.WriteAllText(Path.Combine(dir, FileName), ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

    /// <summary><c>dir/preprocessing.json</c> when the folder has one (folders written before it existed have none).</summary>
    public static Fin<Option<Preprocessing>> LoadIfPresent(string dir)
    {
        var path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return FinSucc(Option<Preprocessing>.None);
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o ? FromJson(o, path).Map(Some) : GenreError.Model($"{path}: not a JSON object");
        }
        catch (JsonException e) { return GenreError.Model($"{path}: invalid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return GenreError.Io($"{path}: cannot read ({e.Message})"); }
    }

    public static Fin<Preprocessing> FromJson(JsonObject o, string origin)
    {
        try
        {
            if (o["format"]?.GetValue<string>() != Format) return GenreError.Model($"{origin}: not a {Format} file (format '{o["format"]}')");
            var features = toSeq(o["features"]!.AsArray().Select(n => n!.GetValue<string>())).Strict();
            if (features != Track.FeatureColumns)
                return GenreError.Model($"{origin}: features must be the report's 15 in order ({string.Join(", ", Track.FeatureColumns)}), got {string.Join(", ", features)}");
            var s = o["scaler"]!.AsObject();
            if (s["kind"]?.GetValue<string>() != "MinMaxScaler") return GenreError.Model($"{origin}: scaler: only MinMaxScaler is supported");
            double[] Column(string name)
            {
                var v = s[name]!.AsArray().Select(n => n!.GetValue<double>()).ToArray();
                return v.Length == features.Count ? v : throw new FormatException($"scaler.{name} has {v.Length} values, expected {features.Count}");
            }
            var scaler = new MinMaxScaler(Column("data_min"), Column("data_max"), Column("scale"), Column("min"));
            // in the file's order: the genres' order is the model's output order (a repeated name is an ArgumentException)
            var explicitClasses = new LabelEncoding(toSeq(o["explicit_classes"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray()));
            var genres = new LabelEncoding(toSeq(o["genres"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray()));
            if (genres.Count == 0) return GenreError.Model($"{origin}: genres is empty");
            var pairs = o["mapping"]!.AsObject().Select(p => (p.Key, p.Value!.GetValue<string>()));
            return GenreMapping.Create(pairs, origin).Match(
                m => FinSucc(new Preprocessing(features, explicitClasses, scaler, genres, m)),
                errs => FinFail<Preprocessing>(GenreError.Model($"{origin}: mapping: {errs.Head.Message}")));
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException or ArgumentException or KeyNotFoundException)
        {
            return GenreError.Model($"{origin}: bad preprocessing ({e.Message})");
        }
    }
}
