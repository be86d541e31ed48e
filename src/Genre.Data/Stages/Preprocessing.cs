using System.Text.Json.Nodes;
using Genre.Data.Stages;

namespace Genre.Data;

/// <summary>A numeric input column's range on the training split: values outside it extrapolate (predict counts them).</summary>
public sealed record FeatureRange(string Column, double Min, double Max)
{
    /// <summary>Each numeric column of <paramref name="train"/> that is one of the report's 15 features, in report order.</summary>
    public static Seq<FeatureRange> Of(Frame train) =>
        Track.FeatureColumns.Map(name => train.Columns.Find(c => c.Name == name).Bind(c => c is NumericColumn n && n.Count > 0
            ? Some(new FeatureRange(name, n.Values.Min(), n.Values.Max())) : None)).Somes().ToSeq().Strict();
}

/// <summary>
/// What a model needs besides its weights to classify tracks, as fitted on its training data: the fitted feature pipeline (its
/// stages and what each learned), the genre classes (the model's output order), the genre mapping its labels went through, and
/// the training ranges of the raw features. Saved with a model as <c>preprocessing.json</c>.
/// </summary>
public sealed record Preprocessing(FittedPipeline Pipeline, LabelEncoding Genres, GenreMapping Mapping, Seq<FeatureRange> Ranges)
{
    /// <summary>The file name in a model folder: <c>preprocessing.json</c>.</summary>
    public const string FileName = "preprocessing.json";

    /// <summary>The format: a fitted pipeline as a list of typed stages. Formats 1 (the report's scaler) and 2 (scaler + tabular
    /// encoding), written by genre 0.1 before stages existed, are refused (<see cref="EarlierFormat"/>): <c>genre migrate</c>
    /// rewrites them as the pipelines they were.</summary>
    public const string Format = "genre-preprocessing/3";

    /// <summary>The preprocessing the pipeline fitted (on the training split).</summary>
    public static Preprocessing Of(PreparedData d) => new(d.Pipeline, d.Genres, d.Mapping, d.Ranges);

    /// <summary>The model's input for <paramref name="tracks"/>: the fitted pipeline applied (values outside the training range
    /// extrapolate); a stage's refusal is a data error naming <paramref name="file"/> and the stage.</summary>
    public Fin<Matrix> Input(Seq<Track> tracks, string file) =>
        Pipeline.Matrix(Frame.Of(tracks)).MapError(e => LanguageExt.Common.Error.New(e.Code, $"{file}: {e.Message}"));

    /// <summary>The model's input width: the pipeline's output columns.</summary>
    public int InputWidth => Pipeline.OutputNames(Frame.Of(Seq<Track>()).Names).Map(n => n.Count).IfFail(0);

    /// <summary>Per feature (report order), how many tracks lie outside the training range [min, max].</summary>
    public int[] OutOfRange(Seq<Track> tracks)
    {
        var frame = Frame.Of(tracks);
        return Track.FeatureColumns.Map(name => Ranges.Find(r => r.Column == name).Match(
            r => frame.Numeric(name, "ranges").Map(c => c.Values.Count(v => v < r.Min || v > r.Max)).IfFail(0),
            () => 0)).ToArray();
    }

    /// <summary>Tracks with at least one feature outside the training range.</summary>
    public int RowsOutOfRange(Seq<Track> tracks)
    {
        var frame = Frame.Of(tracks);
        var outside = new bool[frame.Rows];
        foreach (var r in Ranges)
            frame.Numeric(r.Column, "ranges").IfSucc(c =>
            {
                for (var i = 0; i < c.Values.Length; i++) outside[i] |= c.Values[i] < r.Min || c.Values[i] > r.Max;
            });
        return outside.Count(o => o);
    }

    /// <summary>A track's genre as the model's class (after the mapping); None when the model does not know it.</summary>
    public Option<int> Label(Track t) => Genres.Encode(Mapping.Apply(t.TrackGenre)).ToOption();

    // ---------------------------------------------------------------- JSON

    /// <summary>The file's JSON; doubles are written in their shortest round-trip form, so a reload is bit-identical.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = Format,
        ["pipeline"] = Pipeline.ToJson(),
        ["genres"] = StageJson.ToJson(Genres.Classes),
        ["mapping"] = Mapping.ToJson(),
        ["ranges"] = new JsonObject
        {
            ["columns"] = StageJson.ToJson(Ranges.Map(r => r.Column)),
            ["min"] = StageJson.ToJson(Ranges.Map(r => r.Min)),
            ["max"] = StageJson.ToJson(Ranges.Map(r => r.Max)),
        },
    };

    /// <summary>Written atomically with its own crc32c (<see cref="ChecksummedJson"/>), so a damaged file is never read as another
    /// pipeline.</summary>
    public Fin<Unit> Save(string dir) => ChecksummedJson.Write(Path.Combine(dir, FileName), ToJson(), indented: true);

    /// <summary><c>dir/preprocessing.json</c> when the folder has one (a folder imported without training data has none).</summary>
    public static Fin<Option<Preprocessing>> LoadIfPresent(string dir, StageRegistry? registry = null)
    {
        var path = Path.Combine(dir, FileName);
        return ChecksummedJson.Read(path).Bind(o => o.Match(
            json => FromJson(json, path, registry).Map(Some),
            () => FinSucc(Option<Preprocessing>.None)));
    }

    /// <summary>
    /// Every member checked by type; a missing or ill-typed one, or a stage kind <paramref name="registry"/> (default: the
    /// built-in stages) does not know, is a one-line error naming it.
    /// </summary>
    public static Fin<Preprocessing> FromJson(JsonObject o, string origin, StageRegistry? registry = null)
    {
        var format = Json.String(o, "format");
        if (format.Case is string earlier && EarlierFormats.Contains(earlier))
            return EarlierFormat.Refused(origin, $"is in format {earlier}");
        if (format != Some(Format))
            return GenreError.Model($"{origin}: not a {Format} file (format '{format.IfNone("?")}')");
        return from pipeline in FittedPipeline.FromJson(o["pipeline"], $"{origin}: pipeline", registry ?? StageRegistry.BuiltIn)
               from common in Common(o, origin)
               from r in StageJson.Object(o, "ranges", origin)
               from columns in StageJson.Texts(r, "columns", $"{origin}: ranges")
               from min in StageJson.Numbers(r, "min", $"{origin}: ranges")
               from max in StageJson.Numbers(r, "max", $"{origin}: ranges")
               from _ in min.Length == columns.Count && max.Length == columns.Count ? FinSucc(unit)
                   : FinFail<Unit>(GenreError.Model($"{origin}: ranges: min and max must hold a number per column — the file is damaged"))
               let ranges = columns.Select((c, i) => new FeatureRange(c, min[i], max[i])).ToSeq().Strict()
               select new Preprocessing(pipeline, common.Genres, common.Mapping, ranges);
    }

    /// <summary>The formats genre 0.1 wrote: <c>genre migrate</c> reads them.</summary>
    public static readonly Seq<string> EarlierFormats = Seq("genre-preprocessing/1", "genre-preprocessing/2");

    /// <summary>The members every format has: genres (the model's output order) and the mapping.</summary>
    internal static Fin<(LabelEncoding Genres, GenreMapping Mapping)> Common(JsonObject o, string origin)
    {
        LanguageExt.Common.Error Bad(string what) => GenreError.Model($"{origin}: {what} — the file is damaged");
        return from genres in StageJson.Texts(o, "genres", origin)
               from _3 in genres.IsEmpty ? FinFail<Unit>(GenreError.Model($"{origin}: genres is empty")) : FinSucc(unit)
               from _4 in genres.Distinct().Count() == genres.Count ? FinSucc(unit) : FinFail<Unit>(Bad("a class is listed twice"))
               from m in GenreMapping.FromJson(o["mapping"], origin)
               select (new LabelEncoding(genres), m);
    }
}
