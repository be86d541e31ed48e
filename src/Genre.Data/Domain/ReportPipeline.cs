using Genre.Data.Stages;
using LanguageExt.Common;

namespace Genre.Data;

/// <summary>
/// The notebooks' data, ready for a model: the splits as the model reads them (<see cref="Scaled"/>: the fitted feature pipeline's
/// output), the genre encoding, the fitted pipeline, the genre mapping, and the training split's raw feature ranges.
/// </summary>
public sealed record PreparedData(Splits Scaled, LabelEncoding Genres, FittedPipeline Pipeline, GenreMapping Mapping)
{
    /// <summary>Per numeric input column, the training split's range (values outside it extrapolate: predict warns).</summary>
    public Seq<FeatureRange> Ranges { get; init; } = Empty;
}

/// <summary>What the pipeline did to a file, for the CLI and the reports.</summary>
public sealed record DataSummary(int RowsRead, int RowsAfterCleaning, int Classes, int Train, int Val, int Test);

/// <summary>
/// The notebooks' steps as pure functions: (cleaned tracks) → genre mapping → LabelEncoder (genre) → train_test_split(0.2, 42)
/// twice → a feature pipeline (the report's: LabelEncoder on explicit, MinMaxScaler) fitted on train, applied to train/val/test.
/// </summary>
public static class ReportPipeline
{
    /// <summary>The notebooks' <c>test_size</c> for both <c>train_test_split</c> calls.</summary>
    public const double TestSize = 0.2;
    /// <summary>The notebooks' <c>random_state</c> for both <c>train_test_split</c> calls.</summary>
    public const uint RandomState = 42;

    /// <summary>
    /// The report's steps on tracks already cleaned (<see cref="Cleaning.Clean"/>): genres mapped by <paramref name="mapping"/>
    /// (None: all 114 genres) and encoded, rows split 64/16/20, then the feature pipeline (<see cref="Pipelines.Report"/> unless
    /// <paramref name="features"/> is given) fitted on the training split and applied to all three. Fails (data error) when
    /// there are too few rows to split or a stage refuses the data, naming the split and the stage.
    /// </summary>
    public static Fin<PreparedData> Prepare(Seq<Track> cleaned, Option<GenreMapping> mapping, Pipeline? features = null) =>
        Prepare(cleaned, mapping, features ?? Pipelines.Report, Split.ReportSplit(cleaned.Count, TestSize, RandomState)
            .MapError(e => Error.New(e.Code,
                $"{cleaned.Count:N0} row(s) after cleaning are too few for the report's train/validation/test split ({e.Message})")));

    /// <summary>As <see cref="Prepare(Seq{Track}, Option{GenreMapping}, Pipeline?)"/> on any split of the rows (positions into
    /// <paramref name="cleaned"/>): the track-aware split uses it.</summary>
    public static Fin<PreparedData> Prepare(Seq<Track> cleaned, Option<GenreMapping> mapping, Pipeline features,
                                            Fin<(int[] Train, int[] Val, int[] Test)> split)
    {
        var map = mapping.IfNone(GenreMapping.Identity);
        var genres = cleaned.Map(t => map.Apply(t.TrackGenre)).Strict();
        var encoding = LabelEncoding.Fit(genres);
        var y = encoding.EncodeAll(genres);
        var frame = Frame.Of(cleaned);
        var rowIds = cleaned.Map(t => t.RowId).ToArray();
        Fin<Dataset> Subset(FittedPipeline fitted, int[] rows, string name) =>
            fitted.Matrix(frame.Take(rows)).MapError(e => Error.New(e.Code, $"{name} split: {e.Message}"))
                .Map(x => new Dataset(x, rows.Select(i => y[i]).ToArray(), encoding.Classes, rows.Select(i => rowIds[i]).ToArray()));
        return from idx in split
               let train = frame.Take(idx.Train)
               from fitted in features.FitPipeline(train).MapError(e => Error.New(e.Code, $"training split: {e.Message}"))
               from tr in Subset(fitted, idx.Train, "training")
               from va in Subset(fitted, idx.Val, "validation")
               from te in Subset(fitted, idx.Test, "test")
               select new PreparedData(new Splits(tr, va, te), encoding, fitted, map) { Ranges = FeatureRange.Of(train) };
    }

    /// <summary>Load → clean → prepare, with a summary of each step. A file with no rows, or too few to split, is a data error naming
    /// it.</summary>
    public static Fin<(PreparedData Data, DataSummary Summary, Seq<Track> Cleaned)> Load(
        string path, Option<GenreMapping> mapping, Pipeline? features = null) =>
        from tracks in ToFin(TrackCsv.Load(path))
        from _0 in tracks.IsEmpty ? FinFail<Unit>(GenreError.Data($"{path}: no data rows (only the header)")) : FinSucc(unit)
        let cleaned = Cleaning.Clean(tracks)
        from _1 in cleaned.Tracks.IsEmpty
            ? FinFail<Unit>(GenreError.Data(
                $"{path}: no rows left after cleaning (all {tracks.Count:N0} lack a value or repeat an earlier row)"))
            : FinSucc(unit)
        from _ in mapping.Match(
            m => ToFin(m.ValidateAgainst(cleaned.Tracks.Map(t => t.TrackGenre).Distinct(), $"{path}: genre merges")).Map(_ => unit),
            () => FinSucc(unit))
        from prepared in Prepare(cleaned.Tracks, mapping, features).MapError(e => Error.New(e.Code, $"{path}: {e.Message}"))
        select (prepared, new DataSummary(cleaned.Report.RowsRead, cleaned.Report.RowsKept, prepared.Genres.Count,
            prepared.Scaled.Train.Count, prepared.Scaled.Val.Count, prepared.Scaled.Test.Count), cleaned.Tracks);

    /// <summary>A Validation's errors as one Fin error (all of them, in order).</summary>
    public static Fin<A> ToFin<A>(Validation<Error, A> v) =>
        v.Match(Succ: a => FinSucc(a), Fail: errs => FinFail<A>(errs.Count == 1 ? errs.Head : Error.Many(errs)));
}
