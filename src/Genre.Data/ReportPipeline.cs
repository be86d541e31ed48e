using LanguageExt.Common;

namespace Genre.Data;

/// <summary>
/// The notebooks' data, ready for a model: scaled splits, the genre encoding, the fitted scaler, the genre mapping and the
/// encoding of the <c>explicit</c> column.
/// </summary>
public sealed record PreparedData(Splits Scaled, LabelEncoding Genres, MinMaxScaler Scaler, GenreMapping Mapping, LabelEncoding Explicit)
{
    /// <summary>The second stage the splits went through after the scaler, if any (<see cref="TabularEncoding.Encode"/>); the
    /// report's models read the scaled features directly.</summary>
    public Option<TabularEncoding> Encoding { get; init; }
}

/// <summary>What the pipeline did to a file, for the CLI and the reports.</summary>
public sealed record DataSummary(int RowsRead, int RowsAfterCleaning, int Classes, int Train, int Val, int Test);

/// <summary>
/// The notebooks' steps as one pure function: (cleaned tracks) → genre mapping → LabelEncoder (explicit, genre) →
/// train_test_split(0.2, 42) twice → MinMaxScaler fit on train, applied to train/val/test.
/// </summary>
public static class ReportPipeline
{
    /// <summary>The notebooks' <c>test_size</c> for both <c>train_test_split</c> calls.</summary>
    public const double TestSize = 0.2;
    /// <summary>The notebooks' <c>random_state</c> for both <c>train_test_split</c> calls.</summary>
    public const uint RandomState = 42;

    /// <summary>
    /// The report's pipeline on tracks already cleaned (<see cref="Cleaning.Clean"/>): genres mapped by <paramref name="mapping"/>
    /// (None: all 114 genres), encoded, split 64/16/20 and scaled by a MinMaxScaler fitted on the training split. Fails (data error)
    /// when there are too few rows to split.
    /// </summary>
    public static Fin<PreparedData> Prepare(Seq<Track> cleaned, Option<GenreMapping> mapping)
    {
        var map = mapping.IfNone(GenreMapping.Identity);
        var genres = cleaned.Map(t => map.Apply(t.TrackGenre)).Strict();
        var encoding = LabelEncoding.Fit(genres);
        var y = encoding.EncodeAll(genres);
        var explicitEncoding = Features.ExplicitEncoding(cleaned);
        var x = Features.Of(cleaned, explicitEncoding);
        var rowIds = cleaned.Map(t => t.RowId).ToArray();
        return from idx in Split.ReportSplit(cleaned.Count, TestSize, RandomState)
               let raw = new Splits(Subset(x, y, rowIds, encoding, idx.Train), Subset(x, y, rowIds, encoding, idx.Val), Subset(x, y, rowIds, encoding, idx.Test))
               let scaler = MinMaxScaler.Fit(raw.Train.X)
               select new PreparedData(
                   new Splits(Scale(raw.Train, scaler), Scale(raw.Val, scaler), Scale(raw.Test, scaler)), encoding, scaler, map, explicitEncoding);
    }

    static Dataset Subset(Matrix x, int[] y, long[] rowIds, LabelEncoding enc, int[] rows) =>
        new(Features.Take(x, rows), rows.Select(i => y[i]).ToArray(), enc.Classes, rows.Select(i => rowIds[i]).ToArray());

    static Dataset Scale(Dataset d, MinMaxScaler s) => d with { X = s.Transform(d.X) };

    /// <summary>Load → clean → prepare, with a summary of each step. A file with no rows, or too few to split, is a data error naming
    /// it.</summary>
    public static Fin<(PreparedData Data, DataSummary Summary, Seq<Track> Cleaned)> Load(string path, Option<GenreMapping> mapping) =>
        from tracks in ToFin(TrackCsv.Load(path))
        from _0 in tracks.IsEmpty ? FinFail<Unit>(GenreError.Data($"{path}: no data rows (only the header)")) : FinSucc(unit)
        let cleaned = Cleaning.Clean(tracks)
        from _1 in cleaned.Tracks.IsEmpty
            ? FinFail<Unit>(GenreError.Data($"{path}: no rows left after cleaning (all {tracks.Count:N0} lack a value or repeat an earlier row)"))
            : FinSucc(unit)
        from _ in mapping.Match(m => ToFin(m.ValidateAgainst(cleaned.Tracks.Map(t => t.TrackGenre).Distinct(), $"{path}: genre merges")).Map(_ => unit), () => FinSucc(unit))
        from prepared in Prepare(cleaned.Tracks, mapping).MapError(e => e.Code == GenreError.DataCode
            ? GenreError.Data($"{path}: {cleaned.Tracks.Count:N0} row(s) after cleaning are too few for the report's train/validation/test split ({e.Message})")
            : e)
        select (prepared, new DataSummary(cleaned.Report.RowsRead, cleaned.Report.RowsKept, prepared.Genres.Count,
            prepared.Scaled.Train.Count, prepared.Scaled.Val.Count, prepared.Scaled.Test.Count), cleaned.Tracks);

    /// <summary>A Validation's errors as one Fin error (all of them, in order).</summary>
    public static Fin<A> ToFin<A>(Validation<Error, A> v) =>
        v.Match(Succ: a => FinSucc(a), Fail: errs => FinFail<A>(errs.Count == 1 ? errs.Head : Error.Many(errs)));
}
