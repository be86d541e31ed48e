using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Import;

namespace Genre.Eval;

/// <summary>Scoring a reproduce run's models: re-scoring a finished experiment, and the authors' SavedModels.</summary>
public static partial class Reproduce
{
    /// <summary>A stored model reads the data's features (15, or the encoding's columns) and predicts its classes.</summary>
    internal static Fin<Unit> Fits(Sequential spec, PreparedData data, string dir) =>
        from _ in SpecValidation.AcceptsFeatures(spec, data.Scaled.Train.X.Cols, dir)
        from __ in spec.PredictsClasses(data.Genres.Count, dir)
        select unit;

    internal static (Evaluation Test, long[,] Confusion, int[] Predictions, float[] Probabilities) Score(ICompiledModel model,
        PreparedData data)
    {
        using (model)
        {
            var test = LabeledData.From(data.Scaled.Test);
            var probabilities = model.Predict(test.X, test.Rows);
            var predictions = Metrics.Argmax(probabilities, test.Classes);
            return (model.Evaluate(test), Metrics.Confusion(test.Y, predictions, test.Classes), predictions, probabilities);
        }
    }

    /// <summary>
    /// The metrics beyond accuracy (<see cref="ProbabilityMetrics"/>) of a result whose test probabilities were kept, on the
    /// data it was scored on; a result without them is returned as it is.
    /// </summary>
    internal static ExperimentResult WithScores(ExperimentResult x, ReportData data) =>
        x.TestProbabilities.Length == 0
            ? x
            : data.For(x.Experiment).Match(
                d => x with { Scores = Some(ScoresOf(x.Rows, x.TestProbabilities, d, data.Cleaned, x.Experiment.Labels)) },
                _ => x);

    /// <summary>As <see cref="WithScores(ExperimentResult, ReportData)"/> for gbdt (all 114 genres, the report's pipeline).</summary>
    internal static GbdtResult WithScores(GbdtResult g, ReportData data) =>
        g.TestProbabilities.Length == 0
            ? g
            : g with { Scores = Some(ScoresOf(g.Rows, g.TestProbabilities, data.Full, data.Cleaned, None)) };

    /// <summary>The metrics of test probabilities on <paramref name="d"/>'s test rows, the tracks' listed genres from
    /// <paramref name="cleaned"/> (none when empty) under the experiment's <paramref name="labels"/>.</summary>
    internal static ProbabilityMetrics ScoresOf(ScoredRows rows, float[] probabilities, PreparedData d, Seq<Track> cleaned,
                                       Option<GenreMapping> labels) =>
        ProbabilityMetrics.Of(rows, probabilities,
            cleaned.IsEmpty
                ? None
                : Some(ProbabilityMetrics.ListedGenres(cleaned, d.Scaled.Test.RowIds, d.Genres.Classes,
                    labels.IfNone(GenreMapping.Identity))),
            GenreMapping.ReportMerges);

    static Seq<AuthorsScore> ScoreAuthors(IBackend backend, Seq<Experiment> experiments, string dir, Func<Experiment,
        Fin<PreparedData>> data) =>
        experiments.Choose(e => e.AuthorsModel.Map(m => (e, m)))
            .Filter(p => Directory.Exists(Path.Combine(dir, p.m)))
            .Choose(p =>
                (from saved in SavedModel.Load(Path.Combine(dir, p.m))
                 from d in data(p.e)
                 from _ in Fits(saved.Spec, d, Path.Combine(dir, p.m))
                 from model in backend.Load(saved.Spec, saved.Weights)
                 let scored = Score(model, d)
                 select new AuthorsScore(p.e.Name, p.m, scored.Test)
                 {
                     TestLabels = d.Scaled.Test.Y,
                     TestPredictions = scored.Predictions,
                     Classes = d.Genres.Classes,
                 }).ToOption())
            .Strict();
}
