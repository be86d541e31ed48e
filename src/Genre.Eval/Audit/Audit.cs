using System.Text;
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval;

/// <summary>One measured line of the audit.</summary>
public sealed record AuditFinding(string Question, string Measure, string Value);

/// <summary>
/// Measures what the report says in prose about the Kaggle notebooks: leakage through the unnamed index (the file is sorted
/// by genre), training on the test set, the same track listed under several genres, identical-feature twins across the
/// split, and a track-aware evaluation.
/// </summary>
public static class Audit
{
    /// <summary>How the audit trains DNN1 for each of its four probes (baseline, index as a feature, test set in training, track-aware
    /// split).</summary>
    /// <param name="Epochs">Training epochs.</param>
    /// <param name="BatchSize">Rows per Adam step.</param>
    /// <param name="Seed">Seed of the weights' initialisation and of the shuffles.</param>
    public sealed record Options(int Epochs = 10, int BatchSize = 512, int Seed = 2);

    /// <summary>
    /// Measures each finding on <paramref name="cleaned"/> (the cleaned Kaggle-format tracks), training with
    /// <paramref name="o"/> where a finding needs a model. Fails with the first data or model error.
    /// </summary>
    public static Fin<Seq<AuditFinding>> Run(IBackend backend, Seq<Track> cleaned, Options o)
    {
        var genres = LabelEncoding.Fit(cleaned.Map(t => t.TrackGenre));
        var y = genres.EncodeAll(cleaned.Map(t => t.TrackGenre));
        var x = Features.Of(cleaned);
        var withIndex = WithIndex(x, cleaned);
        return from split in Split.ReportSplit(cleaned.Count)
               from plain in Score(backend, x, y, genres.Count, split.Train, split.Test, o)
               from leaky in Score(backend, withIndex, y, genres.Count, split.Train, split.Test, o)
               from peeking in Score(backend, x, y, genres.Count, split.Train.Concat(split.Test).ToArray(), split.Test, o)
               from grouped in GroupSplit(cleaned)
               from trackAware in Score(backend, x, y, genres.Count, grouped.Train, grouped.Test, o)
               let crossGenre = SharedTrackIds(cleaned)
               let twins = TwinsOf(x, split.Train, split.Test)
               let anyGenre = AnyGenreAccuracy(cleaned, genres, grouped.Test, trackAware.Predictions)
               select Seq(
                   new AuditFinding("baseline (DNN1, report split)", "test accuracy", $"{plain.Accuracy:F4}"),
                   new AuditFinding("unnamed index kept as a feature", "test accuracy",
                       $"{leaky.Accuracy:F4} ({(leaky.Accuracy - plain.Accuracy) * 100:+0.0;-0.0} pt)"),
                   new AuditFinding("training set includes the test set", "test accuracy",
                       $"{peeking.Accuracy:F4} ({(peeking.Accuracy - plain.Accuracy) * 100:+0.0;-0.0} pt)"),
                   new AuditFinding("rows sharing a track_id with a row of another genre", "cleaned rows",
                       $"{crossGenre:N0} of {cleaned.Count:N0} ({100.0 * crossGenre / cleaned.Count:F1}%)"),
                   new AuditFinding("test rows with an identical-feature twin in train", "test rows",
                       $"{twins:N0} of {split.Test.Length:N0} ({100.0 * twins / split.Test.Length:F1}%)"),
                   new AuditFinding("track-aware split (group by track_id)", "test accuracy", $"{trackAware.Accuracy:F4}"),
                   new AuditFinding("track-aware, any of the track's genres counts", "test accuracy", $"{anyGenre:F4}"));
    }

    sealed record Scored(double Accuracy, int[] Predictions);

    /// <summary>Trains DNN1 (input width from the data) on the given rows, MinMax-scaled on them, and scores the test rows.</summary>
    static Fin<Scored> Score(IBackend backend, Matrix x, int[] y, int classes, int[] train, int[] test, Options o)
    {
        var scaler = MinMaxScaler.Fit(Features.Take(x, train));
        LabeledData Data(int[] rows) => new(scaler.Transform(Features.Take(x, rows)).Values.Select(v => (float)v).ToArray(), rows.Length,
            rows.Select(i => y[i]).ToArray(), classes);
        var spec = Zoo.Dnn1(classes) with { InputShape = Seq1(x.Cols), Name = "audit-dnn1" };
        var testData = Data(test);
        return backend.Compile(spec, o.Seed).Use(model =>
            from history in model.Fit(Data(train), None, new TrainingConfig(o.Epochs, o.BatchSize, o.Seed, new AdamSettings()))
            let predictions = Metrics.Argmax(model.Predict(testData.X, testData.Rows), classes)
            select new Scored(Metrics.Accuracy(testData.Y, predictions), predictions));
    }

    static Matrix WithIndex(Matrix x, Seq<Track> tracks)
    {
        var cols = x.Cols + 1;
        var v = new double[x.Rows * cols];
        var ids = tracks.Map(t => (double)t.RowId).ToArray();
        for (var r = 0; r < x.Rows; r++)
        {
            v[r * cols] = ids[r];
            System.Array.Copy(x.Values, r * x.Cols, v, r * cols + 1, x.Cols);
        }
        return new Matrix(x.Rows, cols, v);
    }

    /// <summary>Split by track: all rows of one track_id land in the same subset (test = 20% of tracks, seed 42).</summary>
    static Fin<SplitIndices> GroupSplit(Seq<Track> tracks)
    {
        var ids = tracks.Map(t => t.TrackId).Distinct().ToArray();
        return Split.TrainTestSplit(ids.Length, 0.2, 42).Map(s =>
        {
            var testIds = s.Test.Select(i => ids[i]).ToHashSet();
            var rows = tracks.Select((t, i) => (t, i)).ToArray();
            return new SplitIndices(rows.Where(p => !testIds.Contains(p.t.TrackId)).Select(p => p.i).ToArray(),
                                    rows.Where(p => testIds.Contains(p.t.TrackId)).Select(p => p.i).ToArray());
        });
    }

    static int SharedTrackIds(Seq<Track> tracks) =>
        tracks.GroupBy(t => t.TrackId).Where(g => g.Select(t => t.TrackGenre).Distinct().Count() > 1).Sum(g => g.Count());

    static int TwinsOf(Matrix x, int[] train, int[] test) =>
        Twins.GenresOfTwins(x, train, new int[train.Length], test).Count(genres => genres.Length > 0);

    static double AnyGenreAccuracy(Seq<Track> tracks, LabelEncoding genres, int[] test, int[] predictions)
    {
        var byTrack = tracks.GroupBy(t => t.TrackId).ToDictionary(g => g.Key, g => g.Select(t => t.TrackGenre).ToHashSet());
        var hits = test.Select((row, k) => byTrack[tracks[row].TrackId].Contains(genres.Decode(predictions[k]))).Count(b => b);
        return test.Length == 0 ? 0 : (double)hits / test.Length;
    }

    /// <summary>The findings as the audit's Markdown report, headed by a note on the data: synthetic, the Kaggle file, or another file
    /// (with its sha256).</summary>
    public static string Markdown(DataSource source, Seq<AuditFinding> findings)
    {
        var sb = new StringBuilder("# Audit: what the Kaggle notebooks' high accuracies rest on\n\n");
        sb.Append(source.IsSynthetic
            ? $"> **Data: SYNTHETIC** (`{source.FileName}`, seed {source.Seed}). The synthetic file is sorted by genre and re-lists " +
                $"tracks under several genres like the real one, so the effects are measurable, but their sizes are not the real " +
                    $"file's.\n\n"
            : source.IsKaggleFile
                ? $"Data: the Kaggle file the report used, `{source.FileName}` (sha256 `{source.Sha256}`).\n\n"
                : $"Data: `{source.FileName}` (sha256 `{source.Sha256}`) — not generated by `genre synth`, and not the Kaggle file the " +
                    $"report used (another sha256); the sizes are this file's.\n\n");
        sb.Append("| question | measure | value |\n|---|---|---|\n");
        foreach (var f in findings) sb.Append($"| {f.Question} | {f.Measure} | {f.Value} |\n");
        return sb.ToString();
    }
}
