using System.Text.Json;
using System.Text.Json.Nodes;

namespace Genre.Data;

/// <summary>
/// What a model needs besides its weights to classify tracks, as fitted on its training data: the feature columns in the
/// model's input order, the <c>explicit</c> encoding, the fitted MinMaxScaler, the genre classes (the model's output order)
/// and the genre mapping its labels went through. Saved with a model as <c>preprocessing.json</c>.
/// </summary>
public sealed record Preprocessing(Seq<string> Features, LabelEncoding Explicit, MinMaxScaler Scaler, LabelEncoding Genres, GenreMapping Mapping)
{
    /// <summary>The stage after the scaler, for models that read encoded features (<see cref="TabularEncoding"/>); None for the
    /// report's models.</summary>
    public Option<TabularEncoding> Encoding { get; init; }

    /// <summary>The file name in a model folder: <c>preprocessing.json</c>.</summary>
    public const string FileName = "preprocessing.json";
    const string Format = "genre-preprocessing/1";
    /// <summary>The format with an encoding stage: a reader that knows only /1 refuses it instead of feeding the model the wrong
    /// columns.</summary>
    const string EncodedFormat = "genre-preprocessing/2";

    /// <summary>The preprocessing the report pipeline fitted (on the training split).</summary>
    public static Preprocessing Of(PreparedData d) =>
        new(Track.FeatureColumns, d.Explicit, d.Scaler, d.Genres, d.Mapping) { Encoding = d.Encoding };

    /// <summary>Raw features of <paramref name="tracks"/> (report order, <c>explicit</c> encoded as in training).</summary>
    public Fin<Matrix> RawFeatures(Seq<Track> tracks, string file)
    {
        var unknown = tracks.Find(t => Explicit.Encode(Data.Features.ExplicitLabel(t.Explicit)).IsFail);
        return unknown.Case is Track t
            ? GenreError.Data($"{file}: row {t.RowId}: column 'explicit': '{Data.Features.ExplicitLabel(t.Explicit)}' never occurred in the model's training data (it knows {string.Join(", ", Explicit.Classes)})")
            : Data.Features.Of(tracks, Explicit);
    }

    /// <summary>The model's input for <paramref name="tracks"/>: raw features scaled by the training scaler (values outside the training
    /// range extrapolate), then encoded when the model reads encoded features.</summary>
    public Fin<Matrix> Scaled(Seq<Track> tracks, string file) => RawFeatures(tracks, file).Map(Input);

    /// <summary>The model's input for raw features: scaled, then encoded when the model reads encoded features.</summary>
    public Matrix Input(Matrix raw) => Encoding.Match(e => e.Transform(Scaler.Transform(raw)), () => Scaler.Transform(raw));

    /// <summary>The model's input width: the 15 features, or the encoding's columns.</summary>
    public int InputWidth => Encoding.Match(e => e.Columns, () => Features.Count);

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
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["format"] = Encoding.IsSome ? EncodedFormat : Format,
            ["features"] = Strings(Features),
            ["explicit_classes"] = Strings(Explicit.Classes),
            ["scaler"] = new JsonObject
            {
                ["kind"] = "MinMaxScaler",
                ["feature_range"] = Numbers([0.0, 1.0]),
                ["data_min"] = Numbers(Scaler.DataMin),
                ["data_max"] = Numbers(Scaler.DataMax),
                ["scale"] = Numbers(Scaler.Scale),
                ["min"] = Numbers(Scaler.Min),
            },
            ["genres"] = Strings(Genres.Classes),
            ["mapping"] = new JsonObject(Mapping.Merges.AsEnumerable().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        };
        Encoding.IfSome(e => json["encoding"] = e.ToJson());
        return json;
    }

    /// <summary>Written atomically with its own crc32c (<see cref="ChecksummedJson"/>), so a damaged file is never read as another
    /// scaler.</summary>
    public Fin<Unit> Save(string dir) => ChecksummedJson.Write(Path.Combine(dir, FileName), ToJson(), indented: true);

    /// <summary><c>dir/preprocessing.json</c> when the folder has one (folders written before it existed have none).</summary>
    public static Fin<Option<Preprocessing>> LoadIfPresent(string dir)
    {
        var path = Path.Combine(dir, FileName);
        return ChecksummedJson.Read(path).Bind(o => o.Match(
            json => FromJson(json, path).Map(Some),
            () => FinSucc(Option<Preprocessing>.None)));
    }

    /// <summary>Every member checked by type; a missing or ill-typed one is a one-line error naming it.</summary>
    public static Fin<Preprocessing> FromJson(JsonObject o, string origin)
    {
        LanguageExt.Common.Error Bad(string what) => GenreError.Model($"{origin}: {what} — the file is damaged");
        Fin<Seq<string>> Strings(JsonNode? node, string name) =>
            Json.Array(node, name).Bind(a => a.Select(Json.String).ToSeq().Sequence()).ToFin(Bad($"{name} is not a list of strings"));
        Fin<double[]> Column(JsonObject scaler, string name, int n) =>
            Json.Array(scaler, name).Bind(a => a.Select(Json.Double).ToSeq().Sequence()).Map(v => v.ToArray())
                .Filter(v => v.Length == n).ToFin(Bad($"scaler.{name} is not a list of {n} numbers"));

        var format = Json.String(o, "format");
        if (format != Some(Format) && format != Some(EncodedFormat))
            return GenreError.Model($"{origin}: not a {Format} or {EncodedFormat} file (format '{format.IfNone("?")}')");
        return from features in Strings(o, "features")
               from _1 in features == Track.FeatureColumns ? FinSucc(unit)
                   : FinFail<Unit>(GenreError.Model($"{origin}: features must be the report's 15 in order ({string.Join(", ", Track.FeatureColumns)}), got {string.Join(", ", features)}"))
               from s in Json.Object(o, "scaler").ToFin(Bad("scaler is not an object"))
               from _2 in Json.String(s, "kind") == Some("MinMaxScaler") ? FinSucc(unit) : FinFail<Unit>(GenreError.Model($"{origin}: scaler: only MinMaxScaler is supported"))
               from dataMin in Column(s, "data_min", features.Count)
               from dataMax in Column(s, "data_max", features.Count)
               from scale in Column(s, "scale", features.Count)
               from min in Column(s, "min", features.Count)
               from explicitClasses in Strings(o, "explicit_classes")
               from genres in Strings(o, "genres")
                   // in the file's order: the genres' order is the model's output order
               from _3 in genres.IsEmpty ? FinFail<Unit>(GenreError.Model($"{origin}: genres is empty")) : FinSucc(unit)
               from _4 in genres.Distinct().Count() == genres.Count && explicitClasses.Distinct().Count() == explicitClasses.Count
                   ? FinSucc(unit) : FinFail<Unit>(Bad("a class is listed twice"))
               from mapping in Json.Object(o, "mapping").ToFin(Bad("mapping is not an object"))
               from pairs in mapping.Select(p => Json.String(p.Value).Map(v => (p.Key, v))).ToSeq().Sequence().ToFin(Bad("mapping holds a value that is not a genre name"))
               from m in GenreMapping.Create(pairs, origin).Match(FinSucc, errs => FinFail<GenreMapping>(GenreError.Model($"{origin}: mapping: {errs.Head.Message}")))
               let scaler = new MinMaxScaler(dataMin, dataMax, scale, min)
               from encoding in format == Some(EncodedFormat)
                   ? Json.Object(o, "encoding").ToFin(Bad("encoding is not an object"))
                       .Bind(e => TabularEncoding.FromJson(e, scaler, origin)).Map(Some)
                   : o.ContainsKey("encoding") && o["encoding"] is not null
                       ? FinFail<Option<TabularEncoding>>(Bad($"an encoding in a {Format} file"))
                       : FinSucc(Option<TabularEncoding>.None)
               select new Preprocessing(features, new LabelEncoding(explicitClasses), scaler, new LabelEncoding(genres), m)
               {
                   Encoding = encoding,
               };
    }
}
