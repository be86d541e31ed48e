using Genre.Data.Stages;
using Genre.Eval;
using Genre.Testing.Laws;

namespace Genre.Properties;

/// <summary>Issue 24: genre's own code under the law suites Genre.Testing offers its users.</summary>
public class LawSuiteProperties
{
    [Property(MaxTest = 100)]
    public Property Csv_written_by_genre_reads_back_as_the_same_tracks() => CsvLaws.GenresWriterAndReader();

    [Property(MaxTest = 200)]
    public Property Reduced_labels_cover_every_track() => MappingLaws.ReducedLabelsCoverEveryTrack();

    [Property(MaxTest = 200)]
    public Property Merge_aware_accuracy_is_monotone_under_merges() => MappingLaws.AccuracyIsMonotoneUnderMerges(MergeAware.Accuracy);

    [Property(MaxTest = 200)]
    public Property Two_merges_equal_one_composed_merge() => MappingLaws.TwoMergesEqualOneComposed();

    [Property(MaxTest = 40)]
    public Property The_report_pipeline_obeys_the_stage_laws() => StageLawSuite.All(Pipelines.Report);

    [Property(MaxTest = 25)]
    public Property The_tabular_pipeline_obeys_the_stage_laws() => StageLawSuite.All(Pipelines.Tabular);

    [Property(MaxTest = 25)]
    public Property A_composed_pipeline_obeys_the_stage_laws() =>
        StageLawSuite.All(Pipeline.Of(
            new SelectColumns(Track.FeatureColumns), new DropColumns(Seq1("popularity")), new LabelEncode("explicit"),
            new ColumnTransformer(Seq(new ColumnGroup(Seq("duration_ms", "speechiness"), Pipeline.Of(new Log1p(), new Standardize())),
                                      new ColumnGroup(Seq1("key"), OneHot.Of("key"))))));

    [Property(MaxTest = 40)]
    public Property The_declared_pipelines_fit_every_generated_training_frame() =>
        StageLawSuite.Fits(Pipelines.Report).And(StageLawSuite.Fits(Pipelines.Tabular)).And(StageLawSuite.Fits(Pipelines.RealMlp));
}

/// <summary>
/// Issue 24: the generators shrink — a deliberately wrong function fed to a law is reported with a small counterexample, not a
/// seed (FsCheck's "Shrunk:" value, read from its report).
/// </summary>
public class ShrinkingTests
{
    /// <summary>The law's report after shrinking: the text after "Shrunk:", or after "Original:" when the first failing case
    /// could not be shrunk further (FsCheck then reports "0 shrinks" and no "Shrunk:" section).</summary>
    static string Shrunk(Property law)
    {
        var e = Assert.ThrowsAny<Exception>(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), law));
        var at = e.Message.IndexOf("Shrunk:", StringComparison.Ordinal);
        if (at < 0 && e.Message.Contains("(0 shrinks)")) at = e.Message.IndexOf("Original:", StringComparison.Ordinal);
        Assert.True(at >= 0, e.Message);
        return e.Message[at..];
    }

    [Fact]
    public void A_writer_that_forgets_to_quote_is_caught_with_at_most_three_tracks()
    {
        // csv.QUOTE_MINIMAL forgotten: a name with a comma, quote or line break breaks the row
        var shrunk = Shrunk(CsvLaws.WriteThenReadIsTheIdentity(
            tracks => TrackCsv.Format(tracks).Replace("\"", ""),
            text => ReportPipeline.ToFin(TrackCsv.Parse(text, "t.csv"))));
        var tracks = System.Text.RegularExpressions.Regex.Matches(shrunk, @"Track \{").Count;
        Assert.InRange(tracks, 1, 3);
    }

    [Fact]
    public void An_accuracy_that_merging_can_lower_is_caught_with_at_most_two_genres_and_three_rows()
    {
        // a wrong merge-aware accuracy: it charges a merge instead of forgiving it
        var shrunk = Shrunk(MappingLaws.AccuracyIsMonotoneUnderMerges(
            (l, p, c, m) => MergeAware.Accuracy(l, p, c, m) - (m.Merges.IsEmpty ? 0 : 0.01)));
        var m = System.Text.RegularExpressions.Regex.Match(shrunk, @"(\d+) genre\(s\).*?, (\d+) row\(s\)");
        Assert.True(m.Success, shrunk);
        Assert.True(int.Parse(m.Groups[1].Value) == 2, shrunk);
        Assert.InRange(int.Parse(m.Groups[2].Value), 1, 3);
    }

    [Fact]
    public void A_stage_that_reads_its_input_to_fit_rows_differently_breaks_the_row_wise_law_on_a_small_frame()
    {
        var shrunk = Shrunk(StageLawSuite.All(new NotRowWise()));
        var m = System.Text.RegularExpressions.Regex.Match(shrunk, @"train (\d+) track\(s\), other (\d+)");
        Assert.True(m.Success, shrunk);
        Assert.InRange(int.Parse(m.Groups[2].Value), 1, 3);
    }

    /// <summary>A "scaler" that claims to be row-wise but divides by the frame's own row count.</summary>
    sealed record NotRowWise : Stage
    {
        public override string Kind => "not-row-wise";
        public override System.Text.Json.Nodes.JsonObject Config() => new();
        public override Fin<FittedStage> Fit(Frame train) => new Fitted();

        sealed record Fitted : FittedStage
        {
            public override Stage Declared => new NotRowWise();
            public override System.Text.Json.Nodes.JsonObject State() => new();
            public override Fin<Seq<string>> OutputNames(Seq<string> input) => Seq1("tempo");
            public override Fin<Frame> Transform(Frame input) =>
                input.Numeric("tempo", "not-row-wise").Map(c => input with
                {
                    Columns = Seq1<FrameColumn>(c with { Values = c.Values.Select(v => v / input.Rows).ToArray() }),
                });
        }
    }
}
