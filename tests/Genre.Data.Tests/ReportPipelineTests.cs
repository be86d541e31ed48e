namespace Genre.Data.Tests;

public class ReportPipelineTests
{
    static Seq<Track> Tiny() => Cleaning.Clean(Ok(TrackCsv.Load(TestFiles.Golden("synthetic-tiny.csv")))).Tracks;

    [Fact]
    public void Default_synthetic_data_has_the_real_files_counts()
    {
        var (tracks, report) = Cleaning.Clean(Synthetic.Generate());
        Assert.Equal((114_000, 1, 450), (report.RowsRead, report.MissingDropped, report.DuplicatesDropped));
        var data = Ok(ReportPipeline.Prepare(tracks, None));
        Assert.Equal((72_671, 18_168, 22_710), (data.Scaled.Train.Count, data.Scaled.Val.Count, data.Scaled.Test.Count));
        Assert.Equal(114, data.Genres.Count);
        var reduced = Ok(ReportPipeline.Prepare(tracks, Some(GenreMapping.ReportMerges)));
        Assert.Equal(66, reduced.Genres.Count);
        Assert.Equal((72_671, 18_168, 22_710), (reduced.Scaled.Train.Count, reduced.Scaled.Val.Count, reduced.Scaled.Test.Count));
    }

    [Fact]
    public void The_scaler_is_fit_on_train_only()
    {
        var data = Ok(ReportPipeline.Prepare(Tiny(), None));
        var scaler = data.Pipeline.Find<Stages.MinMax.Fitted>().Map(m => m.Scaler)
            .IfNone(() => throw new Xunit.Sdk.XunitException("no scaler"));
        var train = data.Scaled.Train.X;
        for (var c = 0; c < Features.Count; c++)
        {
            var col = Enumerable.Range(0, train.Rows).Select(r => train[r, c]).ToArray();
            Assert.Equal(0.0, col.Min());
            if (scaler.DataMax[c] > scaler.DataMin[c]) Assert.Equal(1.0, col.Max(), 15);
        }
        // refitting on train's raw rows gives the same scaler; val/test may leave [0, 1] because they were not seen
        var raw = Features.Take(Features.Of(Tiny()), Positions(Tiny(), data.Scaled.Train.RowIds));
        Assert.Equal(MinMaxScaler.Fit(raw).Scale, scaler.Scale);
        Assert.Equal(scaler.Transform(Features.Take(Features.Of(Tiny()), Positions(Tiny(), data.Scaled.Test.RowIds))).Values,
            data.Scaled.Test.X.Values);
    }

    [Fact]
    public void The_mapping_changes_labels_only()
    {
        var full = Ok(ReportPipeline.Prepare(Tiny(), None));
        var reduced = Ok(ReportPipeline.Prepare(Tiny(), Some(GenreMapping.ReportMerges)));
        var pairs = new[]
        {
            (full.Scaled.Train, reduced.Scaled.Train), (full.Scaled.Val, reduced.Scaled.Val), (full.Scaled.Test, reduced.Scaled.Test),
        };
        foreach (var (f, r) in pairs)
        {
            Assert.Equal(f.RowIds, r.RowIds);
            Assert.Equal(f.X.Values, r.X.Values);
            Assert.Equal(f.Y.Select(y => GenreMapping.ReportMerges.Apply(full.Genres.Decode(y))), r.Y.Select(reduced.Genres.Decode));
        }
        Assert.Equal(GenreMapping.ReportMerges, reduced.Mapping);
        Assert.Equal(GenreMapping.Identity, full.Mapping);
    }

    [Fact]
    public void Load_summarises_each_step()
    {
        var path = TestFiles.Golden("synthetic-tiny.csv");
        var (data, s, cleaned) = Ok(ReportPipeline.Load(path, None));
        Assert.Equal(File.ReadAllLines(path).Length - 1, s.RowsRead);
        Assert.Equal(File.ReadAllLines(TestFiles.Golden("synthetic-tiny.full.clean.txt")).Length, s.RowsAfterCleaning);
        Assert.Equal(cleaned.Count, s.RowsAfterCleaning);
        // scikit-learn's subsets (the golden script's), counted
        var subsets = File.ReadAllLines(TestFiles.Golden("synthetic-tiny.full.split.csv")).Skip(1).Select(l => l.Split(',')[1]).ToArray();
        Assert.Equal((subsets.Count(x => x == "train"), subsets.Count(x => x == "val"), subsets.Count(x => x == "test")),
            (s.Train, s.Val, s.Test));
        Assert.Equal((114, data.Genres.Count), (s.Classes, s.Classes));
    }

    [Fact]
    public void A_mapping_naming_an_unknown_genre_fails_before_preparing()
    {
        var bad = Ok(GenreMapping.Create([("k-pop", "k-pop-2")]));
        var r = ReportPipeline.Load(TestFiles.Golden("synthetic-tiny.csv"), Some(bad));
        Assert.True(r.IsFail);
        r.IfFail(e => { Assert.Contains("unknown genre 'k-pop-2'", e.Message); Assert.Equal(GenreError.DataCode, e.Code); });
    }

    [Fact]
    public void Too_few_rows_to_split_is_an_error_not_an_exception()
    {
        var r = ReportPipeline.Prepare(Tiny().Take(1).ToSeq(), None);
        Assert.True(r.IsFail);
    }

    [RealDataFact]
    public void Real_file_114000_read_113549_clean_72671_18168_22710()
    {
        var path = Environment.GetEnvironmentVariable("GENRE_DATA")!;
        var (_, cleaning) = Cleaning.Clean(Ok(TrackCsv.Load(path)));
        Assert.Equal(new CleaningCounts(114_000, 1, 450), cleaning);
        var (data, s, _) = Ok(ReportPipeline.Load(path, None));
        Assert.Equal(new DataSummary(114_000, 113_549, 114, 72_671, 18_168, 22_710), s);
        var reduced = Ok(ReportPipeline.Load(path, Some(GenreMapping.ReportMerges)));
        Assert.Equal(new DataSummary(114_000, 113_549, 66, 72_671, 18_168, 22_710), reduced.Summary);
        // the vectors: positions in the cleaned table
        var split = Ok(Split.TrainTestSplit(113_549, 0.2, 42));
        Assert.Equal(new[] { 77091, 96328, 6985, 75085, 61019, 21351, 32517, 84830 }, split.Test[..8]);
    }

    static int[] Positions(Seq<Track> tracks, long[] rowIds)
    {
        var at = tracks.Select((t, i) => (t.RowId, i)).ToDictionary(p => p.RowId, p => p.i);
        return rowIds.Select(id => at[id]).ToArray();
    }
}
