using System.Reflection;
using System.Text.Json.Nodes;
using Genre.Models;
using Genre.Models.Backend.Torch;

namespace Genre.Eval.Tests;

public class ReproduceTests
{
    static string Temp()
    {
        var d = Path.Combine(Path.GetTempPath(), "genre-eval-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    static readonly Profile Tiny = SmallRuns.Tiny;
    static readonly TorchBackend Backend = new();

    static (string Dir, DataSource Source) SyntheticSource() => SmallRuns.SyntheticSource("eval");

    [Fact]
    public void Reproduce_writes_report_metrics_and_figures_and_skips_finished_work()
    {
        var (dir, source) = SyntheticSource();
        var experiments = Experiments.OfReport.Filter(e => e.Name is "dnn2" or "reduced-rnn1");
        var outDir = Path.Combine(dir, "reproduce-fast");
        var first = Run(source, experiments, outDir);
        Assert.Equal(2, first.Results.Count);
        Assert.All(first.Results, r => Assert.Equal(2, r.History.Epochs.Count));
        Assert.Equal(66, first.Results[1].Classes.Count);
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("**Data: SYNTHETIC**", report);
        Assert.Contains("| DNN2: DNN1 + Dropout(0.2) | 0.3225 |", report);
        Assert.DoesNotContain(" pt |", report.Split("## Paper vs fast")[0]);
        foreach (var png in new[] { "dnn2-accuracy.png", "dnn2-loss.png", "dnn2-confusion.png", "reduced-rnn1-confusion.png" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(outDir, png));
            Assert.True(bytes.Length > 5000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!;
        Assert.Equal(first.Results[0].Test.Accuracy, metrics["experiments"]!["dnn2"]!["test_accuracy"]!.GetValue<double>());
        Assert.Equal(2, metrics["experiments"]!["dnn2"]!["history"]!.AsArray().Count);

        var second = Run(source, experiments, outDir);
        Assert.All(second.Results, r => Assert.IsType<Provenance.AlreadyDone>(r.How));
        Assert.Equal(first.Results.Map(r => r.Test.Accuracy), second.Results.Map(r => r.Test.Accuracy));

        // reports travel: the data by file name and sha256, never the writer's folders; the models' training time (summed
        // from their folders) apart from the run that re-scored them and trained nothing
        var rescored = File.ReadAllText(Path.Combine(outDir, "report.md"));
        var again = File.ReadAllText(Path.Combine(outDir, "metrics.json"));
        foreach (var text in new[] { report, rescored, again })
        {
            Assert.DoesNotContain(Path.GetDirectoryName(source.Path)!, text);
            Assert.Contains(source.Sha256, text);
        }
        Assert.Contains($"(`{Path.GetFileName(source.Path)}`", rescored);
        Assert.Equal(Path.GetFileName(source.Path), JsonNode.Parse(again)!["data"]!["file"]!.GetValue<string>());
        var training = ReportWriter.Duration(first.Results.Sum(r => r.Seconds));
        Assert.Contains($"Training the 2 experiments' models took {training} (summed from their folders;", rescored);
        Assert.Contains(" and trained 0 of them.", rescored);
        Assert.Contains(" and trained 2 of them.", report);
    }

    [Theory]
    [InlineData(0.4, "0 s")]
    [InlineData(48, "48 s")]
    [InlineData(288, "4 min 48 s")]
    [InlineData(7260, "2 h 01 min")]
    public void Durations_read_as_a_person_says_them(double seconds, string text) => Assert.Equal(text, ReportWriter.Duration(seconds));

    [Fact]
    public void Twin_experiments_train_once_and_match_training_alone()
    {
        var (dir, source) = SyntheticSource();
        var both = Run(source, Experiments.OfReport.Filter(e => e.Name is "mlp" or "dnn1"), Path.Combine(dir, "both"));
        Assert.IsType<Provenance.Trained>(both.Results[0].How);
        Assert.Equal(new Provenance.SameTrainingAs("mlp"), both.Results[1].How);
        var alone = Run(source, Experiments.OfReport.Filter(e => e.Name is "dnn1"), Path.Combine(dir, "alone"));
        Assert.IsType<Provenance.Trained>(alone.Results[0].How);
        Assert.Equal(alone.Results[0].Test, both.Results[1].Test);
        Assert.Equal(alone.Results[0].History.Epochs.Map(e => e.Loss), both.Results[1].History.Epochs.Map(e => e.Loss));
        var copied = ModelFolder.Load(Path.Combine(dir, "both", "dnn1")).Match(m => m, e => throw new Xunit.Sdk.XunitException(e.Message));
        var trained = ModelFolder.Load(Path.Combine(dir, "alone", "dnn1"))
            .Match(m => m, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal("dnn1", copied.Spec.Name);
        Assert.Equal(trained.Spec, copied.Spec);
        Assert.Equal(ModelStore.Flatten(trained.Weights).Map(t => t.Values).ToArray(),
            ModelStore.Flatten(copied.Weights).Map(t => t.Values).ToArray());
        Assert.Contains("dnn1: same layers, labels and settings as mlp", File.ReadAllText(Path.Combine(dir, "both", "report.md")));
        var again = Run(source, Experiments.OfReport.Filter(e => e.Name is "mlp" or "dnn1"), Path.Combine(dir, "both"));
        Assert.All(again.Results, r => Assert.IsType<Provenance.AlreadyDone>(r.How));
    }

    [Fact]
    public void A_partial_run_reports_every_experiment_finished_in_the_folder_in_report_order()
    {
        var (dir, source) = SyntheticSource();
        var outDir = Path.Combine(dir, "reproduce-fast");
        var first = Run(source, Experiments.OfReport.Filter(e => e.Name is "dnn2"), outDir);
        var second = Run(source, Experiments.OfReport.Filter(e => e.Name is "softmax"), outDir);
        Assert.Equal(Seq("softmax", "dnn2"), second.Results.Map(r => r.Experiment.Name));
        Assert.IsType<Provenance.Trained>(second.Results[0].How);
        Assert.IsType<Provenance.AlreadyDone>(second.Results[1].How);
        Assert.Equal(first.Results[0].Test.Accuracy, second.Results[1].Test.Accuracy, 6);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!["experiments"]!.AsObject();
        Assert.Equal(new[] { "softmax", "dnn2" }, metrics.Select(p => p.Key).ToArray());
        Assert.Contains("| DNN2: DNN1 + Dropout(0.2) |", File.ReadAllText(Path.Combine(outDir, "report.md")));
    }

    [Fact]
    public void A_finished_experiment_counts_only_for_the_same_learning_rate()
    {
        var (dir, source) = SyntheticSource();
        var outDir = Path.Combine(dir, "reproduce-fast");
        var dnn2 = Experiments.OfReport.Filter(e => e.Name is "dnn2");
        Run(source, dnn2, outDir);
        var faster = Profile.Of("fast", "tiny test profile, 3× rate", new Settings(2, 128, 2, 3e-3));
        var second = Run(source, dnn2, outDir, faster);
        Assert.IsType<Provenance.Trained>(second.Results[0].How);
        Assert.Equal(3e-3, JsonNode.Parse(File.ReadAllText(Path.Combine(
            outDir, "dnn2", "settings.json")))!["learning_rate"]!.GetValue<double>());
        var third = Run(source, dnn2, outDir, faster);
        Assert.IsType<Provenance.AlreadyDone>(third.Results[0].How);
    }

    static ReproduceResult Run(DataSource source, Seq<Experiment> experiments, string outDir, Profile? profile = null) =>
        Reproduce.Run(Backend, source, profile ?? Tiny, experiments, outDir, None)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

    [Fact]
    public void Profiles_paper_is_the_notebooks_and_fast_is_smaller()
    {
        var rnn1 = Experiments.OfReport.Find(e => e.Name == "rnn1").IfNone(() => throw new Exception());
        Assert.Equal(new Settings(1000, 10_000, 2), Profiles.Paper().SettingsFor(rnn1));
        Assert.True(Profiles.Fast().SettingsFor(rnn1).Epochs < 1000);
        Assert.Equal(7, Experiments.OfReport.Count);
        Assert.True(Experiments.Only(Some("rnn1,nope")).IsFail);
    }

    /// <summary>Issue 23: an experiment is a value — its settings per profile are a table, no code — so two declared alike are
    /// equal, and a changed row or pipeline makes another experiment.</summary>
    [Fact]
    public void Experiments_are_values_with_a_settings_table_per_profile()
    {
        Experiment Named(string name) => (Experiments.OfReport + Experiments.Beyond).Find(e => e.Name == name)
            .IfNone(() => throw new Exception(name));
        var cosine = Some<RateSchedule>(new CosineDecay());
        Assert.Equal(new Settings(60, 256, 5), Profiles.Fast(5).SettingsFor(Named("softmax")));
        Assert.Equal(new Settings(150, 1024, 5, 3e-3, Decay: cosine), Profiles.Fast(5).SettingsFor(Named("dnn2")));
        Assert.Equal(new Settings(30, 512, 5, 1e-2, Decay: cosine), Profiles.Fast(5).SettingsFor(Named("reduced-rnn1")));
        Assert.Equal(new Settings(8, 512, 5, 8e-3, Decay: cosine), Profiles.Fast(5).SettingsFor(Named("rnn2")));
        // beyond the report: the same row under every profile
        Assert.Equal(Profiles.Paper(3).SettingsFor(Named("tabular")), Profiles.Fast(3).SettingsFor(Named("tabular")));
        Assert.Equal(Pipelines.Tabular, Named("tabular").Features);
        Assert.Equal(Pipelines.Report, Named("dnn1").Features);
        // RealMLP: its own pipeline, and its training's schedule, β₂ and label smoothing reach the training configuration
        Assert.Equal(Pipelines.RealMlp, Named("realmlp").Features);
        var realmlp = Profiles.Fast(4).SettingsFor(Named("realmlp"));
        Assert.Equal(new Settings(256, 256, 4, 2.5e-3, new EarlyStopping("val_accuracy", 256, RestoreAtEnd: true), new CosLog(4),
            0.95, 0.1),
            realmlp);
        var config = realmlp.ToConfig();
        Assert.Equal((0.95, 0.1, Some<RateSchedule>(new CosLog(4))), (config.Adam.Beta2, config.LabelSmoothing, config.Adam.Decay));
        Assert.Equal("0.0025 (coslog4)", realmlp.DescribeRate());
        Assert.Equal(realmlp, Ok(ExperimentJson.SettingsOf(ExperimentJson.ToJson(realmlp), "s")));
        var both = ExperimentJson.ToJson(realmlp);
        both["cosine_decay_alpha"] = 0.0;
        Assert.Equal("s: cosine_decay_alpha and coslog_cycles are two schedules: a run has one — the file is damaged",
            Fail(ExperimentJson.SettingsOf(both, "s")));
        var dnn1 = Named("dnn1");
        Assert.Equal(dnn1, dnn1 with { Training = dnn1.Training.SetItem("fast", Profiles.Dense) });
        Assert.NotEqual(dnn1, dnn1 with { Training = dnn1.Training.SetItem("fast", Profiles.Dense with { Epochs = 3 }) });
        Assert.NotEqual(dnn1, dnn1 with { Features = Pipelines.Tabular });
        Assert.Equal(Profiles.Fast(2), Profiles.Fast(2));
    }
}

