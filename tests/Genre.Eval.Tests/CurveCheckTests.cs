using System.Diagnostics;
using System.Globalization;
using Genre.Models;
using Genre.Models.Backend.Torch;
using Xunit.Abstractions;

namespace Genre.Eval.Tests;

/// <summary>
/// Our engine against the authors' TF2 logs on the real file: train an experiment with the paper settings (seed 2,
/// batch 10,000, Keras Adam defaults) on the report pipeline's split for 100 epochs, and compare the epoch-100 training
/// loss and val_accuracy with the values their notebook printed (read from <see cref="AuthorsCurves"/>).
/// </summary>
public class CurveCheckTests(ITestOutputHelper output)
{
    const int Epoch = 100;

    /// <summary>
    /// DNN1 trains 100 epochs in 1–2 minutes (102 s with two other trainings sharing the 2 cores). Tolerances from seeds 1–3
    /// in our engine: loss 2.775–2.796, val_accuracy 0.267–0.273 against the authors' 2.7908 / 0.2697 (seed 2 here: 2.7727 / 0.2676).
    /// </summary>
    [RealDataFact]
    public void Dnn1_at_epoch_100_matches_the_authors_log() => Check("dnn1", lossTolerance: 0.03, valAccuracyTolerance: 0.008);

    /// <summary>
    /// The other four logged experiments, opt-in: an LSTM run of 100 epochs takes minutes (RNN2 about 12). One seed-2 run each
    /// was measured for rnn1 (loss 3.0033 vs 3.0372, val_accuracy 0.2256 vs 0.2212) and dnn2 (2.9162 vs 2.9157, 0.2640 vs
    /// 0.2591); their tolerances are about twice those differences and never below DNN1's. The LSTMs' curves still fall
    /// steeply at epoch 100, so rnn2 and reduced-rnn1, not measured, take rnn1's.
    /// </summary>
    [CurveCheckTheory]
    [InlineData("rnn1", 0.07, 0.01)]
    [InlineData("rnn2", 0.07, 0.01)]
    [InlineData("dnn2", 0.03, 0.01)]
    [InlineData("reduced-rnn1", 0.07, 0.01)]
    public void At_epoch_100_matches_the_authors_log(string experiment, double lossTolerance, double valAccuracyTolerance) =>
        Check(experiment, lossTolerance, valAccuracyTolerance);

    void Check(string name, double lossTolerance, double valAccuracyTolerance)
    {
        var theirs = AuthorsCurves.For(name).Bind(h => h.Epochs.Find(e => e.Epoch == Epoch))
            .IfNone(() => throw new Xunit.Sdk.XunitException($"no authors' epoch {Epoch} for {name}"));
        var (ours, dataSeconds, trainingSeconds) = Train(name, Epoch);
        var (dLoss, dVal) = (ours.Loss - theirs.Loss, ours.ValAccuracy - theirs.ValAccuracy);
        var report = string.Create(CultureInfo.InvariantCulture,
            $"{name} epoch {Epoch}: ours loss {ours.Loss:F4} val_accuracy {ours.ValAccuracy:F4}; authors' loss {theirs.Loss:F4} " +
                $"val_accuracy {theirs.ValAccuracy:F4}; " +
            $"Δloss {dLoss:+0.0000;-0.0000} (tolerance {lossTolerance}), Δval_accuracy {dVal:+0.0000;-0.0000} (tolerance " +
                $"{valAccuracyTolerance}); data {dataSeconds:F0} s, training {trainingSeconds:F0} s");
        output.WriteLine(report);
        Assert.True(Math.Abs(dLoss) <= lossTolerance && Math.Abs(dVal) <= valAccuracyTolerance, report);
    }

    /// <summary>The paper profile's settings cut to <paramref name="epochs"/>, on the report pipeline's data; nothing written to
    /// disk.</summary>
    static (EpochMetrics Last, double DataSeconds, double TrainingSeconds) Train(string name, int epochs)
    {
        var clock = Stopwatch.StartNew();
        var path = Environment.GetEnvironmentVariable("GENRE_DATA")!;
        var source = Ok(DataSource.Of(path));
        Assert.True(source.IsKaggleFile, $"{path} is not the Kaggle file (sha256 {source.Sha256}, expected {DataSource.KaggleSha256})");
        var experiment = Experiments.OfReport.Find(e => e.Name == name)
            .IfNone(() => throw new Xunit.Sdk.XunitException($"unknown experiment {name}"));
        var config = (Profiles.Paper().SettingsFor(experiment) with { Epochs = epochs }).ToConfig() with { Resume = false };
        var data = Ok(ReportPipeline.Load(path, experiment.Labels)).Data;
        var dataSeconds = clock.Elapsed.TotalSeconds;
        using var model = Ok(new TorchBackend().Compile((Sequential)experiment.Model.Network, config.Seed));
        var history = Ok(model.Fit(LabeledData.From(data.Scaled.Train), Some(LabeledData.From(data.Scaled.Val)), config));
        Assert.Equal(epochs, history.Epochs.Count);
        return (history.Epochs.Last, dataSeconds, clock.Elapsed.TotalSeconds - dataSeconds);
    }

}
/// <summary>Slow real-data checks: run only with GENRE_CURVE_CHECKS=all and the real Kaggle file in $GENRE_DATA.</summary>
public sealed class CurveCheckTheoryAttribute : TheoryAttribute
{
    public const string Variable = "GENRE_CURVE_CHECKS";

    public CurveCheckTheoryAttribute() =>
        Skip = Environment.GetEnvironmentVariable(Variable) != "all" ? $"slow (minutes each): set {Variable}=all"
            : Genre.TestSupport.Inputs.WhyNoRealData();
}
