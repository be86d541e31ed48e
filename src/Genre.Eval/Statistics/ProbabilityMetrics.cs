using Genre.Data;

namespace Genre.Eval;

/// <summary>One bin of a reliability diagram: the rows whose top probability fell in [Low, High).</summary>
public sealed record ReliabilityBin(double Low, double High, int Rows, double Confidence, double Accuracy);

/// <summary>
/// What a user of <c>genre predict --top-k</c> asks of a model beyond its accuracy, on the test rows:
/// </summary>
/// <param name="Top1">Accuracy.</param>
/// <param name="Top3">Share of rows whose genre is among the 3 most probable.</param>
/// <param name="Top5">Share of rows whose genre is among the 5 most probable.</param>
/// <param name="MacroF1">Per-genre F1, averaged over the genres present (scikit-learn's <c>f1_score(average="macro")</c>).</param>
/// <param name="AnyListedGenre">Accuracy counting a prediction right when it is any genre the track is listed under in the cleaned
/// file (the same track_id appears under several genres); None when the tracks are not known.</param>
/// <param name="Family">Accuracy under the report's 66-genre merges: right when the predicted and true genres merge to the same
/// one (for a model trained on the merged genres, its accuracy).</param>
/// <param name="Ece">Expected calibration error: the rows-weighted mean gap between confidence (the top probability) and
/// accuracy over <see cref="ProbabilityMetrics.Bins"/> equal-width bins.</param>
/// <param name="Reliability">The bins behind <paramref name="Ece"/> (empty bins left out).</param>
public sealed record ProbabilityMetrics(double Top1, double Top3, double Top5, double MacroF1, Option<double> AnyListedGenre,
                                        double Family, double Ece, Seq<ReliabilityBin> Reliability)
{
    /// <summary>Equal-width confidence bins over [0, 1], as Guo et al. (2017) "On Calibration of Modern Neural Networks".</summary>
    public const int Bins = 15;

    /// <summary>
    /// The metrics of one model's test probabilities (rows × classes, row-major, in <paramref name="rows"/>' order).
    /// <paramref name="listed"/> gives, per test row, the classes its track is listed under (None: not known);
    /// <paramref name="family"/> merges class names into families.
    /// </summary>
    public static ProbabilityMetrics Of(ScoredRows rows, float[] probabilities, Option<Func<int, int[]>> listed, GenreMapping family)
    {
        var k = rows.Classes.Count;
        var y = rows.Labels;
        var predicted = Metrics.Argmax(probabilities, k);
        var familyOf = rows.Classes.Map(family.Apply).ToArray();
        var familyHits = y.Select((label, i) => familyOf[label] == familyOf[predicted[i]]).Count(h => h);
        var anyListed = listed.Map(of => (double)y.Select((_, i) => of(i).Contains(predicted[i])).Count(h => h) / Math.Max(1, y.Length));
        var (ece, bins) = Calibration(y, probabilities, predicted, k);
        return new ProbabilityMetrics(Metrics.Accuracy(y, predicted), Metrics.TopK(y, probabilities, k, 3),
            Metrics.TopK(y, probabilities, k, 5), Metrics.MacroF1(Metrics.Confusion(y, predicted, k)), anyListed,
            (double)familyHits / Math.Max(1, y.Length), ece, bins);
    }

    /// <summary>ECE and its bins: a row's confidence is its top probability; bin b holds confidences in [b/15, (b+1)/15), the
    /// last bin closed at 1.</summary>
    public static (double Ece, Seq<ReliabilityBin> Bins) Calibration(int[] labels, float[] probabilities, int[] predicted, int classes)
    {
        var count = new int[Bins];
        var confidence = new double[Bins];
        var hits = new int[Bins];
        for (var i = 0; i < labels.Length; i++)
        {
            double top = probabilities[i * classes + predicted[i]];
            var b = Math.Clamp((int)(top * Bins), 0, Bins - 1);
            count[b]++;
            confidence[b] += top;
            if (predicted[i] == labels[i]) hits[b]++;
        }
        var bins = Enumerable.Range(0, Bins).Where(b => count[b] > 0)
            .Select(b => new ReliabilityBin((double)b / Bins, (double)(b + 1) / Bins, count[b], confidence[b] / count[b],
                (double)hits[b] / count[b]))
            .ToSeq().Strict();
        var ece = bins.Sum(b => b.Rows * Math.Abs(b.Accuracy - b.Confidence)) / Math.Max(1, labels.Length);
        return (ece, bins);
    }

    /// <summary>
    /// Per test row, the classes its track is listed under anywhere in <paramref name="cleaned"/> (row ids → track ids → genres,
    /// each genre mapped and encoded as the model's classes; genres the model does not know are left out).
    /// </summary>
    public static Func<int, int[]> ListedGenres(Seq<Track> cleaned, long[] testRowIds, Seq<string> classes, GenreMapping mapping)
    {
        var index = classes.Map((i, c) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var genresOfTrack = cleaned.GroupBy(t => t.TrackId)
            .ToDictionary(g => g.Key, g => g.Select(t => mapping.Apply(t.TrackGenre)).Where(index.ContainsKey).Select(c => index[c])
                .Distinct().ToArray());
        var trackOfRow = cleaned.GroupBy(t => t.RowId).ToDictionary(g => g.Key, g => g.First().TrackId);
        var perRow = testRowIds.Select(r => trackOfRow.TryGetValue(r, out var id) ? genresOfTrack[id] : []).ToArray();
        return i => perRow[i];
    }
}
