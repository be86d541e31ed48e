using System.Reflection;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend.Torch;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Eval.Tests;

public class ReproduceTests
{
    static string Temp() { var d = Path.Combine(Path.GetTempPath(), "genre-eval-" + Guid.NewGuid().ToString("N")); Directory.CreateDirectory(d); return d; }

    static readonly Profile Tiny = new("fast", "tiny test profile", e => new Settings(2, 128, 2));

    [Fact]
    public void Reproduce_writes_report_metrics_and_figures_and_skips_finished_work()
    {
        var dir = Temp();
        var data = Path.Combine(dir, "d.csv");
        Assert.True(TrackCsv.Save(data, Synthetic.Generate(5, 6)).IsSucc);
        var source = new DataSource(data, true, 5, "");
        var experiments = Experiments.Report.Filter(e => e.Name is "dnn2" or "reduced-rnn1");
        var backend = new TorchBackend(2);
        var outDir = Path.Combine(dir, "reproduce-fast");
        var first = Run(backend, source, experiments, outDir);
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

        var second = Run(backend, source, experiments, outDir);
        Assert.All(second.Results, r => Assert.True(r.Resumed));
        Assert.Equal(first.Results.Map(r => r.Test.Accuracy), second.Results.Map(r => r.Test.Accuracy));
    }

    static ReproduceResult Run(TorchBackend backend, DataSource source, Seq<Experiment> experiments, string outDir) =>
        Reproduce.Run(backend, source, Tiny, experiments, outDir, None).Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

    [Fact]
    public void Profiles_paper_is_the_notebooks_and_fast_is_smaller()
    {
        var rnn1 = Experiments.Report.Find(e => e.Name == "rnn1").IfNone(() => throw new Exception());
        Assert.Equal(new Settings(1000, 10_000, 2), Profiles.Paper().SettingsFor(rnn1));
        Assert.True(Profiles.Fast().SettingsFor(rnn1).Epochs < 1000);
        Assert.Equal(7, Experiments.Report.Count);
        Assert.True(Experiments.Only(Some("rnn1,nope")).IsFail);
    }
}
