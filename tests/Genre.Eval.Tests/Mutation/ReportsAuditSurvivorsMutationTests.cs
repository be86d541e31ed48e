using System.Globalization;
using Genre.Eval.Boosting;
using Genre.Models;
using Genre.Models.Backend;
using ScottPlot;
using ScottPlot.Plottables;

namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// What Stryker's survivors in <c>Reports/</c>, <c>Audit/</c> and <c>Boosting/</c> changed unseen: the figures' styles, labels,
/// limits, ticks and legends, read from the ScottPlot objects before rendering (the byte-comparing tests only say a PNG changed
/// for inputs they chose); what the audit gives its backend (a stand-in backend records each probe's spec and training rows, so
/// the index column, the track-aware split and the twin count are checked on tracks built by hand); the gbdt audit's findings
/// and model folders on a small three-genre set; and the message of a LightGBM failure.
/// </summary>
public class ReportsAuditSurvivorsMutationTests
{
    /// <summary>n epochs with validation: accuracy e/8, loss 3 − e/8.</summary>
    static History Epochs(int n) => new(Enumerable.Range(1, n)
        .Select(e => new EpochMetrics(e, 3.0 - 0.125 * e, 0.125 * e, 3.125 - 0.125 * e, 0.0625 * e, 1)).ToSeq().Strict());

    static Scatter[] Lines(Plot plot) => plot.GetPlottables().OfType<Scatter>().ToArray();

    // matplotlib's tab10 (ScottPlot's Category10): the first colour is blue, the second orange
    static readonly Color Blue = Color.FromHex("#1f77b4"), Orange = Color.FromHex("#ff7f0e");

    [Fact]
    public void Learning_curves_are_titled_labelled_and_styled_train_blue_validation_orange_the_authors_dashed()
    {
        var (accuracy, loss) = Plots.LearningCurvePlots("dnn1", Epochs(3), Some(Epochs(5)));
        Assert.Equal("dnn1: model accuracy", accuracy.Axes.Title.Label.Text);
        Assert.Equal("dnn1: model loss", loss.Axes.Title.Label.Text);
        Assert.Equal(("epoch", "accuracy"), (accuracy.Axes.Bottom.Label.Text, accuracy.Axes.Left.Label.Text));
        Assert.Equal(("epoch", "loss"), (loss.Axes.Bottom.Label.Text, loss.Axes.Left.Label.Text));
        // the legend where the curves are not: lower right under rising accuracy, upper right above falling loss
        Assert.True(accuracy.Legend.IsVisible && loss.Legend.IsVisible);
        Assert.Equal((Alignment.LowerRight, Alignment.UpperRight), (accuracy.Legend.Alignment, loss.Legend.Alignment));
        foreach (var plot in new[] { accuracy, loss })
        {
            var lines = Lines(plot);
            Assert.Equal(["train", "validation", "authors' TF2 train", "authors' TF2 validation"], lines.Select(l => l.LegendText));
            Assert.Equal([Blue, Orange, Blue, Orange], lines.Select(l => l.Color));
            Assert.Equal([LinePattern.Solid, LinePattern.Solid, LinePattern.Dashed, LinePattern.Dashed], lines.Select(l => l.LinePattern));
            // markers on our few epochs; none on the dashed reference, whose points would crowd the solid ones
            Assert.Equal([4f, 4f, 0f, 0f], lines.Select(l => l.MarkerSize));
        }
    }

    [Fact]
    public void Learning_curves_drop_their_markers_beyond_40_epochs()
    {
        Assert.All(Lines(Plots.LearningCurvePlots("m", Epochs(40), None).Accuracy), l => Assert.Equal(4f, l.MarkerSize));
        Assert.All(Lines(Plots.LearningCurvePlots("m", Epochs(41), None).Loss), l => Assert.Equal(0f, l.MarkerSize));
    }

    [Fact]
    public void The_confusion_heatmap_fits_its_cells_and_labels_them_row_0_on_top()
    {
        var confusion = new long[,] { { 3, 1, 0 }, { 0, 2, 2 }, { 1, 1, 1 } };
        var (plot, width, height) = Plots.ConfusionPlot("c", confusion, Seq("a", "b", "c"), None);
        // three cells centred on 0, 1, 2 each way, half a cell beyond the outer centres
        var limits = plot.Axes.GetLimits();
        Assert.Equal((-0.5, 2.5, -0.5, 2.5), (limits.Left, limits.Right, limits.Bottom, limits.Top));
        Assert.Equal(("predicted", "actual"), (plot.Axes.Bottom.Label.Text, plot.Axes.Left.Label.Text));
        // a manual tick generator hands out its ticks once the axes are laid out
        plot.GetImageBytes(width, height, ImageFormat.Png);
        string Ticks(IAxis axis) =>
            string.Join(" ", axis.TickGenerator.Ticks.OrderBy(t => t.Position).Select(t => $"{t.Position}:{t.Label}"));
        Assert.Equal("0:a 1:b 2:c", Ticks(plot.Axes.Bottom));
        Assert.Equal("0:c 1:b 2:a", Ticks(plot.Axes.Left));
    }

    static ProbabilityMetrics Scores => new(0.5, 0.75, 0.875, 0.4375, Some(0.625), 0.5625, 0.0625,
        Seq(new ReliabilityBin(0.25, 0.5, 3, 0.375, 0.3125), new ReliabilityBin(0.5, 0.75, 3, 0.625, 0.5)));

    [Fact]
    public void The_reliability_diagram_has_its_calibrated_diagonal_unit_axes_labels_and_legend_upper_left()
    {
        var trained = new ExperimentResult(Experiments.OfReport.Head, new Settings(3, 256, 2, 3e-3), new Evaluation(1.25, 0.5, 4),
            Epochs(3), 1, new long[2, 2], Seq("a", "b"), new Provenance.Trained());
        var result = trained with { Scores = Scores };
        var run = new ReproduceResult(new DataSource("/d/x.csv", true, 1, ""), Profile.Of("fast", "tiny", new Settings(3, 256, 2)),
            Seq1(result), Seq<AuthorsScore>(), 1);
        var plot = ScoresReport.ReliabilityPlot(run).IfNone(() => throw new Xunit.Sdk.XunitException("no figure"));
        Assert.Equal("calibrated", plot.GetPlottables().OfType<LinePlot>().Single().LegendText);
        var limits = plot.Axes.GetLimits();
        Assert.Equal((0.0, 1.0, 0.0, 1.0), (limits.Left, limits.Right, limits.Bottom, limits.Top));
        Assert.Equal("Reliability: accuracy against confidence (top probability), test rows", plot.Axes.Title.Label.Text);
        Assert.Equal(("mean confidence in the bin", "accuracy in the bin"), (plot.Axes.Bottom.Label.Text, plot.Axes.Left.Label.Text));
        Assert.True(plot.Legend.IsVisible);
        Assert.Equal(Alignment.UpperLeft, plot.Legend.Alignment);
    }

    // ---- the audit

    /// <summary>A backend whose models record the spec and training rows they get and predict class 0 for every row (the audit
    /// trains four: baseline, index, test set in training, track-aware).</summary>
    sealed class RecordingBackend : IBackend
    {
        public List<(Sequential Spec, LabeledData Train, int TestRows)> Probes { get; } = [];
        public Fin<ICompiledModel> Compile(Sequential spec, int seed) => new Model(spec, this);
        public Fin<ICompiledModel> Load(Sequential spec, ModelWeights weights) => throw new NotSupportedException();

        sealed class Model(Sequential spec, RecordingBackend owner) : ICompiledModel
        {
            LabeledData? train;
            public Sequential Spec => spec;
            public ModelWeights Weights() => new(Empty);
            public Fin<History> Fit(LabeledData train, Option<LabeledData> validation, TrainingConfig config,
                                    IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default)
            {
                this.train = train;
                return new History(Seq<EpochMetrics>());
            }
            public Evaluation Evaluate(LabeledData data, int batchSize = 10_000) => throw new NotSupportedException();
            public float[] Predict(float[] x, int rows, int batchSize = 10_000)
            {
                owner.Probes.Add((spec, train!, rows));
                var p = new float[rows * train!.Classes];
                for (var r = 0; r < rows; r++) p[r * train.Classes] = 1;
                return p;
            }
            public void Dispose() { }
        }
    }

    static Track Row(long rowId, string trackId, double popularity, double danceability, double energy, string genre) =>
        new(rowId, trackId, None, None, None, (long)popularity, 200_000, false, danceability, energy, 5, -6.5, 1, 0.05, 0.25, 0.125,
            0.1, 0.5, 120, 4, genre);

    [Fact]
    public void The_audit_gives_each_probe_the_rows_and_columns_it_names()
    {
        // 20 rows, 10 tracks of two rows each (g0 then g1), row ids 100, 103, 106, … (not the positions); every row its own popularity
        var (train, _, test) = Ok(Split.ReportSplit(20));
        // a training row and a test row alike but for two features whose bit patterns, written one after the other without a
        // separator, spell the same digits: 1.0 is 4607182418800017408 and 0.0 is 0, 460718241880001740 then 80 is "…7408" + "0"
        var (a, b) = (test[0], train[0]);
        var tracks = toSeq(Enumerable.Range(0, 20).Select(i => Row(100 + 3 * i, $"t{i / 2}", i == b ? a : i,
            i == a ? 1.0 : i == b ? BitConverter.Int64BitsToDouble(460718241880001740) : 0.5,
            i == a ? 0.0 : i == b ? BitConverter.Int64BitsToDouble(80) : 0.25, $"g{i % 2}"))).Strict();
        var backend = new RecordingBackend();
        var findings = Ok(Audit.Run(backend, tracks, new Audit.Options(Epochs: 1)));

        Assert.Equal(4, backend.Probes.Count);
        Assert.All(backend.Probes, p => Assert.Equal("audit-dnn1", p.Spec.Name));
        Assert.Equal([15, 16, 15, 15], backend.Probes.Select(p => p.Spec.InputShape.Single()));
        // the index probe: the same training rows and scaled features, after a first column of their row ids scaled to 0–1
        var (plain, leaky) = (backend.Probes[0].Train, backend.Probes[1].Train);
        Assert.Equal((12, 12), (plain.Rows, leaky.Rows));
        var ids = train.Select(i => 100.0 + 3 * i).ToArray();
        for (var r = 0; r < 12; r++)
        {
            Assert.Equal((float)((ids[r] - ids.Min()) / (ids.Max() - ids.Min())), leaky.X[r * 16]);
            Assert.Equal(plain.X[(r * 15)..(r * 15 + 15)], leaky.X[(r * 16 + 1)..(r * 16 + 16)]);
        }
        // track-aware: ⌈0.2 · 10⌉ = 2 tracks tested, their 4 rows; the other 16 rows train
        Assert.Equal((16, 4), (backend.Probes[3].Train.Rows, backend.Probes[3].TestRows));
        // every row is distinct: the two look-alikes are no twins
        Assert.Equal("0 of 4 (0.0%)", findings[4].Value);
        // class 0 (g0) everywhere: half the track-aware test rows, and every track lists g0
        Assert.Equal(("0.5000", "1.0000"), (findings[5].Value, findings[6].Value));
    }

    // ---- gbdt in the audit, and LightGBM's own refusals

    /// <summary>240 rows of three genres set by danceability's thirds (a fifth drawn at random), each track listed twice (rows
    /// 2j and 2j + 1), row ids their positions.</summary>
    static Seq<Track> Thirds()
    {
        var random = new Random(3);
        return toSeq(Enumerable.Range(0, 240).Select(i =>
        {
            var d = random.NextDouble();
            var genre = random.NextDouble() < 0.2 ? random.Next(3) : Math.Min(2, (int)(d * 3));
            return Row(i, $"t{i / 2}", random.Next(100), d, random.NextDouble(), $"g{genre}");
        })).Strict();
    }

    [Fact]
    public void The_gbdt_audit_names_its_findings_and_folders_and_the_track_aware_change_in_points()
    {
        var dir = Directory.CreateTempSubdirectory("genre-audit-gbdt-").FullName;
        try
        {
            var cleaned = Thirds();
            var findings = Ok(AuditGbdt.Run(cleaned, dir, 2, 1));
            Assert.True(File.Exists(Path.Combine(dir, "gbdt", Gbdt.TrialsFile)));
            Assert.True(File.Exists(Path.Combine(dir, "track-aware", "gbdt", Gbdt.TrialsFile)));
            Assert.Contains(findings[0].Question, Gbdt.Candidates.Map(c => $"gbdt, report split ({c.Describe()}, chosen on validation)"));
            Assert.Equal(("test accuracy", "gbdt, track-aware split (same configuration)", "test accuracy"),
                (findings[0].Measure, findings[1].Question, findings[1].Measure));
            // each accuracy is hits over that split's test rows (48 of 240, or 2 · ⌈0.2 · 120⌉ = 48 rows of 24 tracks); the change
            // is in points of the exact fractions
            var n = (int)Math.Ceiling(0.2 * 240);
            Assert.Equal(n, Ok(TrackAware.Prepare(cleaned, None)).Scaled.Test.Count);
            Assert.Matches(@"^\d\.\d{4}$", findings[0].Value);
            var reportHits = (int)Math.Round(double.Parse(findings[0].Value, CultureInfo.InvariantCulture) * n);
            var parts = findings[1].Value.Split(' ', 2);
            var trackHits = (int)Math.Round(double.Parse(parts[0], CultureInfo.InvariantCulture) * n);
            Assert.Equal(((double)reportHits / n).ToString("F4", CultureInfo.InvariantCulture), findings[0].Value);
            Assert.Equal(((double)trackHits / n).ToString("F4", CultureInfo.InvariantCulture), parts[0]);
            Assert.InRange(reportHits, n / 2, n);
            Assert.NotEqual(reportHits, trackHits);
            Assert.Equal($"({100.0 * (trackHits - reportHits) / n:+0.0;-0.0} pt)", parts[1]);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_setting_LightGBM_refuses_fails_with_its_reason()
    {
        var rows = new LabeledData([0f, 1f, 0.5f, 0.25f], 4, [0, 1, 2, 0], 3);
        var error = Booster.Fit(new BoosterSettings(3, Leaves: 1, Rounds: 1, Threads: 1), rows, rows)
            .Match(_ => "a booster of one leaf was fitted", e => e.Message);
        Assert.StartsWith("LightGBM could not build a dataset: ", error);
        Assert.Contains("num_leaves", error);
    }
}
