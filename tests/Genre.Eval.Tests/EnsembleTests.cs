using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Backend.Torch;

namespace Genre.Eval.Tests;

/// <summary>The tabular ensemble inside a reproduce run, and the ensemble folder it leaves, on a small synthetic file.</summary>
public class EnsembleTests
{
    static readonly Profile Tiny = SmallRuns.Tiny;
    static readonly Experiment TabularEnsemble = Experiments.Beyond.Find(e => e.Name == "tabular-ensemble")
        .IfNone(() => throw new Xunit.Sdk.XunitException("no tabular-ensemble"));

    static (string Dir, DataSource Source) SyntheticSource() => SmallRuns.SyntheticSource("ensemble");


    static double AccuracyOf(float[] probabilities, LabeledData d) => Metrics.Accuracy(d.Y, Metrics.Argmax(probabilities, d.Classes));

    [Fact]
    public void The_ensemble_scores_the_mean_of_its_members_and_each_member_is_the_one_model_run_with_its_seed()
    {
        var (dir, source) = SyntheticSource();
        var outDir = Path.Combine(dir, "reproduce-fast");
        var backend = new TorchBackend();
        var first = Ok(Reproduce.Run(backend, source, Tiny, Seq1(TabularEnsemble), outDir, None));
        var result = Assert.Single(first.Results);
        Assert.IsType<Provenance.Trained>(result.How);
        var ensemble = result.Ensemble.IfNone(() => throw new Xunit.Sdk.XunitException("no ensemble scores"));
        Assert.Equal(Seq(2, 3, 4, 5, 6), ensemble.Members.Map(m => m.Seed));
        // its learning curves are member 1's, and their title says so
        var (accuracy, loss) = Plots.LearningCurves($"{TabularEnsemble.Title}: member 1 (seed 2)", result.History, None);
        Assert.Equal(accuracy, File.ReadAllBytes(Path.Combine(outDir, "tabular-ensemble-accuracy.png")));
        Assert.Equal(loss, File.ReadAllBytes(Path.Combine(outDir, "tabular-ensemble-loss.png")));

        // recomputed here from the member folders: the mean of their probabilities is what the run scored
        var ensembleDir = Path.Combine(outDir, "tabular-ensemble");
        Assert.True(EnsembleFolder.Is(ensembleDir));
        var data = Ok(ReportPipeline.Load(source.Path, None, Pipelines.Tabular)).Data;
        var test = LabeledData.From(data.Scaled.Test);
        var val = LabeledData.From(data.Scaled.Val);
        var members = Enumerable.Range(1, 5).Select(k => Ok(ModelFolder.Load(Path.Combine(ensembleDir, $"member-{k}")))).ToList();
        float[] Mean(LabeledData d)
        {
            var sum = new double[d.Rows * d.Classes];
            foreach (var m in members)
            {
                var p = Ok(backend.Load(m.Spec, m.Weights).Use(x => FinSucc(x.Predict(d.X, d.Rows))));
                for (var i = 0; i < p.Length; i++) sum[i] += p[i];
            }
            return sum.Select(v => (float)(v / members.Count)).ToArray();
        }
        Assert.Equal(AccuracyOf(Mean(test), test), result.Test.Accuracy, 12);
        Assert.Equal(AccuracyOf(Mean(val), val), ensemble.ValAccuracy, 12);
        Assert.Equal(Metrics.CrossEntropy(test.Y, Mean(test), test.Classes), result.Test.Loss, 9);
        var classifier = Ok(Classifiers.Load(ensembleDir));
        Assert.Equal(5, classifier.Members.Count);
        Assert.Equal(Mean(test), Ok(Classifiers.Predict(backend, classifier, test.X, test.Rows)));

        // member 3 trained exactly as the one-model tabular experiment with seed 4 does
        var single = Experiments.Beyond.Find(e => e.Name == "tabular").IfNone(() => throw new Xunit.Sdk.XunitException("no tabular"));
        var alone = Ok(Reproduce.Run(backend, source, Profile.Of("fast", "tiny, seed 4", new Settings(2, 128, 4)), Seq1(single),
            Path.Combine(dir, "alone"), None));
        Assert.Equal(alone.Results[0].Test.Accuracy, ensemble.Members[2].TestAccuracy, 12);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "alone", "tabular", ModelFolder.WeightsFile)),
                     File.ReadAllBytes(Path.Combine(ensembleDir, "member-3", ModelFolder.WeightsFile)));

        // a second run trains nothing, and a run asking for nothing re-scores the finished ensemble for its report
        var again = Ok(Reproduce.Run(backend, source, Tiny, Seq1(TabularEnsemble), outDir, None));
        Assert.IsType<Provenance.AlreadyDone>(again.Results[0].How);
        Assert.Equal(result.Test.Accuracy, again.Results[0].Test.Accuracy, 12);
        var kept = Ok(Reproduce.Run(backend, source, Tiny, Seq<Experiment>(), outDir, None));
        Assert.Equal(result.Test.Accuracy, Assert.Single(kept.Results).Test.Accuracy, 12);

        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("tabular-ensemble predicts the mean of its 5 members' probabilities", report);
        Assert.Contains($"| tabular-ensemble | {Ensembles.EpochsRun(ensemble)} | each member's best | {ensemble.ValAccuracy:F4} |", report);
    }

    [Fact]
    public void A_damaged_or_inconsistent_ensemble_folder_is_an_error_naming_the_file_or_member()
    {
        var (dir, source) = SyntheticSource();
        var outDir = Path.Combine(dir, "out");
        Ok(Reproduce.Run(new TorchBackend(), source, Profile.Of("fast", "one epoch", new Settings(1, 128, 2)), Seq1(TabularEnsemble),
            outDir, None));
        var ens = Path.Combine(outDir, "tabular-ensemble");

        // a member folder is one model; the ensemble folder is not, so one-model readers refuse it as a usage error (exit 2)
        Assert.True(ModelFolder.Load(Path.Combine(ens, "member-2")).IsSucc);
        var notOne = ModelFolder.Load(ens).Match(_ => throw new Xunit.Sdk.XunitException("loaded an ensemble as one model"), e => e);
        Assert.Equal(2, GenreError.ExitCode(notOne));
        Assert.Contains("member-1", notOne.Message);

        string ErrorOf(string folder) => EnsembleFolder.Load(folder).Match(
            _ => throw new Xunit.Sdk.XunitException("loaded"), e => e.Message);
        string Copy(string name)
        {
            var to = Path.Combine(dir, name);
            foreach (var f in Directory.GetFiles(ens, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(to, Path.GetRelativePath(ens, f));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(f, target);
            }
            return to;
        }

        var damaged = Copy("damaged");
        var file = Path.Combine(damaged, EnsembleFolder.FileName);
        File.WriteAllText(file, File.ReadAllText(file).Replace("member-2", "member-9"));
        Assert.Contains($"{file}: checksum mismatch", ErrorOf(damaged));

        var escaping = Copy("escaping");
        Assert.True(EnsembleFolder.Save(escaping, Seq("member-1", "../member-2")).IsSucc);
        Assert.Contains("'../member-2' is not a folder name inside the ensemble", ErrorOf(escaping));

        var missing = Copy("missing");
        Directory.Delete(Path.Combine(missing, "member-4"), recursive: true);
        Assert.Contains("member-4", ErrorOf(missing));

        // a member trained on other data (other training ranges) cannot be averaged with the rest
        var mixed = Copy("mixed");
        var other = Path.Combine(mixed, "member-5", Preprocessing.FileName);
        var p = Ok(Preprocessing.LoadIfPresent(Path.Combine(mixed, "member-5")))
            .IfNone(() => throw new Xunit.Sdk.XunitException("no preprocessing"));
        Assert.True((p with { Ranges = p.Ranges.Map(r => r with { Max = r.Max * 2 }).Strict() }).Save(Path.Combine(mixed, "member-5"))
            .IsSucc);
        Assert.Contains($"{other}: not the preprocessing of member-1", ErrorOf(mixed));
    }

    [Fact]
    public void A_cancellation_between_members_stops_cleanly_and_the_next_run_finishes_the_ensemble()
    {
        var (dir, source) = SyntheticSource();
        var outDir = Path.Combine(dir, "out");
        var ens = Path.Combine(outDir, "tabular-ensemble");
        using var stop = new CancellationTokenSource();
        var progress = new SyncProgress<ReproduceEvent>(ev =>
        {
            if (ev is ExperimentStarted { Experiment.Name: "tabular-ensemble member 2" }) stop.Cancel();
        });
        var stopped = Ok(Reproduce.Run(new TorchBackend(), source, Tiny, Seq1(TabularEnsemble), outDir, None, progress, stop.Token));
        Assert.Empty(stopped.Results);
        Assert.False(EnsembleFolder.Is(ens));
        Assert.False(File.Exists(Path.Combine(outDir, "report.md")));
        Assert.True(File.Exists(Path.Combine(ens, "member-1", "settings.json")));
        Assert.False(File.Exists(Path.Combine(ens, "member-2", "settings.json")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(ens, "member-2", "checkpoints")));

        var resumed = Ok(Reproduce.Run(new TorchBackend(), source, Tiny, Seq1(TabularEnsemble), outDir, None));
        Assert.Equal(5, Assert.Single(resumed.Results).Ensemble.Map(en => en.Members.Count).IfNone(0));
        Assert.True(EnsembleFolder.Is(ens));
    }
}
