namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// Prediction's pure steps in Genre.Eval's own tests (Stryker over <c>Prediction.cs</c> found them checked only through the
/// CLI's tests): top-k against a stable sort, the score of a labelled file with genres the model does not know, the CSV of the
/// top k and the out-of-range warning.
/// </summary>
public class PredictionMutationTests
{
    static readonly string Tiny = Path.Combine(Inputs.RepoRoot, "tests", "golden", "data", "synthetic-tiny.csv");

    /// <summary>The k most probable classes by a stable sort: probability descending, class ascending on ties.</summary>
    static int[] Reference(float[] row, int k) =>
        Enumerable.Range(0, row.Length).OrderByDescending(c => row[c]).ThenBy(c => c).Take(k).ToArray();

    [Fact]
    public void Top_k_is_a_stable_sort_of_the_row_by_probability_cut_at_k()
    {
        var r = new Random(8);
        for (var trial = 0; trial < 500; trial++)
        {
            // few distinct values, so ties are common; k from 1 to past the row's length
            var row = Enumerable.Range(0, 1 + r.Next(9)).Select(_ => r.Next(4) / 4f).ToArray();
            var k = 1 + r.Next(row.Length + 2);
            Assert.Equal(Reference(row, k), Prediction.TopK(row, k));
        }
        Assert.Equal([2, 0, 1], Prediction.TopK([0.3f, 0.1f, 0.6f], 5));
        Assert.Equal([1], Prediction.TopK([0.2f, 0.8f], 1));
    }

    [Fact]
    public void A_score_is_correct_rows_over_all_rows_and_zero_for_no_rows()
    {
        Assert.Equal(0.75, new PredictionScore(4, 3, 0).Accuracy);
        Assert.Equal(0, new PredictionScore(0, 0, 0).Accuracy);
    }

    [Fact]
    public void A_labelled_file_is_scored_on_its_top_1_with_unknown_genres_counted_wrong()
    {
        var loaded = Ok(ReportPipeline.Load(Tiny, None));
        var p = Preprocessing.Of(loaded.Data);
        var classes = p.Genres.Count;
        // six tracks of six genres, so no row's probabilities could stand for another's
        var tracks = loaded.Cleaned.GroupBy(t => t.TrackGenre).Select(g => g.First()).Take(6).ToSeq().Strict();
        var unknown = tracks[5] with { TrackGenre = "no-such-genre" };
        var file = new TrackFile(tracks.Take(5).ToSeq().Add(unknown).Strict(), HasGenre: true);
        // rows 0, 2 and 4 put their mass on the true genre, rows 1 and 3 on another, row 5 anywhere
        var probabilities = new float[6 * classes];
        for (var i = 0; i < 6; i++)
        {
            var label = p.Label(file.Tracks[i]).IfNone(0);
            probabilities[i * classes + (i % 2 == 0 ? label : (label + 1) % classes)] = 1;
        }
        var r = Ok(Prediction.Run((x, rows) => FinSucc(probabilities), p, file, "new.csv"));
        Assert.Equal(new PredictionScore(6, 3, 1), r.Score);
        Assert.Equal(file.Tracks.Map(t => t.RowId).ToArray(), r.RowIds);
        Assert.Equal(6, r.Rows);
        Assert.Equal(classes, r.Classes);
        Assert.True(Ok(Prediction.Run((x, rows) => FinSucc(probabilities), p, file with { HasGenre = false }, "new.csv")).Score.IsNone);
    }

    [Fact]
    public void The_csv_lists_row_id_then_the_top_k_genres_quoted_with_their_probabilities()
    {
        var r = new TrackPredictions([7, 9], [0.25f, 0.5f, 0.25f, 0.1f, 0.2f, 0.7f], Seq("a", "b,c", "d"), 0, new int[15], None);
        var w = new StringWriter();
        Prediction.WriteCsv(r, 2, w);
        Assert.Equal("row_id,genre_1,probability_1,genre_2,probability_2\n7,\"b,c\",0.5,a,0.25\n9,d,0.7,\"b,c\",0.2\n", w.ToString());
        var all = new StringWriter();
        Prediction.WriteCsv(r, 10, all); // k past the classes lists every class once
        Assert.StartsWith("row_id,genre_1,probability_1,genre_2,probability_2,genre_3,probability_3\n7,", all.ToString());
    }

    [Fact]
    public void Rows_outside_the_training_range_give_one_warning_naming_each_feature_with_its_count()
    {
        var counts = new int[15];
        counts[1] = 2;
        counts[14] = 1_200;
        var r = new TrackPredictions(new long[3000], [], Seq1("a"), 1_201, counts, None);
        Assert.Equal("warning: 1,201 of 3,000 rows have features outside the training range (the scaler extrapolates): " +
                     $"{Track.FeatureColumns[1]} 2, {Track.FeatureColumns[14]} 1,200", Prediction.RangeWarning(r).IfNone(""));
        Assert.True(Prediction.RangeWarning(r with { RowsOutOfRange = 0 }).IsNone);
    }
}
