using FsCheck;
using FsCheck.Fluent;
using Genre.Data;
using Genre.Data.Stages;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Genre.Testing.Laws;

/// <summary>
/// The laws a classifier from tracks to genres obeys, as functions (each a <c>Fin</c> whose error says what broke) and as FsCheck
/// properties over generated tracks: each row's probabilities sum to 1; a track's probabilities do not depend on the other rows
/// (their order, or how the tracks are split into calls); saving and loading the folder predicts identically; the ONNX export
/// with its pipeline in the graph agrees with genre. Run them on a classifier of your own (a model you trained, your pipeline).
/// </summary>
public static class ClassifierLaws
{
    /// <summary>Every row of the classifier's output sums to 1 within <paramref name="tolerance"/>, each probability in [0, 1].</summary>
    public static Fin<Unit> ProbabilitiesSumToOne(IBackend backend, Classifier c, Seq<Track> tracks, double tolerance = 1e-6) =>
        c.Probabilities(backend, tracks).Bind(p =>
        {
            var k = c.Genres.Count;
            for (var r = 0; r < tracks.Count; r++)
            {
                var sum = 0.0;
                for (var j = 0; j < k; j++)
                {
                    var v = p[r * k + j];
                    if (!(v >= 0 && v <= 1)) return Broken($"row {r}: probability {v} of {c.Genres[j]} is outside [0, 1]");
                    sum += v;
                }
                if (Math.Abs(sum - 1) > tolerance) return Broken($"row {r}: probabilities sum to {sum:R}");
            }
            return FinSucc(unit);
        });

    /// <summary>Predicting the tracks in the order <paramref name="permutation"/> gives each track the probabilities it had in
    /// the original order (within <paramref name="tolerance"/>).</summary>
    public static Fin<Unit> RowOrderDoesNotMatter(IBackend backend, Classifier c, Seq<Track> tracks, int[] permutation,
                                                  double tolerance = 1e-6) =>
        from all in c.Probabilities(backend, tracks)
        from shuffled in c.Probabilities(backend, permutation.Select(i => tracks[i]).ToSeq().Strict())
        from _ in Close(c.Genres.Count, permutation.Select((track, row) => (track, row)),
                        all, shuffled, tolerance, (track, row) => $"track {track}, predicted at row {row} of a shuffled call")
        select unit;

    /// <summary>Predicting the first <paramref name="cut"/> tracks and the rest in two calls gives each track the probabilities
    /// one call gives it (within <paramref name="tolerance"/>).</summary>
    public static Fin<Unit> BatchingDoesNotMatter(IBackend backend, Classifier c, Seq<Track> tracks, int cut, double tolerance = 1e-6) =>
        from all in c.Probabilities(backend, tracks)
        from head in c.Probabilities(backend, tracks.Take(cut).ToSeq().Strict())
        from tail in c.Probabilities(backend, tracks.Skip(cut).ToSeq().Strict())
        from _ in Close(c.Genres.Count, Enumerable.Range(0, tracks.Count).Select(i => (i, i)), all, head.Concat(tail).ToArray(),
                        tolerance, (i, _) => $"track {i}, predicted in a call of {(i < cut ? cut : tracks.Count - cut)} track(s)")
        select unit;

    /// <summary>Saved to <paramref name="dir"/> and loaded back (stage kinds read by <paramref name="registry"/>), the classifier
    /// predicts bit-identical probabilities.</summary>
    public static Fin<Unit> SaveThenLoadPredictsIdentically(IBackend backend, Classifier c, Seq<Track> tracks, string dir,
                                                            StageRegistry? registry = null) =>
        from _1 in c.Save(dir)
        from loaded in Classifier.Load(dir, registry)
        from before in c.Probabilities(backend, tracks)
        from after in loaded.Probabilities(backend, tracks)
        from _2 in before.AsSpan().SequenceEqual(after)
            ? FinSucc(unit)
            : Broken($"{dir}: the loaded classifier predicts other probabilities")
        select unit;

    /// <summary>
    /// Each model of the classifier (each member of an ensemble), exported to ONNX with the fitted pipeline in the graph and run in
    /// ONNX Runtime on the tracks' raw features (float64, <c>explicit</c> as 0/1), agrees with genre's probabilities for it within
    /// <paramref name="tolerance"/>. A pipeline stage without an ONNX lowering is the export's error, naming it.
    /// </summary>
    public static Fin<Unit> OnnxAgrees(IBackend backend, Classifier c, Seq<Track> tracks, double tolerance = 1e-5) =>
        from input in c.Input(tracks)
        from _ in c.Model.Members.Map(m =>
                from onnx in OnnxExport.ToBytes(m.Spec, m.Weights, Some(c.Preprocessing.Pipeline))
                from genre in backend.Load(m.Spec, m.Weights).Use(model => FinSucc(model.Predict(input, tracks.Count)))
                let runtime = RunOnnx(onnx, RawFeatures(tracks), tracks.Count)
                from ok in Close(c.Genres.Count, Enumerable.Range(0, tracks.Count).Select(i => (i, i)), genre, runtime, tolerance,
                                 (i, _) => $"{m.Spec.Name}: track {i} in ONNX Runtime")
                select ok)
            .Sequence()
        select unit;

    /// <summary>The 15 raw features in the report's order with <c>explicit</c> as 0/1: the exported graph's input.</summary>
    public static double[] RawFeatures(Seq<Track> tracks) => Features.Of(tracks, new LabelEncoding(Seq("False", "True"))).Values;

    static float[] RunOnnx(byte[] model, double[] x, int rows)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        var input = NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, new DenseTensor<double>(x, [rows, Features.Count]));
        using var results = session.Run([input]);
        return results.Single().AsTensor<float>().ToArray();
    }

    static Fin<Unit> Close(int classes, IEnumerable<(int Expected, int Actual)> rows, float[] expected, float[] actual, double tolerance,
                           Func<int, int, string> where)
    {
        foreach (var (e, a) in rows)
            for (var j = 0; j < classes; j++)
            {
                var d = Math.Abs(expected[e * classes + j] - actual[a * classes + j]);
                if (!(d <= tolerance))
                    return Broken($"{where(e, a)}: probability of class {j} differs by {d:E2} (tolerance {tolerance:E0})");
            }
        return FinSucc(unit);
    }

    static Fin<Unit> Broken(string message) => FinFail<Unit>(LanguageExt.Common.Error.New(message));

    /// <summary>Generated tracks a classifier reads (explicit both ways, genres among the Kaggle ones), a permutation of them and a
    /// cut point for two calls.</summary>
    public sealed record TracksCase(Seq<Track> Tracks, int[] Permutation, int Cut)
    {
        /// <summary>The case on one line, arrays' values included (a record would print an array's type name).</summary>
        public override string ToString() => $"{Tracks.Count} track(s), permutation [{string.Join(", ", Permutation)}], cut {Cut}";
    }

    /// <summary>Tracks (1–<paramref name="maxRows"/>), a permutation and a cut, shrinking to fewer tracks.</summary>
    public static Arbitrary<TracksCase> Tracks(int maxRows = 16) =>
        Arb.From(
            from tracks in GenreGen.Tracks(KaggleGenres.Sorted, maxRows).Where(t => t.Count >= 1)
            from keys in Gen.Choose(0, 1000).ArrayOf(tracks.Count)
            from cut in Gen.Choose(0, tracks.Count)
            select Case(tracks, keys, cut),
            c => GenreArb.ShrinkTracks(c.Tracks).Where(t => t.Count >= 1)
                .Select(t => Case(t, c.Permutation.Where(i => i < t.Count).ToArray(), Math.Min(c.Cut, t.Count))));

    static TracksCase Case(Seq<Track> tracks, int[] keys, int cut) =>
        new(tracks, keys.Length == tracks.Count
            ? Enumerable.Range(0, tracks.Count).OrderBy(i => keys[i]).ThenBy(i => i).ToArray()
            : Enumerable.Range(0, tracks.Count).Reverse().ToArray(), cut);

    /// <summary>
    /// Every law but ONNX's for <paramref name="c"/> on generated tracks (saving into fresh folders under
    /// <paramref name="scratch"/>); add <see cref="OnnxAgrees"/> for a classifier whose stages all have ONNX lowerings.
    /// </summary>
    public static Property All(IBackend backend, Classifier c, string scratch, StageRegistry? registry = null, int maxRows = 16) =>
        Prop.ForAll(Tracks(maxRows), t =>
            (from _1 in ProbabilitiesSumToOne(backend, c, t.Tracks)
             from _2 in RowOrderDoesNotMatter(backend, c, t.Tracks, t.Permutation)
             from _3 in BatchingDoesNotMatter(backend, c, t.Tracks, t.Cut)
             from _4 in SaveThenLoadPredictsIdentically(backend, c, t.Tracks, Path.Combine(scratch, Guid.NewGuid().ToString("N")), registry)
             select unit).Match(_ => true.ToProperty(), e => false.Label(e.Message)));
}
