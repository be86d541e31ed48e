using Genre.Data;
using Genre.Data.Stages;

namespace Genre.Eval;

/// <summary>The report's data prepared once for both label sets: the 114 genres and the report's 66 merged genres.</summary>
public sealed record ReportData(PreparedData Full, PreparedData Reduced)
{
    /// <summary>The data an experiment trains on: its labels (through its mapping, else all 114 genres) through
    /// its feature pipeline, fitted on the training split. The report's pipeline is <see cref="Full"/> and <see cref="Reduced"/>
    /// themselves; another is prepared from <see cref="Cleaned"/> on the same split, once per pipeline and label set.</summary>
    public Fin<PreparedData> For(Experiment e)
    {
        if (e.Split != Split)
            return GenreError.Usage($"{e.Name}: trains on the {ExperimentJson.SplitName(e.Split)} split, " +
                                    $"this data is the {ExperimentJson.SplitName(Split)} split");
        if (e.Features == Pipelines.Report && e.Labels.IsNone) return Full;
        if (e.Features == Pipelines.Report && e.Labels == Some(GenreMapping.ReportMerges)) return Reduced;
        var key = (e.Labels, e.Features);
        lock (prepared)
        {
            if (prepared.TryGetValue(key, out var done)) return done;
            var made = Prepare(Cleaned, e.Labels, e.Features);
            prepared[key] = made;
            return made;
        }
    }

    /// <summary>The split's preparation (the report split's, or the track-aware one's) for another pipeline.</summary>
    public Func<Seq<Track>, Option<GenreMapping>, Pipeline?, Fin<PreparedData>> Prepare { get; init; } = ReportPipeline.Prepare;

    /// <summary>Each pipeline's preparation, made once (a pure function of the cleaned tracks, remembered while this lives).</summary>
    readonly Dictionary<(Option<GenreMapping>, Pipeline), Fin<PreparedData>> prepared = new();

    /// <summary>The split these were prepared on.</summary>
    public DataSplit Split { get; init; } = DataSplit.Report;

    /// <summary>How <see cref="Split"/> divides the cleaned tracks: positions into them (train, validation, test).</summary>
    public Func<Seq<Track>, Fin<(int[] Train, int[] Val, int[] Test)>> Divide { get; init; } =
        cleaned => Genre.Data.Split.ReportSplit(cleaned.Count, ReportPipeline.TestSize, ReportPipeline.RandomState);

    /// <summary>The positions of the training, validation and test rows in <see cref="Cleaned"/>.</summary>
    public Fin<(int[] Train, int[] Val, int[] Test)> Positions() => Divide(Cleaned);

    /// <summary>The cleaned tracks both were prepared from (for other splits of the same rows).</summary>
    public Seq<Track> Cleaned { get; init; } = Seq<Track>();

    /// <summary>The report's preparation on another split of the same rows (<paramref name="split"/> gives positions into the
    /// cleaned tracks): what the track-aware and artist-aware splits prepare with.</summary>
    public static Func<Seq<Track>, Option<GenreMapping>, Pipeline?, Fin<PreparedData>> PrepareOn(
        Func<Seq<Track>, Fin<(int[] Train, int[] Val, int[] Test)>> split) =>
        (cleaned, mapping, features) => ReportPipeline.Prepare(cleaned, mapping, features ?? Pipelines.Report, split(cleaned));

    /// <summary>Both label sets of the report on another split of the same rows (the split computed once), named
    /// <paramref name="name"/>; other pipelines are prepared on it by <see cref="PrepareOn"/>.</summary>
    public static Fin<ReportData> LoadOn(Seq<Track> cleaned, Func<Seq<Track>, Fin<(int[] Train, int[] Val, int[] Test)>> split,
                                         DataSplit name) =>
        from positions in split(cleaned)
        from full in ReportPipeline.Prepare(cleaned, None, Pipelines.Report, positions)
        from reduced in ReportPipeline.Prepare(cleaned, Some(GenreMapping.ReportMerges), Pipelines.Report, positions)
        select new ReportData(full, reduced) { Cleaned = cleaned, Prepare = PrepareOn(split), Split = name, Divide = split };

    /// <summary>The same cleaned tracks prepared on <paramref name="split"/> (this data itself when it is that split).</summary>
    public Fin<ReportData> OnSplit(DataSplit split) => split switch
    {
        _ when split == Split => this,
        DataSplit.TrackAware => TrackAware.Load(Cleaned),
        DataSplit.ArtistAware => ArtistAware.Load(Cleaned),
        _ => OnReportSplit(Cleaned),
    };

    /// <summary>
    /// Loads, cleans and prepares the source's file for both label sets. Fails with the file's I/O or data errors
    /// (every bad cell, up to <see cref="TrackCsv.MaxErrors"/>).
    /// </summary>
    public static Fin<ReportData> Load(DataSource source) =>
        ReportPipeline.ToFin(TrackCsv.Load(source.Path)).Bind(tracks => OnReportSplit(Cleaning.Clean(tracks).Tracks));

    /// <summary>Both label sets of the report on the report's split of <paramref name="cleaned"/>.</summary>
    static Fin<ReportData> OnReportSplit(Seq<Track> cleaned) =>
        from full in ReportPipeline.Prepare(cleaned, None)
        from reduced in ReportPipeline.Prepare(cleaned, Some(GenreMapping.ReportMerges))
        select new ReportData(full, reduced) { Cleaned = cleaned };
}
