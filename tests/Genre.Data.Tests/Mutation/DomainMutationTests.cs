using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Genre.Data.Stages;

namespace Genre.Data.Tests.Mutation;

/// <summary>
/// The domain module's own tests (Stryker over <c>Domain/</c> found these behaviours checked only in other projects or not at
/// all): value equality of splits and datasets, scikit-learn's refusals and counts in both splits, the report pipeline's
/// errors naming the split and the file, and the synthetic generator reproducing what its committed outputs record.
/// </summary>
public class DomainMutationTests
{
    [Fact]
    public void Splits_matrices_and_datasets_are_equal_by_value_and_only_by_value()
    {
        var a = new SplitIndices([1, 2], [3]);
        Assert.Equal(a, new SplitIndices([1, 2], [3]));
        Assert.NotEqual(a, new SplitIndices([1, 2], [4]));
        Assert.NotEqual(a, new SplitIndices([2, 1], [3]));
        Assert.False(a.Equals(null));

        var m = new Matrix(2, 3, [1, 2, 3, 4, 5, 6]);
        Assert.Equal(m, new Matrix(2, 3, [1, 2, 3, 4, 5, 6]));
        Assert.NotEqual(m, new Matrix(3, 2, [1, 2, 3, 4, 5, 6])); // the same values in another shape
        Assert.NotEqual(m, new Matrix(2, 3, [1, 2, 3, 4, 5, 7]));
        Assert.False(m.Equals(null));

        Dataset D(double x = 1, int y = 0, string c = "a", long id = 7) => new(new Matrix(1, 1, [x]), [y], Seq(c, "b"), [id]);
        Assert.Equal(D(), D());
        Assert.Equal(D().GetHashCode(), D().GetHashCode());
        Assert.NotEqual(D(), D(x: 2));
        Assert.NotEqual(D(), D(y: 1));
        Assert.NotEqual(D(), D(c: "z"));
        Assert.NotEqual(D(), D(id: 8));
        Assert.False(D().Equals(null));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_test_size_outside_the_open_unit_interval_is_a_usage_error_in_both_splits(double testSize)
    {
        var expected = $"test_size must be in (0, 1), got {testSize}";
        Assert.Equal(expected, Fail(Split.TrainTestSplit(10, testSize, 1)));
        Assert.Equal(expected, Fail(Split.Stratified([0, 0, 1, 1, 2, 2, 3, 3], testSize, 1)));
        Assert.Equal(GenreError.UsageCode, Split.TrainTestSplit(10, testSize, 1).Match(_ => 0, e => e.Code));
    }

    [Fact]
    public void A_split_that_would_leave_a_part_empty_is_a_data_error_naming_the_sizes() =>
        Assert.Equal("cannot split 1 rows with test_size 0.5: train would have 0 rows and test 1",
            Fail(Split.TrainTestSplit(1, 0.5, 1)));

    [Fact]
    public void Stratifying_needs_as_many_rows_in_each_part_as_there_are_classes_and_no_more()
    {
        // 4 rows, 2 classes, test_size 0.5: 2 rows each side, as many as classes — scikit-learn accepts it
        var s = Ok(Split.Stratified([0, 0, 1, 1], 0.5, 3));
        Assert.Equal([0, 1], s.Train.Select(i => i / 2).Order());
        Assert.Equal([0, 1], s.Test.Select(i => i / 2).Order());
        Assert.Equal("cannot stratify 6 rows into 3 classes with test_size 0.2: train would have 4 rows and test 2",
            Fail(Split.Stratified([0, 0, 1, 1, 2, 2], 0.2, 3)));
        Assert.Equal("cannot stratify: class 5 has fewer than 2 rows", Fail(Split.Stratified([2, 2, 5, 2], 0.5, 3)));
    }

    [Fact]
    public void A_left_over_draw_goes_to_the_class_with_the_largest_fractional_share()
    {
        // 7 rows of class 0 and 3 of class 1, 3 drawn for training: shares 2.1 and 0.9, floors 2 and 0; the one left over goes
        // to class 1 (fraction 0.9 over 0.1), not to the class with the larger share
        var labels = Enumerable.Repeat(0, 7).Concat(Enumerable.Repeat(1, 3)).ToArray();
        var s = Ok(Split.Stratified(labels, 0.7, 11));
        Assert.Equal(3, s.Train.Length);
        Assert.Equal(2, s.Train.Count(i => labels[i] == 0));
        Assert.Equal(1, s.Train.Count(i => labels[i] == 1));
    }

    /// <summary>scikit-learn's StratifiedShuffleSplit for one split, transcribed from its Python (model_selection/_split.py):
    /// <c>_approximate_mode</c> draws ties with <c>rng.choice</c> only while draws are left, then each class is permuted, then
    /// train and test.</summary>
    static SplitIndices Sklearn(int[] y, double testSize, uint seed)
    {
        var nTest = (int)Math.Ceiling(testSize * y.Length);
        var nTrain = y.Length - nTest;
        var classes = y.Distinct().Order().ToArray();
        var classCounts = classes.Select(c => (long)y.Count(v => v == c)).ToArray();
        var classIndices = classes.Select(c => Enumerable.Range(0, y.Length).Where(i => y[i] == c).ToArray()).ToArray();
        var rng = new NumpyRandomState(seed);
        long[] ApproximateMode(long[] counts, int nDraws)
        {
            var continuous = counts.Select(c => (double)c / counts.Sum() * nDraws).ToArray();
            var floored = continuous.Select(Math.Floor).ToArray();
            var needToAdd = (int)(nDraws - floored.Sum());
            if (needToAdd > 0)
            {
                var remainder = continuous.Zip(floored, (c, f) => c - f).ToArray();
                foreach (var value in remainder.Distinct().OrderByDescending(v => v))
                {
                    var inds = Enumerable.Range(0, remainder.Length).Where(i => remainder[i] == value).ToArray();
                    var addNow = Math.Min(inds.Length, needToAdd);
                    foreach (var k in rng.Permutation(inds.Length).Take(addNow)) floored[inds[k]]++;
                    needToAdd -= addNow;
                    if (needToAdd == 0) break;
                }
            }
            return floored.Select(f => (long)f).ToArray();
        }
        var nI = ApproximateMode(classCounts, nTrain);
        var tI = ApproximateMode(classCounts.Zip(nI, (c, n) => c - n).ToArray(), nTest);
        var (train, test) = (new List<int>(), new List<int>());
        for (var i = 0; i < classes.Length; i++)
        {
            var perm = rng.Permutation((int)classCounts[i]).Select(k => classIndices[i][k]).ToArray();
            train.AddRange(perm.Take((int)nI[i]));
            test.AddRange(perm.Skip((int)nI[i]).Take((int)tI[i]));
        }
        return new SplitIndices(rng.Permutation(train.Count).Select(k => train[k]).ToArray(),
            rng.Permutation(test.Count).Select(k => test[k]).ToArray());
    }

    [Fact]
    public void The_stratified_split_is_the_transcribed_scikit_learn_one_with_and_without_draws_left_over()
    {
        var r = new Random(5);
        var cases = 0;
        for (var trial = 0; trial < 60; trial++)
        {
            var classes = 2 + r.Next(5);
            var y = Enumerable.Range(0, 10 + r.Next(40)).Select(_ => r.Next(classes)).ToArray();
            if (y.GroupBy(v => v).Any(g => g.Count() < 2)) continue;
            var testSize = new[] { 0.2, 0.25, 0.5, 1.0 / 3 }[r.Next(4)];
            var ours = Split.Stratified(y, testSize, (uint)trial);
            if (ours.IsFail) continue;
            Assert.Equal(Sklearn(y, testSize, (uint)trial), Ok(ours));
            cases++;
        }
        // balanced classes and an even test size: every share is whole, nothing is left over to draw
        Assert.Equal(Sklearn([0, 0, 1, 1, 2, 2, 3, 3], 0.5, 9), Ok(Split.Stratified([0, 0, 1, 1, 2, 2, 3, 3], 0.5, 9)));
        Assert.True(cases >= 30, $"only {cases} cases");
    }

    static Track T(int id, string genre, double danceability = 0.5) =>
        new(id, $"t{id}", "a", "b", "c", 50, 200_000, false, danceability, 0.5, 1, -5, 1, 0.05, 0.1, 0, 0.1, 0.5, 120, 4, genre);

    [Fact]
    public void Too_few_rows_for_the_report_split_name_the_count()
    {
        var error = Fail(ReportPipeline.Prepare(Seq(T(0, "pop"), T(1, "rock")), None));
        Assert.StartsWith("2 row(s) after cleaning are too few for the report's train/validation/test split (", error);
    }

    /// <summary>Passes a frame through unchanged, refusing frames of <see cref="Refused"/> rows (the rows of one split).</summary>
    sealed record RefuseRows(int Refused, bool FitFails = false) : Stage
    {
        public override string Kind => "refuse-rows";
        public override JsonObject Config() => new() { ["refused"] = Refused };
        public override Fin<FittedStage> Fit(Frame train) =>
            FitFails ? GenreError.Data("cannot fit here") : new Fitted(this);

        sealed record Fitted(RefuseRows Stage) : FittedStage
        {
            public override Stage Declared => Stage;
            public override JsonObject State() => [];
            public override Fin<Frame> Transform(Frame input) =>
                input.Rows == Stage.Refused ? GenreError.Data($"refused {input.Rows} rows") : input;
            public override Fin<Seq<string>> OutputNames(Seq<string> input) => input;
        }
    }

    [Fact]
    public void A_stage_refusing_a_split_is_named_with_that_split()
    {
        var tracks = Enumerable.Range(0, 100).Select(i => T(i, i % 2 == 0 ? "pop" : "rock", i / 100.0)).ToSeq().Strict();
        var (train, val, test) = Ok(Split.ReportSplit(100));
        Fin<PreparedData> With(RefuseRows stage) => ReportPipeline.Prepare(tracks, None, Pipelines.Report.Then(stage));
        Assert.Equal("training split: cannot fit here", Fail(With(new RefuseRows(-1, FitFails: true))));
        Assert.Equal($"training split: refused {train.Length} rows", Fail(With(new RefuseRows(train.Length))));
        Assert.Equal($"validation split: refused {val.Length} rows", Fail(With(new RefuseRows(val.Length))));
        Assert.Equal($"test split: refused {test.Length} rows", Fail(With(new RefuseRows(test.Length))));
        Assert.True(With(new RefuseRows(-1)).IsSucc);
    }

    const string Header = TestFiles.KaggleHeader;

    static string File(string text) => TestFiles.Write(text, "d.csv");

    [Fact]
    public void Loading_names_the_file_for_each_way_it_can_hold_too_little()
    {
        var headerOnly = File(Header + "\n");
        Assert.Equal($"{headerOnly}: no data rows (only the header)", Fail(ReportPipeline.Load(headerOnly, None)));

        const string row = "5SuOikwiRyPMVoIQDJUgSV,Gen Hoshino,Comedy,Comedy,73,230666,False,0.676,0.461,1,-6.746,0," +
                           "0.143,0.0322,1.01e-06,0.358,0.715,87.917,4,acoustic";
        var repeated = File(Header + "\n0," + row + "\n1," + row + "\n");
        var noNames = File(Header + "\n0,5SuOikwiRyPMVoIQDJUgSV,,,," + row[(row.IndexOf(",73,", StringComparison.Ordinal) + 1)..] + "\n");
        Assert.Equal($"{noNames}: no rows left after cleaning (all 1 lack a value or repeat an earlier row)",
            Fail(ReportPipeline.Load(noNames, None)));
        Assert.StartsWith($"{repeated}: 1 row(s) after cleaning are too few", Fail(ReportPipeline.Load(repeated, None)));
        var mapping = GenreMapping.Create([("no-such-genre", "acoustic")], "m.csv")
            .Match(m => m, _ => throw new InvalidOperationException("a mapping of two names is valid"));
        Assert.Equal($"{repeated}: genre merges: unknown genre 'no-such-genre'",
            Fail(ReportPipeline.Load(repeated, Some(mapping))));
    }

    [Fact]
    public void Describing_a_source_says_what_it_is_in_full_and_synth_writes_a_one_line_sidecar()
    {
        Assert.Equal("SYNTHETIC data (generated by `genre synth`, seed 3, 4 rows per genre) — not the Kaggle file; " +
                     "accuracies are not comparable with the report's",
            new DataSource("s.csv", true, 3, "", 4).Describe());
        var csv = Path.Combine(TestFiles.TempDir(), "s.csv");
        Ok(SyntheticProvenance.Generate(csv, 3, 2));
        Assert.Equal("""{"generator":"genre synth","seed":3,"rows_per_genre":2}""" + "\n",
            System.IO.File.ReadAllText(SyntheticProvenance.SidecarOf(csv)));
    }

    [Fact]
    public void One_row_per_genre_is_allowed_and_none_is_refused()
    {
        var one = Synthetic.Generate(4, 1);
        Assert.Equal(114, one.Count);
        Assert.Equal(KaggleGenres.FileOrder, one.Map(t => t.TrackGenre));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Synthetic.Generate(4, 0));
        Assert.StartsWith("rows per genre must be ≥ 1", e.Message);
    }

    /// <summary>The generator reproduces the files the repository's records were made from: the golden small file (its
    /// sidecar gives seed and rows per genre) byte for byte, and the default file whose sha256 the committed synthetic results
    /// record.</summary>
    [Fact]
    public void The_generator_reproduces_the_committed_synthetic_files()
    {
        var golden = TestFiles.Golden("synthetic-small.csv");
        var sidecar = JsonNode.Parse(System.IO.File.ReadAllText(SyntheticProvenance.SidecarOf(golden)))!;
        var small = Path.Combine(TestFiles.TempDir(), "small.csv");
        Ok(TrackCsv.Save(small, Synthetic.Generate((int)sidecar["seed"]!, (int)sidecar["rows_per_genre"]!)));
        Assert.Equal(System.IO.File.ReadAllBytes(golden), System.IO.File.ReadAllBytes(small));

        var metrics = JsonNode.Parse(System.IO.File.ReadAllText(
            Path.Combine(TestFiles.RepoRoot, "results", "synthetic", "fast", "metrics.json")))!["data"]!;
        var full = Path.Combine(TestFiles.TempDir(), "default.csv");
        Ok(TrackCsv.Save(full, Synthetic.Generate((int)metrics["seed"]!, Synthetic.DefaultRowsPerGenre)));
        Assert.Equal((string)metrics["sha256"]!, Convert.ToHexStringLower(SHA256.HashData(System.IO.File.ReadAllBytes(full))));
    }
}
