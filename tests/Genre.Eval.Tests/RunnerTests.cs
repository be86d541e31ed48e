using System.Text.Json.Nodes;
using Genre.Data.Stages;
using Genre.Models;
using Genre.Models.Backend.Torch;

namespace Genre.Eval.Tests;

/// <summary>
/// Issue 23, point 3: one runner interface for one network, an ensemble and gradient-boosted trees (finished? run, re-score,
/// files), and an experiment that round-trips through its folder's settings file, so a changed experiment is told apart by value.
/// </summary>
public class RunnerTests
{
    static readonly TorchBackend Backend = new();
    static readonly Settings Quick = new(2, 128, 2);
    static readonly Experiment Dnn1 =
        Experiments.OfReport.Find(e => e.Name == "dnn1").IfNone(() => throw new Xunit.Sdk.XunitException("dnn1"));

    static (string Dir, PreparedData Data) Fresh(string purpose)
    {
        var (dir, source) = SmallRuns.SyntheticSource(purpose);
        return (Path.Combine(dir, "out"), Ok(ReportData.Load(source)).Full);
    }

    /// <summary>The same steps for every learner: nothing finished → run → finished, its files there → re-scored alike.</summary>
    static void Lifecycle<R>(IRunner<R> runner, Experiment e, Func<R, (double Accuracy, int[] Predictions, Provenance How)> view)
    {
        var (dir, data) = Fresh("runner-" + e.Name);
        var context = new RunContext(Backend, data);
        Assert.False(Ok(runner.Finished(e, Quick, dir)));
        Assert.True(Ok(runner.Rescore(context, e, Quick, dir)).IsNone);
        var trained = view(Found(Ok(runner.Run(context, e, Quick, dir))));
        Assert.IsType<Provenance.Trained>(trained.How);
        Assert.True(Ok(runner.Finished(e, Quick, dir)));
        var files = runner.Files(dir);
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(File.Exists(Path.Combine(dir, f)), $"{f} is listed but missing"));
        foreach (var again in new[] { Ok(runner.Rescore(context, e, Quick, dir)), Ok(runner.Run(context, e, Quick, dir)) })
        {
            var rescored = view(Found(again));
            Assert.IsType<Provenance.AlreadyDone>(rescored.How);
            Assert.Equal(trained.Accuracy, rescored.Accuracy);
            Assert.Equal(trained.Predictions, rescored.Predictions);
        }
        Assert.False(Ok(runner.Finished(e, Quick with { Seed = 3 }, dir)), "another seed is another run");
    }

    static R Found<R>(Option<R> o) => o.IfNone(() => throw new Xunit.Sdk.XunitException("expected a result"));

    static (double, int[], Provenance) Net(ExperimentResult r) => (r.Test.Accuracy, r.TestPredictions, r.How);

    [Fact]
    public void One_network_runs_through_the_runner_interface() => Lifecycle(Runners.Net, Dnn1, Net);

    [Fact]
    public void An_ensemble_runs_through_the_same_interface()
    {
        var ensemble = Dnn1 with { Name = "dnn1-pair", Model = new Learner.Ensemble(Zoo.Dnn1(), 2) };
        Assert.Same(Runners.Ensemble, Runners.OfNetworks(ensemble));
        Lifecycle(Runners.Ensemble, ensemble, Net);
    }

    [Fact]
    public void Gradient_boosted_trees_run_through_the_same_interface()
    {
        var trees = Experiments.Gbdt with { Model = new Learner.Trees(Seq1(new GbdtSettings(0.1, 7, 5, MaxRounds: 8, EarlyStop: 4))) };
        Lifecycle(Runners.Trees, trees, g => (g.Test.Accuracy, g.TestPredictions, g.How));
    }

    [Fact]
    public void A_runner_given_another_learner_says_so()
    {
        var (dir, data) = Fresh("runner-mismatch");
        Assert.Contains("gbdt: not a network", Fail(Runners.Net.Run(new RunContext(Backend, data), Experiments.Gbdt, Quick, dir)));
        Assert.Contains("dnn1: not gradient-boosted trees", Fail(Runners.Trees.Run(new RunContext(Backend, data), Dnn1, Quick, dir)));
    }

    [Fact]
    public void The_settings_file_holds_the_experiment_and_a_changed_experiment_is_not_the_finished_one()
    {
        var (dir, data) = Fresh("runner-recipe");
        Ok(Runners.Net.Run(new RunContext(Backend, data), Dnn1, Quick, dir));
        var marker = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, ExperimentFolder.MarkerFile)))!.AsObject();
        Assert.Equal(Dnn1, Ok(ExperimentJson.FromJson(marker["experiment"]!.AsObject(), "settings.json")));
        Assert.Equal(Quick, Ok(ExperimentJson.SettingsOf(marker, "settings.json")));

        // what trains differently is another experiment…
        var fewer = Pipeline.Of(new SelectColumns(Seq1("danceability")), new MinMax());
        Assert.False(Ok(Runners.Net.Finished(Dnn1 with { Features = fewer }, Quick, dir)));
        Assert.False(Ok(Runners.Net.Finished(Dnn1 with { Labels = GenreMapping.ReportMerges }, Quick, dir)));
        Assert.False(Ok(Runners.Net.Finished(Dnn1 with { Split = DataSplit.TrackAware }, Quick, dir)));
        Assert.False(Ok(Runners.Net.Finished(Dnn1 with { Model = new Learner.Net(Zoo.Dnn2()) }, Quick, dir)));
        Assert.False(Ok(Runners.Net.Finished(Dnn1, Quick with { EarlyStopping = new EarlyStopping(Patience: 3) }, dir)));
        // …what only names or describes it is not
        var described = Dnn1 with { Title = "renamed", Training = HashMap(("paper", Profiles.Notebooks)) };
        Assert.True(Ok(Runners.Net.Finished(described, Quick, dir)));
    }

    [Fact]
    public void A_damaged_experiment_in_the_settings_file_is_an_error_naming_the_member()
    {
        var (dir, data) = Fresh("runner-damaged");
        Ok(Runners.Net.Run(new RunContext(Backend, data), Dnn1, Quick, dir));
        var path = Path.Combine(dir, ExperimentFolder.MarkerFile);
        var marker = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        marker.Remove("crc32c");
        marker["experiment"]!["split"] = "sideways";
        Ok(ChecksummedJson.Write(path, marker)); // a marker with a valid checksum and a wrong member: read, then refused
        Assert.Equal($"{path}: experiment: unknown split 'sideways' (known: report, track-aware, artist-aware) — the file is damaged",
            Fail(Runners.Net.Finished(Dnn1, Quick, dir)));
    }

    [Fact]
    public void Every_experiment_genre_declares_round_trips_through_json()
    {
        foreach (var e in Experiments.OfReport + Experiments.Beyond + Seq1(Experiments.Gbdt))
            Assert.Equal(e, Ok(ExperimentJson.FromJson(JsonNode.Parse(ExperimentJson.ToJson(e).ToJsonString())!.AsObject(), e.Name)));
    }
}
