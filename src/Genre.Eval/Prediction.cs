using System.Globalization;
using System.Text;
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval;

/// <summary>How a labelled file of tracks was classified: rows whose genre the model knows, and how many of all rows were right.</summary>
public sealed record PredictionScore(int Rows, int Correct, int UnknownGenres)
{
    /// <summary>Correct over all labelled rows (a genre the model does not know counts as wrong).</summary>
    public double Accuracy => Rows == 0 ? 0 : (double)Correct / Rows;
}

/// <summary>
/// Softmax outputs for a file of tracks (rows × classes, row-major, in the file's order), the rows' Kaggle ids, and what the
/// preprocessing saw: rows with a feature outside the training range (per feature), and the score when the file had genres.
/// </summary>
public sealed record TrackPredictions(long[] RowIds, float[] Probabilities, Seq<string> Genres, int RowsOutOfRange,
    int[] OutOfRangeByFeature,
                                      Option<PredictionScore> Score)
{
    /// <summary>Number of classes (columns of <see cref="Probabilities"/>).</summary>
    public int Classes => Genres.Count;
    /// <summary>Number of tracks (rows of <see cref="Probabilities"/>).</summary>
    public int Rows => RowIds.Length;
}

/// <summary>Classifying new tracks with a model and its preprocessing, as pure steps around the model's forward pass.</summary>
public static class Prediction
{
    /// <summary>The model's float32 input for the tracks (scaled, and encoded, as in training) and the raw features' range
    /// check.</summary>
    public static Fin<(float[] X, int RowsOutOfRange, int[] OutOfRange)> Input(Preprocessing p, Seq<Track> tracks, string file) =>
        p.Input(tracks, file).Map(input => (System.Array.ConvertAll(input.Values, v => (float)v), p.RowsOutOfRange(tracks),
            p.OutOfRange(tracks)));

    /// <summary>
    /// Scales <paramref name="tracks"/> with <paramref name="p"/>, runs the model and, when the file has genres, scores the
    /// top-1 prediction. A data error (naming <paramref name="file"/>) when a track's <c>explicit</c> value never occurred in training.
    /// </summary>
    public static Fin<TrackPredictions> Run(ICompiledModel model, Preprocessing p, TrackFile tracks, string file) =>
        Run((x, rows) => FinSucc(model.Predict(x, rows)), p, tracks, file);

    /// <summary>As <see cref="Run(ICompiledModel, Preprocessing, TrackFile, string)"/> with a <see cref="Classifier"/> (one model or
    /// an ensemble) on <paramref name="backend"/>.</summary>
    public static Fin<TrackPredictions> Run(IBackend backend, Classifier c, TrackFile tracks, string file) =>
        Run((x, rows) => Classifiers.Predict(backend, c.Model, x, rows), c.Preprocessing, tracks, file);

    /// <summary>As <see cref="Run(ICompiledModel, Preprocessing, TrackFile, string)"/> with any function from input rows to their
    /// probabilities.</summary>
    public static Fin<TrackPredictions> Run(Func<float[], int, Fin<float[]>> classify, Preprocessing p, TrackFile tracks, string file) =>
        from input in Input(p, tracks.Tracks, file)
        from probabilities in classify(input.X, tracks.Tracks.Count)
        select new TrackPredictions(tracks.Tracks.Map(t => t.RowId).ToArray(), probabilities, p.Genres.Classes, input.RowsOutOfRange,
            input.OutOfRange,
            tracks.HasGenre ? Some(Score(p, tracks.Tracks, probabilities)) : None);

    static PredictionScore Score(Preprocessing p, Seq<Track> tracks, float[] probabilities)
    {
        var classes = p.Genres.Count;
        int correct = 0, unknown = 0, i = 0;
        foreach (var t in tracks)
        {
            switch (p.Label(t).Case)
            {
                case int label when TopK(probabilities.AsSpan(i * classes, classes), 1)[0] == label: correct++; break;
                case int: break;
                default: unknown++; break;
            }
            i++;
        }
        return new PredictionScore(tracks.Count, correct, unknown);
    }

    /// <summary>The k most probable classes, most probable first; equal probabilities keep class order (as argmax).</summary>
    public static int[] TopK(ReadOnlySpan<float> row, int k)
    {
        var best = new int[Math.Min(k, row.Length)];
        var n = 0;
        for (var c = 0; c < row.Length; c++)
        {
            if (n == best.Length && row[c] <= row[best[n - 1]]) continue;
            var pos = n < best.Length ? n++ : n - 1;
            while (pos > 0 && row[c] > row[best[pos - 1]]) { best[pos] = best[pos - 1]; pos--; }
            best[pos] = c;
        }
        return best;
    }

    /// <summary><c>row_id</c>, then <c>genre_j,probability_j</c> for j = 1..k (probabilities as float32, round-trip).</summary>
    public static void WriteCsv(TrackPredictions r, int k, TextWriter w)
    {
        k = Math.Min(k, r.Classes);
        w.Write("row_id");
        for (var j = 1; j <= k; j++) w.Write($",genre_{j},probability_{j}");
        w.Write('\n');
        var sb = new StringBuilder(64 * k);
        for (var i = 0; i < r.Rows; i++)
        {
            sb.Clear().Append(r.RowIds[i].ToString(CultureInfo.InvariantCulture));
            var row = r.Probabilities.AsSpan(i * r.Classes, r.Classes);
            foreach (var c in TopK(row, k))
                sb.Append(',').Append(TrackCsv.Quote(r.Genres[c])).Append(',').Append(row[c].ToString("R", CultureInfo.InvariantCulture));
            sb.Append('\n');
            w.Write(sb);
        }
    }

    /// <summary>One warning line for rows outside the training range, or None when every feature was within it.</summary>
    public static Option<string> RangeWarning(TrackPredictions r) =>
        r.RowsOutOfRange == 0 ? None : Some(
            $"warning: {r.RowsOutOfRange:N0} of {r.Rows:N0} rows have features outside the training range (the scaler extrapolates): " +
            string.Join(", ", Track.FeatureColumns.Zip(r.OutOfRangeByFeature).Where(p => p.Item2 > 0)
                .Select(p => $"{p.Item1} {p.Item2:N0}")));
}
