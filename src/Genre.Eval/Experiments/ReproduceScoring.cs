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

    internal static (Evaluation Test, long[,] Confusion, int[] Predictions) Score(ICompiledModel model, PreparedData data)
    {
        using (model)
        {
            var test = LabeledData.From(data.Scaled.Test);
            var predictions = Metrics.Argmax(model.Predict(test.X, test.Rows), test.Classes);
            return (model.Evaluate(test), Metrics.Confusion(test.Y, predictions, test.Classes), predictions);
        }
    }

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
