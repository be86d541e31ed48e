using Genre.Data;

namespace Genre.Eval;

/// <summary>The report's data prepared once for both label sets: the 114 genres and the report's 66 merged genres.</summary>
public sealed record ReportData(PreparedData Full, PreparedData Reduced)
{
    /// <summary>The data an experiment trains on: the merged genres for a reduced experiment, else all 114; encoded (fitted on
    /// the training split) for an experiment that reads encoded features.</summary>
    public PreparedData For(Experiment e)
    {
        var data = e.Reduced ? Reduced : Full;
        return e.Encoded ? Encodings.GetValue(data, TabularEncoding.Encode) : data;
    }

    /// <summary>Each prepared data's encoding, computed once (a pure function of it, remembered while it lives).</summary>
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PreparedData, PreparedData> Encodings = new();

    /// <summary>The cleaned tracks both were prepared from (for other splits of the same rows).</summary>
    public Seq<Track> Cleaned { get; init; } = Seq<Track>();

    /// <summary>
    /// Loads, cleans and prepares the source's file for both label sets. Fails with the file's I/O or data errors
    /// (every bad cell, up to <see cref="TrackCsv.MaxErrors"/>).
    /// </summary>
    public static Fin<ReportData> Load(DataSource source) =>
        from tracks in ReportPipeline.ToFin(TrackCsv.Load(source.Path))
        let cleaned = Cleaning.Clean(tracks).Tracks
        from full in ReportPipeline.Prepare(cleaned, None)
        from reduced in ReportPipeline.Prepare(cleaned, Some(GenreMapping.ReportMerges))
        select new ReportData(full, reduced) { Cleaned = cleaned };
}
