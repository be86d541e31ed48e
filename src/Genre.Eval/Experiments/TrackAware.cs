using Genre.Data;
using Genre.Data.Stages;

namespace Genre.Eval;

/// <summary>
/// The report's preprocessing on a track-aware split: every row of one track_id (the same song listed under several genres)
/// lands in one subset, so no test song was seen in training under another genre. As <c>genre audit</c>: test = 20% of the
/// distinct track ids (seed 42), then validation = 20% of the remaining ids (seed 42); the MinMax scaler is fitted on train.
/// </summary>
public static class TrackAware
{
    /// <summary>Positions into <paramref name="cleaned"/>: (train, val, test), grouped by track_id.</summary>
    public static Fin<(int[] Train, int[] Val, int[] Test)> Split(Seq<Track> cleaned)
    {
        var ids = cleaned.Map(t => t.TrackId).Distinct().ToArray();
        return from first in Genre.Data.Split.TrainTestSplit(ids.Length, ReportPipeline.TestSize, ReportPipeline.RandomState)
               from second in Genre.Data.Split.TrainTestSplit(first.Train.Length, ReportPipeline.TestSize, ReportPipeline.RandomState)
               let test = first.Test.Select(i => ids[i]).ToHashSet()
               let val = second.Test.Select(i => ids[first.Train[i]]).ToHashSet()
               let rows = cleaned.Map((i, t) => (i, t.TrackId)).ToArray()
               select (rows.Where(r => !test.Contains(r.TrackId) && !val.Contains(r.TrackId)).Select(r => r.i).ToArray(),
                       rows.Where(r => val.Contains(r.TrackId)).Select(r => r.i).ToArray(),
                       rows.Where(r => test.Contains(r.TrackId)).Select(r => r.i).ToArray());
    }

    /// <summary>As <see cref="ReportPipeline.Prepare(Seq{Track}, Option{GenreMapping}, Pipeline?)"/>, on the track-aware
    /// split.</summary>
    public static Fin<PreparedData> Prepare(Seq<Track> cleaned, Option<GenreMapping> mapping, Pipeline? features = null) =>
        ReportData.PrepareOn(Split)(cleaned, mapping, features);

    /// <summary>The report's full and merged label sets on the track-aware split.</summary>
    public static Fin<ReportData> Load(Seq<Track> cleaned) => ReportData.LoadOn(cleaned, Split, DataSplit.TrackAware);
}
