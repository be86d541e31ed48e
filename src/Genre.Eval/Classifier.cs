using Genre.Data;
using Genre.Data.Stages;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval;

/// <summary>One genre and its probability for a track.</summary>
public sealed record GenreProbability(string Genre, double Probability);

/// <summary>A track's most probable genres, most probable first.</summary>
public sealed record GenrePrediction(long RowId, Seq<GenreProbability> Top)
{
    /// <summary>The most probable genre.</summary>
    public string Genre => Top.Head.Genre;
}

/// <summary>
/// A classifier from raw tracks to genres: the fitted preprocessing (pipeline, genre classes, mapping) and the model — one, or an
/// ensemble whose prediction is the mean of its members' probabilities. Every command that classifies goes through it, so what a
/// model reads is decided once, by its pipeline. Loading and saving are model folders (<see cref="ModelFolder"/>,
/// <see cref="EnsembleFolder"/>); running needs a backend, which the caller owns.
/// </summary>
public sealed record Classifier(Preprocessing Preprocessing, StoredClassifier Model)
{
    /// <summary>A classifier from a fitted pipeline's data and a model trained on it.</summary>
    public static Classifier Of(PreparedData data, Sequential spec, ModelWeights weights)
    {
        var p = Preprocessing.Of(data);
        return new(p, StoredClassifier.Of(new StoredModel(spec, weights, Some(p))));
    }

    /// <summary>
    /// A model folder or an ensemble folder with its <c>preprocessing.json</c>; stage kinds are read by <paramref name="registry"/>
    /// (default: the built-in stages; add a user's stage kinds with <see cref="StageRegistry.With"/>). A folder without
    /// preprocessing (an imported TF2 SavedModel) is an error naming it: build one with <see cref="Of"/> instead.
    /// </summary>
    public static Fin<Classifier> Load(string dir, StageRegistry? registry = null) =>
        from model in EnsembleFolder.Is(dir) ? EnsembleFolder.Load(dir, registry) : ModelFolder.Load(dir, registry).Map(StoredClassifier.Of)
        from p in model.Preprocessing.ToFin(GenreError.Model($"{dir}: no {Preprocessing.FileName} (the model's pipeline is unknown)"))
        select new Classifier(p, model);

    /// <summary>Saves the classifier: one model as a model folder (<c>model.json</c>, <c>weights.safetensors</c>,
    /// <c>preprocessing.json</c>); an ensemble as a model folder per member (<c>member-k</c>), then <c>ensemble.json</c>, written
    /// last, so a folder with it is complete.</summary>
    public Fin<Unit> Save(string dir) =>
        Model.IsEnsemble
            ? from _ in Model.Members.Map((k, m) => ModelFolder.Save(Path.Combine(dir, EnsembleFolder.MemberName(k + 1)), m.Spec, m.Weights,
                  Some(Preprocessing))).Sequence()
              let names = toSeq(Enumerable.Range(1, Model.Members.Count).Select(EnsembleFolder.MemberName)).Strict()
              from saved in EnsembleFolder.Save(dir, names)
              select saved
            : ModelFolder.Save(dir, Model.Spec, Model.Members.Head.Weights, Some(Preprocessing));

    /// <summary>The model's input for <paramref name="tracks"/>, as float32 rows; a stage's refusal names
    /// <paramref name="file"/>.</summary>
    public Fin<float[]> Input(Seq<Track> tracks, string file = "tracks") =>
        Preprocessing.Input(tracks, file).Map(x => System.Array.ConvertAll(x.Values, v => (float)v));

    /// <summary>Per track, the probability of each genre (rows × <see cref="Genres"/>, row-major).</summary>
    public Fin<float[]> Probabilities(IBackend backend, Seq<Track> tracks, string file = "tracks") =>
        Input(tracks, file).Bind(x => Classifiers.Predict(backend, Model, x, tracks.Count));

    /// <summary>The genres the model predicts, in its output order.</summary>
    public Seq<string> Genres => Preprocessing.Genres.Classes;

    /// <summary>Per track, its <paramref name="topK"/> most probable genres (ties: the genre first in <see cref="Genres"/>).</summary>
    public Fin<Seq<GenrePrediction>> Predict(IBackend backend, Seq<Track> tracks, int topK = 3) =>
        topK < 1 ? GenreError.Usage($"predict: top-k must be at least 1, got {topK}")
        : Probabilities(backend, tracks).Map(p => TopK(p, tracks.Map(t => t.RowId).ToArray(), Genres, topK));

    internal static Seq<GenrePrediction> TopK(float[] p, long[] rowIds, Seq<string> genres, int k)
    {
        var classes = genres.Count;
        var names = genres.ToArray();
        return rowIds.Select((id, r) => new GenrePrediction(id, Enumerable.Range(0, classes)
                .OrderByDescending(c => p[r * classes + c]).ThenBy(c => c).Take(k)
                .Select(c => new GenreProbability(names[c], p[r * classes + c])).ToSeq().Strict()))
            .ToSeq().Strict();
    }

    /// <summary>
    /// Loss and accuracy on tracks with genres (after the classifier's mapping); a track whose genre the model does not know is a
    /// data error naming its row (a score would silently count it wrong).
    /// </summary>
    public Fin<Evaluation> Evaluate(IBackend backend, Seq<Track> tracks, string file = "tracks")
    {
        var unknown = tracks.Find(t => Preprocessing.Label(t).IsNone);
        if (unknown.Case is Track u)
            return GenreError.Data($"{file}: row {u.RowId}: genre '{GenreError.Show(u.TrackGenre)}' is not one the model predicts");
        var labels = tracks.Map(t => (int)Preprocessing.Label(t)).ToArray();
        return Probabilities(backend, tracks, file).Map(p => Metrics.Score(labels, p, Genres.Count).Evaluation);
    }
}
