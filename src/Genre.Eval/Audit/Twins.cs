using Genre.Data;

namespace Genre.Eval;

/// <summary>
/// How a model fares on the test rows that have an identical-feature twin in training against the other test rows. On the
/// report split a twin is mostly the same track listed under another genre (the file lists a track once per genre, so that
/// twin's genre is not the row's); on a track-aware split it can only be another release of the same recording.
/// </summary>
/// <param name="Rows">Test rows with a twin in training.</param>
/// <param name="Accuracy">Accuracy on those rows.</param>
/// <param name="PredictedTwinGenre">Share of those rows predicted as one of their twins' genres (wrong whenever the twin is
/// the same track under another genre).</param>
/// <param name="OtherRows">Test rows without a twin.</param>
/// <param name="OtherAccuracy">Accuracy on those rows.</param>
public sealed record TwinScores(int Rows, double Accuracy, double PredictedTwinGenre, int OtherRows, double OtherAccuracy);

/// <summary>Identical-feature twins across a split: the report's 15 features compared bit for bit.</summary>
public static class Twins
{
    /// <summary>
    /// For each row of <paramref name="test"/> (positions into <paramref name="x"/>'s rows), the labels of the rows of
    /// <paramref name="train"/> with exactly its features (<paramref name="trainLabels"/> in <paramref name="train"/>'s order);
    /// empty when it has no twin.
    /// </summary>
    public static int[][] GenresOfTwins(Matrix x, int[] train, int[] trainLabels, int[] test)
    {
        var byKey = new Dictionary<string, System.Collections.Generic.HashSet<int>>();
        for (var k = 0; k < train.Length; k++)
        {
            var key = Key(x, train[k]);
            if (!byKey.TryGetValue(key, out var labels)) byKey[key] = labels = new();
            labels.Add(trainLabels[k]);
        }
        return test.Select(i => byKey.TryGetValue(Key(x, i), out var labels) ? labels.Order().ToArray() : []).ToArray();
    }

    /// <summary>The scores of <paramref name="predicted"/> against <paramref name="labels"/> (the test rows'), split by whether
    /// a row has a twin (<paramref name="twinGenres"/> from <see cref="GenresOfTwins"/>).</summary>
    public static TwinScores Score(int[][] twinGenres, int[] labels, int[] predicted)
    {
        var twin = Enumerable.Range(0, labels.Length).Where(i => twinGenres[i].Length > 0).ToArray();
        var other = Enumerable.Range(0, labels.Length).Where(i => twinGenres[i].Length == 0).ToArray();
        double Share(int[] rows, Func<int, bool> hit) => rows.Length == 0 ? 0 : (double)rows.Count(hit) / rows.Length;
        return new TwinScores(twin.Length, Share(twin, i => predicted[i] == labels[i]),
            Share(twin, i => twinGenres[i].Contains(predicted[i])), other.Length, Share(other, i => predicted[i] == labels[i]));
    }

    static string Key(Matrix x, int row) => string.Join(",", x.Row(row).ToArray().Select(v => BitConverter.DoubleToInt64Bits(v)));
}
