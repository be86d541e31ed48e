using Genre.Models;

namespace Genre.Eval.Tests;

public class LearningCurvesOverlayTests
{
    static History Run(int epochs, bool validation = true) => new(Enumerable.Range(1, epochs)
        .Select(e => new EpochMetrics(e, 4.5 - 0.01 * e, 0.01 * e, validation ? 4.6 - 0.01 * e : double.NaN, validation ? 0.008 * e
            : double.NaN, 1.0))
        .ToSeq().Strict());

    static History Authors => AuthorsCurves.For("dnn1").IfNone(() => throw new Xunit.Sdk.XunitException("no dnn1 log"));

    [Fact]
    public void Without_a_reference_only_our_train_and_validation_are_drawn()
    {
        var series = Plots.CurveSeries(Run(30), None, e => e.Loss, e => e.ValLoss);
        Assert.Equal(Seq("train", "validation"), series.Map(s => s.Label));
        Assert.All(series, s => Assert.False(s.Dashed));
        Assert.Equal(Plots.CurveSeries(Run(30, validation: false), None, e => e.Loss, e => e.ValLoss).Map(s => s.Label), Seq1("train"));
    }

    [Fact]
    public void The_reference_adds_dashed_authors_curves_cut_to_our_epochs()
    {
        var ours = Run(30);
        var series = Plots.CurveSeries(ours, Some(Authors), e => e.Accuracy, e => e.ValAccuracy);
        Assert.Equal(Seq("train", "validation", "authors' TF2 train", "authors' TF2 validation"), series.Map(s => s.Label));
        Assert.Equal(Seq(false, false, true, true), series.Map(s => s.Dashed));
        Assert.Equal(Seq(false, true, false, true), series.Map(s => s.Validation));
        var theirs = Authors.Epochs.Take(30).ToArray();
        Assert.Equal(theirs.Select(e => (double)e.Epoch), series[2].Epochs);
        Assert.Equal(theirs.Select(e => e.Accuracy), series[2].Values);
        Assert.Equal(theirs.Select(e => e.ValAccuracy), series[3].Values);
        // a run without validation still gets both of the authors' curves
        Assert.Equal(3, Plots.CurveSeries(Run(30, validation: false), Some(Authors), e => e.Loss, e => e.ValLoss).Count);
    }

    [Fact]
    public void Both_figures_change_when_the_reference_is_drawn()
    {
        var ours = Run(30);
        var plain = Plots.LearningCurves("DNN1", ours);
        var overlaid = Plots.LearningCurves("DNN1", ours, Some(Authors));
        Assert.NotEqual(plain.Accuracy, overlaid.Accuracy);
        Assert.NotEqual(plain.Loss, overlaid.Loss);
        Assert.Equal(plain.Loss, Plots.LearningCurves("DNN1", ours).Loss); // rendering itself is repeatable
    }

    static ReproduceResult Result(DataSource source)
    {
        var dnn1 = Experiments.OfReport.Find(e => e.Name == "dnn1").IfNone(() => throw new Xunit.Sdk.XunitException("no dnn1"));
        var x = new ExperimentResult(dnn1, new Settings(12, 10_000, 2), new Evaluation(3.0, 0.2, 100), Run(12), 5,
                                     new long[2, 2], Seq("a", "b"), new Provenance.Trained());
        return new ReproduceResult(source, Profiles.Paper(), Seq1(x), Seq<AuthorsScore>(), 5);
    }

    [Fact]
    public void The_report_compares_with_the_authors_logs_only_on_the_kaggle_file()
    {
        const string section = "## Learning curves vs the authors' TF2 logs";
        var kaggle = new DataSource("dataset.csv", false, 0, DataSource.KaggleSha256);
        var other = kaggle with { Sha256 = new string('0', 64) };
        var synthetic = kaggle with { IsSynthetic = true };
        var report = ReportWriter.Markdown(Result(kaggle), None);
        Assert.Contains(section, report);
        var table = AuthorsCurves.ComparisonTable(Seq1(("dnn1", Run(12))));
        Assert.Contains(table, report);
        Assert.DoesNotContain(section, ReportWriter.Markdown(Result(other), None));
        Assert.DoesNotContain(section, ReportWriter.Markdown(Result(synthetic), None));
    }
}
