using Genre.Data;

namespace Genre.Eval;

/// <summary>Writing a reproduce run's folder: figures, <c>metrics.json</c> and <c>report.md</c>.</summary>
public static partial class Reproduce
{
    static Fin<Unit> Write(string outDir, ReproduceResult r) =>
        from _1 in r.Results.Fold(FinSucc(unit), (acc, x) => acc.Bind(_ => Figures(outDir, x, r.Source)))
        from _4 in ScoresReport.Reliability(r).Match(png => Plots.Save(Path.Combine(outDir, ScoresReport.Figure), png), () => unit)
        from other in ReportWriter.OtherProfile(outDir, r.Profile.Name)
        from _2 in ChecksummedJson.Write(Path.Combine(outDir, "metrics.json"), BeyondReport.AddTo(ReportWriter.MetricsJson(r), r),
            indented: true)
        from _3 in AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), ReportWriter.Markdown(r, other))
        select unit;

    static Fin<Unit> WriteSeeds(string outDir, SeedsResult r) =>
        from other in ReportWriter.OtherProfile(outDir, r.Profile.Name)
        from _1 in ChecksummedJson.Write(Path.Combine(outDir, "metrics.json"), SeedsReport.MetricsJson(r), indented: true)
        from _2 in AtomicFile.WriteAllText(Path.Combine(outDir, "report.md"), SeedsReport.Markdown(r, other))
        select unit;

    /// <summary>An experiment's three figures; on the Kaggle file the learning curves also show the authors' TF2 log.</summary>
    static Fin<Unit> Figures(string outDir, ExperimentResult x, DataSource source)
    {
        var reference = source.IsKaggleFile ? AuthorsCurves.For(x.Experiment.Name) : None;
        var title = x.Ensemble.IsSome ? $"{x.Experiment.Title}: member 1 (seed {x.Settings.Seed})" : x.Experiment.Title;
        var (acc, loss) = Plots.LearningCurves(title, x.History, reference);
        return from _1 in Plots.Save(Path.Combine(outDir, $"{x.Experiment.Name}-accuracy.png"), acc)
               from _2 in Plots.Save(Path.Combine(outDir, $"{x.Experiment.Name}-loss.png"), loss)
               from _3 in Plots.Save(Path.Combine(outDir, $"{x.Experiment.Name}-confusion.png"),
                   Plots.Confusion($"Confusion matrix (recall per actual genre): {x.Experiment.Title}", x.Confusion, x.Classes,
                   x.Experiment.Reduced ? Some(GenreMapping.ReportMerges) : None))
               select unit;
    }
}
