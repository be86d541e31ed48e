using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval;

/// <summary>
/// One trained 114-genre model scored on merged labels two ways: the report's hand merges and merges learned from the same
/// model's validation confusion (<see cref="LearnedMerges"/>) down to as many classes; McNemar on the test rows between the two.
/// </summary>
public sealed record MergeComparison(string Model, GenreMapping Learned, int Classes, double RawAccuracy, double HandAccuracy,
    double LearnedAccuracy,
                                     McNemarTest Test);

/// <summary>Hand vs learned merges on one trained model.</summary>
public static class MergeComparisons
{
    /// <summary>For an experiment finished in <paramref name="dir"/> on the full labels: its validation confusion → learned mapping → both
    /// accuracies.</summary>
    public static Fin<MergeComparison> Of(IBackend backend, ExperimentResult result, string dir, PreparedData full, GenreMapping hand) =>
        from stored in ModelFolder.Load(dir)
        from model in backend.Load(stored.Spec, stored.Weights)
        let val = LabeledData.From(full.Scaled.Val)
        let valPredictions = Predict(model, val)
        let classes = full.Genres.Classes
        let handClasses = MergeAware.ClassMap(classes, hand).Merged.Count
        from learned in ReportPipeline.ToFin(LearnedMerges.Learn(Metrics.Confusion(val.Y, valPredictions, val.Classes), classes,
            handClasses))
        let handHits = MergedHits(result, hand)
        let learnedHits = MergedHits(result, learned)
        select new MergeComparison(result.Experiment.Name, learned, handClasses, result.Test.Accuracy, Uncertainty.Accuracy(handHits),
            Uncertainty.Accuracy(learnedHits), Uncertainty.McNemar(learnedHits, handHits));

    static int[] Predict(ICompiledModel model, LabeledData val)
    {
        using (model) return Metrics.Argmax(model.Predict(val.X, val.Rows), val.Classes);
    }

    static bool[] MergedHits(ExperimentResult r, GenreMapping mapping)
    {
        var map = MergeAware.ClassMap(r.Classes, mapping).ClassMap;
        return Uncertainty.Hits(MergeAware.Apply(r.TestLabels, map), MergeAware.Apply(r.TestPredictions, map));
    }
}
