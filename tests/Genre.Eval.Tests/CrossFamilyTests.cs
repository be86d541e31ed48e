using System.Text.Json.Nodes;
using Genre.Data.Stages;
using Genre.Models;
using Genre.Models.Backend.Torch;

namespace Genre.Eval.Tests;

/// <summary>Issue 27: a blend across two finished folders, either of which may be a network classifier's or a gbdt run's,
/// scored on the report split.</summary>
public class CrossFamilyTests
{
    static readonly TorchBackend Backend = new();

    /// <summary>Dense(15 → classes, softmax) with fixed weights drawn from <paramref name="seed"/>.</summary>
    static (Sequential Spec, ModelWeights Weights) Model(int classes, int seed)
    {
        var r = new Random(seed);
        var spec = new Sequential(Seq1(15), Seq1<Layer>(new Dense(classes, Activation.Softmax)));
        var kernel = Enumerable.Range(0, 15 * classes).Select(_ => (float)(r.NextDouble() * 4 - 2)).ToArray();
        var bias = Enumerable.Range(0, classes).Select(_ => (float)(r.NextDouble() - 0.5)).ToArray();
        return (spec, new ModelWeights(Seq1(new LayerWeights(0,
            Seq(new NamedTensor("kernel", Seq(15, classes), kernel), new NamedTensor("bias", Seq1(classes), bias))))));
    }

    [Fact]
    public void Two_network_folders_blend_with_the_models_themselves_at_the_ends_of_the_grid()
    {
        var (dir, source) = SmallRuns.SyntheticSource("cross-family");
        var data = Ok(ReportData.Load(source));
        var d = data.Full;
        var p = Preprocessing.Of(d);
        var (val, test) = (LabeledData.From(d.Scaled.Val), LabeledData.From(d.Scaled.Test));
        var accuracies = new List<(double Val, double Test)>();
        foreach (var (name, seed) in new[] { ("first", 1), ("second", 2) })
        {
            var (spec, weights) = Model(d.Genres.Count, seed);
            Ok(new Classifier(p, new StoredClassifier(Seq1(new StoredModel(spec, weights, Some(p))))).Save(Path.Combine(dir, name)));
            // the same model on the data's own scaled rows: what the folder's pipeline must reproduce from the raw tracks
            using var m = Ok(Backend.Load(spec, weights));
            accuracies.Add((Metrics.Accuracy(val, m.Predict(val.X, val.Rows)), Metrics.Accuracy(test, m.Predict(test.X, test.Rows))));
        }
        var r = Ok(CrossFamily.Run(Backend, data, Path.Combine(dir, "first"), Path.Combine(dir, "second"), seed: 2));
        Assert.Equal(accuracies[0].Val, r.FirstVal, 12);
        Assert.Equal(accuracies[1].Val, r.SecondVal, 12);
        Assert.Equal(accuracies[0].Test, r.FirstTest, 12);
        Assert.Equal(accuracies[1].Test, r.SecondTest, 12);
        Assert.Equal(r.SecondVal, r.Blend.Grid.Head.ValAccuracy, 12); // weight 0: the second model alone
        Assert.Equal(r.FirstVal, r.Blend.Grid.Last.ValAccuracy, 12); // weight 1: the first alone
        Assert.True(r.Blend.ValAccuracy >= Math.Max(r.FirstVal, r.SecondVal));
        Assert.Equal(test.Rows, r.AgainstFirst.Rows);
        Assert.Equal(r.Test - r.FirstTest, (r.AgainstFirst.OnlyFirst - r.AgainstFirst.OnlySecond) / (double)test.Rows, 12);
        Assert.True(r.TestInterval.Lower <= r.Test && r.Test <= r.TestInterval.Upper);
    }

    [Fact]
    public void Three_folders_blend_on_the_simplex_grid_with_each_model_at_a_corner()
    {
        var (dir, source) = SmallRuns.SyntheticSource("cross-family-three");
        var data = Ok(ReportData.Load(source));
        var d = data.Full;
        var p = Preprocessing.Of(d);
        var dirs = Seq("a", "b", "c").Map(n => Path.Combine(dir, n)).Strict();
        foreach (var (folder, seed) in dirs.Zip(Seq(5, 6, 7)))
        {
            var (spec, weights) = Model(d.Genres.Count, seed);
            Ok(new Classifier(p, new StoredClassifier(Seq1(new StoredModel(spec, weights, Some(p))))).Save(folder));
        }
        var r = Ok(CrossFamily.RunMany(Backend, data, dirs, seed: 2));
        var pair = Ok(CrossFamily.Run(Backend, data, dirs[0], dirs[1], seed: 2));
        // each model's own accuracies are those the two-folder blend reads
        Assert.Equal((pair.FirstVal, pair.FirstTest), r.Models[0]);
        Assert.Equal((pair.SecondVal, pair.SecondTest), r.Models[1]);
        Assert.Equal(231, r.Blend.Points);
        Assert.Equal(1.0, r.Blend.Weights.Sum(), 9);
        // a grid holding every corner and the two-folder line can only do as well or better on validation
        Assert.True(r.Blend.ValAccuracy >= r.Models.Map(m => m.Val).Max());
        Assert.True(r.Blend.ValAccuracy >= pair.Blend.ValAccuracy);
        Assert.Equal(test(data).Rows, r.AgainstFirst.Rows);
        Assert.Equal(r.Test - r.Models[0].Test, (r.AgainstFirst.OnlyFirst - r.AgainstFirst.OnlySecond) / (double)r.AgainstFirst.Rows, 12);
        // the synthetic file re-lists tracks under several genres: the twins' rows and the others' make up the test accuracy
        var twins = r.Twins.IfNone(() => throw new Xunit.Sdk.XunitException("a blend of folders scores its twins"));
        Assert.True(twins.Rows > 0 && twins.OtherRows > 0);
        Assert.Equal(r.AgainstFirst.Rows, twins.Rows + twins.OtherRows);
        Assert.Equal(r.Test, (twins.Accuracy * twins.Rows + twins.OtherAccuracy * twins.OtherRows) / r.AgainstFirst.Rows, 12);
        var json = CrossFamily.ToJson(r);
        Assert.Equal(twins.Rows, (int)json["twins"]!["rows"]!);
        Assert.Equal(3, json["models"]!.AsArray().Count);
        Assert.Equal(r.Blend.Weights.ToArray(), json["weights"]!.AsArray().Select(w => (double)w!).ToArray());
        Assert.Equal("a blend needs at least two folders, got 1", Fail(CrossFamily.RunMany(Backend, data, Seq1(dirs[0]), seed: 2)));

        static LabeledData test(ReportData data) => LabeledData.From(data.Full.Scaled.Test);
    }

    [Fact]
    public void A_blend_on_a_grouped_split_is_chosen_and_scored_on_that_splits_rows_with_its_metrics()
    {
        var (dir, source) = SmallRuns.SyntheticSource("cross-family-grouped");
        var report = Ok(ReportData.Load(source));
        var data = Ok(report.OnSplit(DataSplit.ArtistAware));
        var d = data.Full;
        var p = Preprocessing.Of(d);
        var dirs = Seq("a", "b").Map(n => Path.Combine(dir, n)).Strict();
        var (val, test) = (LabeledData.From(d.Scaled.Val), LabeledData.From(d.Scaled.Test));
        var own = new List<(float[] Val, float[] Test)>();
        foreach (var (folder, seed) in dirs.Zip(Seq(8, 9)))
        {
            var (spec, weights) = Model(d.Genres.Count, seed);
            Ok(new Classifier(p, new StoredClassifier(Seq1(new StoredModel(spec, weights, Some(p))))).Save(folder));
            using var m = Ok(Backend.Load(spec, weights));
            own.Add((m.Predict(val.X, val.Rows), m.Predict(test.X, test.Rows)));
        }
        var r = Ok(CrossFamily.RunMany(Backend, data, dirs, seed: 2));
        // the artist-aware split's rows, not the report split's: each model's accuracies are those on its own rows
        Assert.NotEqual(report.Full.Scaled.Test.RowIds, d.Scaled.Test.RowIds);
        Assert.Equal(test.Rows, r.AgainstFirst.Rows);
        Assert.Equal(Metrics.Accuracy(val, own[0].Val), r.Models[0].Val, 12);
        Assert.Equal(Metrics.Accuracy(test, own[1].Test), r.Models[1].Test, 12);
        Assert.Equal(DataSplit.ArtistAware, r.Split);
        var pair = Ok(CrossFamily.Run(Backend, data, dirs[0], dirs[1], seed: 2));
        Assert.Equal((r.Models[0].Val, r.Models[1].Test), (pair.FirstVal, pair.SecondTest));
        Assert.Equal(test.Rows, pair.AgainstFirst.Rows);
        Assert.Equal(DataSplit.ArtistAware, pair.Split);
        Assert.True(pair.Scores.Exists(x => x.Top1 == pair.Test && x.Top5 >= x.Top3 && x.Top3 >= x.Top1));
        // the scores are the mixed probabilities' own, the same weights as the blend chose
        var mixed = WeightedBlend.Mix(Seq(own[0].Test, own[1].Test), r.Blend.Weights);
        var s = r.Scores.IfNone(() => throw new Xunit.Sdk.XunitException("a blend of folders has scores"));
        var expected = ProbabilityMetrics.Of(new ScoredRows("blend", test.Y, Metrics.Argmax(mixed, test.Classes), d.Genres.Classes, false),
            mixed, Some(ProbabilityMetrics.ListedGenres(data.Cleaned, d.Scaled.Test.RowIds, d.Genres.Classes, GenreMapping.Identity)),
            GenreMapping.ReportMerges);
        Assert.Equal(r.Test, s.Top1, 12);
        Assert.Equal((expected.Top3, expected.Top5, expected.MacroF1, expected.Family, expected.Ece),
            (s.Top3, s.Top5, s.MacroF1, s.Family, s.Ece));
        Assert.Equal(expected.AnyListedGenre, s.AnyListedGenre);
        var json = CrossFamily.ToJson(r);
        Assert.Equal("artist-aware", (string)json["split"]!);
        Assert.Equal(s.Top5, (double)json["scores"]!["top5_accuracy"]!);
    }

    [Fact]
    public void Data_on_another_split_holds_that_splits_positions_and_comes_back_to_the_report_split()
    {
        var (_, source) = SmallRuns.SyntheticSource("cross-family-positions");
        var report = Ok(ReportData.Load(source));
        foreach (var (split, divide) in Seq<(DataSplit, Func<Seq<Track>, Fin<(int[] Train, int[] Val, int[] Test)>>)>(
                     (DataSplit.TrackAware, TrackAware.Split), (DataSplit.ArtistAware, ArtistAware.Split)))
        {
            var grouped = Ok(report.OnSplit(split));
            var (train, val, test) = Ok(grouped.Positions());
            var expected = Ok(divide(report.Cleaned));
            Assert.Equal(expected.Train, train);
            Assert.Equal(expected.Val, val);
            Assert.Equal(expected.Test, test);
            Assert.Equal(test.Select(i => report.Cleaned[i].RowId).ToArray(), grouped.Full.Scaled.Test.RowIds);
            Assert.Equal(val.Select(i => report.Cleaned[i].RowId).ToArray(), grouped.Full.Scaled.Val.RowIds);
            Assert.Same(grouped, Ok(grouped.OnSplit(split)));
            var back = Ok(grouped.OnSplit(DataSplit.Report));
            Assert.Equal(DataSplit.Report, back.Split);
            Assert.Equal(report.Full.Scaled.Test.RowIds, back.Full.Scaled.Test.RowIds);
            Assert.Equal(Ok(report.Positions()).Test, Ok(back.Positions()).Test);
        }
        var (_, _, reportTest) = Ok(report.Positions());
        Assert.Equal(reportTest.Select(i => report.Cleaned[i].RowId).ToArray(), report.Full.Scaled.Test.RowIds);
    }

    [Fact]
    public void A_folder_of_other_genres_is_refused_naming_it()
    {
        var (dir, source) = SmallRuns.SyntheticSource("cross-family-genres");
        var data = Ok(ReportData.Load(source));
        var p = Preprocessing.Of(data.Full);
        var (spec, weights) = Model(data.Full.Genres.Count, 3);
        var good = Path.Combine(dir, "good");
        Ok(new Classifier(p, new StoredClassifier(Seq1(new StoredModel(spec, weights, Some(p))))).Save(good));
        var reduced = data.Reduced;
        var q = Preprocessing.Of(reduced);
        var (other, otherWeights) = Model(reduced.Genres.Count, 4);
        var bad = Path.Combine(dir, "bad");
        Ok(new Classifier(q, new StoredClassifier(Seq1(new StoredModel(other, otherWeights, Some(q))))).Save(bad));
        Assert.Equal($"{bad}: predicts other genres than the data's {data.Full.Genres.Count}",
            Fail(CrossFamily.Run(Backend, data, good, bad, seed: 2)));
    }
}

/// <summary>Identical-feature twins across a split, and a model scored apart on them.</summary>
public class TwinsTests
{
    [Fact]
    public void A_test_row_gets_the_sorted_genres_of_its_exact_twins_in_training_and_none_without_one()
    {
        var x = new Matrix(6, 2, [1, 2, 1, 2, 3, 4, 1, 2, 3, 4.0000001, 5, 6]);
        var genres = Twins.GenresOfTwins(x, train: [0, 1, 2, 5], trainLabels: [7, 3, 1, 7], test: [3, 4]);
        Assert.Equal(new[] { 3, 7 }, genres[0]); // rows 0 and 1, labels 7 and 3
        Assert.Empty(genres[1]);                 // 4.0000001 is not 4
    }

    [Fact]
    public void Scores_split_the_rows_by_twin_and_count_predictions_of_a_twins_genre()
    {
        int[][] twins = [[2], [], [1, 3], [], []];
        var s = Twins.Score(twins, labels: [0, 1, 2, 3, 4], predicted: [2, 1, 2, 0, 4]);
        Assert.Equal(new TwinScores(2, 0.5, 0.5, 3, 2.0 / 3), s);
        Assert.Equal(new TwinScores(0, 0, 0, 1, 1), Twins.Score([[]], [5], [5]));
    }
}

/// <summary>The committed blend (results/kaggle/beyond/tabm/blend.json) re-scores from its two committed folders on the Kaggle
/// file to exactly what the file records; so does the three-family blend (results/kaggle/beyond/realmlp/blend.json).</summary>
public class CommittedBlendTests
{
    [RealDataFact]
    public void The_blend_of_tabular_ensemble_tabm_and_realmlp_rescores_to_its_committed_record()
    {
        var path = Path.Combine(Inputs.RepoRoot, "results", "kaggle", "beyond", "realmlp", "blend.json");
        var recorded = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var folders = recorded["folders"]!.AsArray().Select(f => (string)f!).ToSeq().Strict();
        var data = Ok(ReportData.Load(Ok(DataSource.Of(Environment.GetEnvironmentVariable("GENRE_DATA")!))));
        var r = Ok(CrossFamily.RunMany(new TorchBackend(), data, folders.Map(f => Path.Combine(Inputs.RepoRoot, f)).Strict(), seed: 2));
        var again = CrossFamily.ToJson(r with { Folders = folders });
        Assert.True(JsonNode.DeepEquals(recorded, again), again.ToJsonString());
    }

    [RealDataFact]
    public void The_blend_of_tabular_ensemble_and_tabm_rescores_to_its_committed_record()
    {
        var path = Path.Combine(Inputs.RepoRoot, "results", "kaggle", "beyond", "tabm", "blend.json");
        var recorded = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var (first, second) = ((string)recorded["first"]!, (string)recorded["second"]!);
        var data = Ok(ReportData.Load(Ok(DataSource.Of(Environment.GetEnvironmentVariable("GENRE_DATA")!))));
        var r = Ok(CrossFamily.Run(new TorchBackend(), data, Path.Combine(Inputs.RepoRoot, first), Path.Combine(Inputs.RepoRoot, second),
            seed: 2));
        var again = CrossFamily.ToJson(r, first, second);
        Assert.True(JsonNode.DeepEquals(recorded, again), again.ToJsonString());
    }
}
