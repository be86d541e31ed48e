using System.Text.Json.Nodes;
using Genre.Models;
using Genre.Models.Backend.Torch;
using static Genre.Eval.Tests.SmallRuns;

namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// A reproduce run, its folders and its runners without the slow suites (Stryker over <c>Experiments/</c> with
/// <c>EVAL_FAST=1</c> found <c>Reproduce</c>, <c>ExperimentFolder</c> and <c>Ensembles</c> checked only by the classes that
/// train the report's models): the committed fast-profile softmax (<c>results/kaggle/fast/softmax</c>) re-scored on a small
/// synthetic file stands for a finished experiment, an ensemble is made of copies of it, and the only training is the
/// softmax's two epochs on that file.
/// </summary>
public class ExperimentsMutationTests2
{
    static readonly TorchBackend Backend = new();

    static readonly Experiment Softmax = Named("softmax");

    /// <summary>The committed softmax's settings: the fast profile's row, seed 2.</summary>
    static readonly Settings Committed = Profiles.Fast(2).SettingsFor(Softmax);

    static string CommittedSoftmax => Path.Combine(Inputs.RepoRoot, "results", "kaggle", "fast", "softmax");

    /// <summary>The committed softmax folder copied to <paramref name="dir"/>.</summary>
    static string SoftmaxAt(string dir) => Folders.CopyTree(CommittedSoftmax, dir);

    static PreparedData DataOf(DataSource source) => Ok(ReportData.Load(source)).Full;

    static T Found<T>(Option<T> o) => o.IfNone(() => throw new Xunit.Sdk.XunitException("expected a result"));

    // ---- a reproduce run that trains nothing

    [Fact]
    public void Reproduce_rescores_the_finished_folders_in_the_reports_order_and_writes_figures_metrics_and_report()
    {
        var (outDir, source) = Fresh("mut-reproduce");
        SoftmaxAt(Path.Combine(outDir, "softmax"));
        var events = new List<ReproduceEvent>();
        var run = Ok(Reproduce.Run(Backend, source, Profiles.Fast(2), Seq<Experiment>(), outDir, None,
            new SyncProgress<ReproduceEvent>(events.Add)));
        Assert.Equal(Seq1("softmax"), run.Results.Map(x => x.Experiment.Name));
        Assert.All(run.Results, x => Assert.IsType<Provenance.AlreadyDone>(x.How));
        Assert.All(run.Results, x => Assert.True(x.Scores.IsSome, $"{x.Experiment.Name}: not scored"));
        Assert.Empty(events); // nothing was asked for, so nothing started
        Assert.Equal((source, "fast", 2), (run.Source, run.Profile.Name, run.Profile.Seed));
        Assert.True(run.Gbdt.IsNone && run.TrackAware.IsEmpty && run.ArtistAware.IsEmpty && run.Merges.IsNone);
        Assert.True(run.GbdtTrackAware.IsNone && run.GbdtArtistAware.IsNone);
        Assert.Empty(run.Authors);

        // the same as re-scoring the folder alone, with the metrics beyond accuracy of its probabilities
        var data = DataOf(source);
        var alone = Found(Ok(Runners.Net.Rescore(new RunContext(Backend, data), Softmax, Committed, Path.Combine(outDir, "softmax"))));
        var softmax = run.Results.Head;
        Assert.Equal(alone.Test, softmax.Test);
        Assert.Equal(alone.TestPredictions, softmax.TestPredictions);
        Assert.Equal(Committed, softmax.Settings);
        var scores = Found(softmax.Scores);
        Assert.Equal(softmax.Test.Accuracy, scores.Top1, 6);

        foreach (var figure in new[] { "accuracy", "loss", "confusion" })
            Assert.True(File.Exists(Path.Combine(outDir, $"softmax-{figure}.png")), $"softmax-{figure}.png");
        Assert.True(File.Exists(Path.Combine(outDir, ScoresReport.Figure)));
        var metrics = Found(Ok(ChecksummedJson.Read(Path.Combine(outDir, "metrics.json"))));
        Assert.Equal(softmax.Test.Accuracy, (double)metrics["experiments"]!["softmax"]!["test_accuracy"]!, 12);
        Assert.NotNull(metrics["experiments"]!["softmax"]!["scores"]);
        Assert.StartsWith("{\n  \"", File.ReadAllText(Path.Combine(outDir, "metrics.json"))); // indented
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains(Softmax.Title, report);
        // the figures are the plots of its title and history (no authors' curve for softmax) and of its 114-genre confusion
        var (accuracy, loss) = Plots.LearningCurves(Softmax.Title, softmax.History, None);
        Assert.Equal(accuracy, File.ReadAllBytes(Path.Combine(outDir, "softmax-accuracy.png")));
        Assert.Equal(loss, File.ReadAllBytes(Path.Combine(outDir, "softmax-loss.png")));
        Assert.Equal(Plots.Confusion($"Confusion matrix (recall per actual genre): {Softmax.Title}", softmax.Confusion, softmax.Classes),
            File.ReadAllBytes(Path.Combine(outDir, "softmax-confusion.png")));
        Assert.False(Directory.Exists(Path.Combine(outDir, "gbdt")));
        Assert.False(Directory.Exists(Path.Combine(outDir, "track-aware")));
    }

    [Fact]
    public void A_cancelled_reproduce_run_scores_nothing_and_writes_no_report()
    {
        var (outDir, source) = Fresh("mut-cancelled");
        SoftmaxAt(Path.Combine(outDir, "softmax"));
        Directory.CreateDirectory(Path.Combine(outDir, "track-aware"));
        var run = Ok(Reproduce.Run(Backend, source, Profiles.Fast(2), Seq1(Named("dnn1")), outDir, None,
            cancel: new CancellationToken(true), beyond: new Beyond(TrackAware: true)));
        Assert.Empty(run.Results);
        Assert.Empty(run.TrackAware);
        Assert.False(File.Exists(Path.Combine(outDir, "report.md")));
        Assert.False(File.Exists(Path.Combine(outDir, "metrics.json")));
        Assert.False(Directory.Exists(Path.Combine(outDir, "dnn1")));
    }

    [Fact]
    public void A_track_aware_folder_of_an_earlier_run_is_read_again_though_not_asked_for()
    {
        var (outDir, source) = Fresh("mut-track-aware");
        var data = Ok(ReportData.Load(source));
        var split = Ok(TrackAware.Load(data.Cleaned));
        var trackAware = Path.Combine(outDir, "track-aware", "softmax");
        SoftmaxAt(trackAware);
        var e = Softmax with { Split = DataSplit.TrackAware };
        Ok(ExperimentFolder.MarkFinished(trackAware, e, Committed));
        SoftmaxAt(Path.Combine(outDir, "softmax"));
        Directory.CreateDirectory(Path.Combine(outDir, "artist-aware"));
        // softmax is asked for (and finished on the report split): without --track-aware it is not trained on the grouped splits
        var run = Ok(Reproduce.Run(Backend, source, Profiles.Fast(2), Seq1(Softmax), outDir, None));
        Assert.IsType<Provenance.AlreadyDone>(Assert.Single(run.Results).How);
        var x = Assert.Single(run.TrackAware);
        Assert.Equal(DataSplit.TrackAware, x.Experiment.Split);
        var alone = Found(Ok(Runners.Net.Rescore(new RunContext(Backend, Ok(split.For(e))), e, Committed, trackAware)));
        Assert.Equal(alone.TestPredictions, x.TestPredictions);
        Assert.Empty(run.ArtistAware); // its folder holds nothing finished
        Assert.False(Directory.Exists(Path.Combine(outDir, "artist-aware", "softmax")));
    }

    [Fact]
    public void Twin_experiments_train_once_and_the_twin_is_given_the_same_training()
    {
        var (outDir, source) = Fresh("mut-twins");
        var tiny = HashMap(("fast", new Settings(2, 128, 0)));
        var softmax = Softmax with { Training = tiny };
        var twin = softmax with { Name = "softmax-twin" };
        var faster = softmax with { Name = "softmax-faster", Training = HashMap(("fast", new Settings(2, 128, 0, 1e-2))) };
        var profile = new Profile("fast", "two epochs", 2);
        var events = new List<ReproduceEvent>();
        var run = Ok(Reproduce.Run(Backend, source, profile, Seq(softmax, twin, faster), outDir, None,
            new SyncProgress<ReproduceEvent>(events.Add)));
        Assert.Equal(Seq("softmax", "softmax-twin", "softmax-faster"), run.Results.Map(x => x.Experiment.Name));
        Assert.IsType<Provenance.Trained>(run.Results[0].How);
        Assert.Equal(new Provenance.SameTrainingAs("softmax"), run.Results[1].How);
        Assert.IsType<Provenance.Trained>(run.Results[2].How); // another rate is another training
        Assert.Equal(run.Results[0].TestPredictions, run.Results[1].TestPredictions);
        Assert.Equal(run.Results[0].Test, run.Results[1].Test);
        Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, "softmax", ModelFolder.WeightsFile)),
            File.ReadAllBytes(Path.Combine(outDir, "softmax-twin", ModelFolder.WeightsFile)));
        Assert.True(Ok(Runners.Net.Finished(twin, profile.SettingsFor(twin), Path.Combine(outDir, "softmax-twin"))));
        Assert.Equal(new[] { ("softmax", 0, 3), ("softmax-twin", 1, 3), ("softmax-faster", 2, 3) },
            events.OfType<ExperimentStarted>().Select(s => (s.Experiment.Name, s.Index, s.Total)).ToArray());
        Assert.Equal(new[] { "softmax", "softmax-twin", "softmax-faster" },
            events.OfType<ExperimentFinished>().Select(f => f.Result.Experiment.Name).ToArray());
        Assert.Contains(events, ev => ev is ExperimentTraining t && t.Experiment.Name == "softmax");
        Assert.DoesNotContain(events, ev => ev is ExperimentTraining t && t.Experiment.Name == "softmax-twin");
    }

    [Fact]
    public void The_authors_models_that_fit_are_scored_and_rnn1s_merges_compared()
    {
        var (outDir, source) = Fresh("mut-authors");
        foreach (var name in new[] { "rnn1", "reduced-rnn1" })
            Folders.CopyTree(Path.Combine(Inputs.RepoRoot, "results", "kaggle", "fast", name), Path.Combine(outDir, name));
        var authors = GenreCli.TempDir("mut-authors-models");
        var tiny = Path.Combine(Inputs.RepoRoot, "tests", "golden", "savedmodel", "tinyRNNnet");
        // the tiny model predicts 114 genres: it stands for RNN1net, and is refused as the 66 merged genres' model
        Folders.CopyTree(tiny, Path.Combine(authors, "RNN1net"));
        Folders.CopyTree(tiny, Path.Combine(authors, "reducedRNNnet"));
        var run = Ok(Reproduce.Run(Backend, source, Profiles.Fast(2), Seq<Experiment>(), outDir, Some(authors)));
        Assert.Equal(Seq("rnn1", "reduced-rnn1"), run.Results.Map(x => x.Experiment.Name));
        var scored = Assert.Single(run.Authors);
        Assert.Equal(("rnn1", "RNN1net"), (scored.Experiment, scored.Model));
        var data = DataOf(source);
        Assert.Equal(data.Scaled.Test.Y, scored.TestLabels);
        Assert.Equal(data.Genres.Classes, scored.Classes);
        Assert.Equal(data.Scaled.Test.Y.Length, scored.TestPredictions.Length);
        Assert.Equal(data.Scaled.Test.Y.Length, scored.Test.Count);
        Assert.Equal(Metrics.Accuracy(scored.TestLabels, scored.TestPredictions), scored.Test.Accuracy, 6);
        var merges = Found(run.Merges);
        Assert.Equal("rnn1", merges.Model);
        Assert.Equal(run.Results[0].Test.Accuracy, merges.RawAccuracy);
        Assert.Contains("RNN1net", File.ReadAllText(Path.Combine(outDir, "report.md")));
        // the authors' TF2 log is drawn only on the Kaggle file, and only the reduced experiment's confusion is merged
        Assert.True(AuthorsCurves.For("rnn1").IsSome);
        var (rnn1, reduced) = (run.Results[0], run.Results[1]);
        Assert.Equal(Plots.LearningCurves(rnn1.Experiment.Title, rnn1.History, None).Accuracy,
            File.ReadAllBytes(Path.Combine(outDir, "rnn1-accuracy.png")));
        Assert.Equal(Plots.Confusion($"Confusion matrix (recall per actual genre): {reduced.Experiment.Title}", reduced.Confusion,
            reduced.Classes, Some(GenreMapping.ReportMerges)), File.ReadAllBytes(Path.Combine(outDir, "reduced-rnn1-confusion.png")));
    }

    [Fact]
    public void Asked_for_the_grouped_splits_a_run_trains_its_experiments_on_each_and_names_their_progress_so()
    {
        var (outDir, source) = Fresh("mut-grouped");
        var events = new List<ReproduceEvent>();
        var run = Ok(Reproduce.Run(Backend, source, SmallRuns.Tiny, Seq1(Softmax), outDir, None,
            new SyncProgress<ReproduceEvent>(events.Add), beyond: new Beyond(TrackAware: true)));
        Assert.Equal(DataSplit.Report, Assert.Single(run.Results).Experiment.Split);
        Assert.Equal(DataSplit.TrackAware, Assert.Single(run.TrackAware).Experiment.Split);
        Assert.Equal(DataSplit.ArtistAware, Assert.Single(run.ArtistAware).Experiment.Split);
        Assert.True(Ok(Runners.Net.Finished(Softmax with { Split = DataSplit.ArtistAware }, SmallRuns.Tiny.SettingsFor(Softmax),
            Path.Combine(outDir, "artist-aware", "softmax"))));
        Assert.True(run.GbdtTrackAware.IsNone && run.GbdtArtistAware.IsNone); // no gbdt in the run: none on the grouped splits
        Assert.Equal(new[] { "softmax", "softmax (track-aware)", "softmax (artist-aware)" },
            events.OfType<ExperimentStarted>().Select(s => s.Experiment.Name).ToArray());
        Assert.Equal(new[] { "softmax", "softmax (track-aware)", "softmax (artist-aware)" },
            events.OfType<ExperimentFinished>().Select(f => f.Result.Experiment.Name).ToArray());
        Assert.Equal(new[] { "softmax", "softmax (track-aware)", "softmax (artist-aware)" },
            events.OfType<ExperimentTraining>().Select(t => t.Experiment.Name).Distinct().ToArray());
        // the renamed events are the run's own, only the name marked
        Assert.Equal(run.TrackAware[0].Test, events.OfType<ExperimentFinished>().ElementAt(1).Result.Test);
    }

    // ---- several seeds

    [Fact]
    public void Seeds_collect_every_seed_folder_of_the_output_in_seed_order()
    {
        var (outDir, source) = Fresh("mut-seeds");
        SoftmaxAt(Path.Combine(outDir, "seed-2", "softmax"));
        var three = SoftmaxAt(Path.Combine(outDir, "seed-3", "softmax"));
        Ok(ExperimentFolder.MarkFinished(three, Softmax, Committed with { Seed = 3 }));
        var run = Ok(Reproduce.RunSeeds(Backend, source, s => Profiles.Fast(s), Seq1(3), Seq<Experiment>(), outDir, None));
        Assert.Equal(Seq(2, 3), run.PerSeed.Map(r => r.Seed));
        Assert.Equal(3, run.Profile.Seed);
        var spread = Assert.Single(run.Experiments);
        Assert.Equal("softmax", spread.Experiment.Name);
        Assert.Equal(Seq(2, 3), spread.Runs.Map(r => r.Seed));
        Assert.Equal(spread.Accuracies[0], spread.Accuracies[1]); // the same weights under two seeds
        Assert.Equal(0, spread.Sd);
        Assert.True(File.Exists(Path.Combine(outDir, "report.md")));
        Assert.StartsWith("{\n  \"", File.ReadAllText(Path.Combine(outDir, "metrics.json"))); // indented
        Assert.True(File.Exists(Path.Combine(outDir, "seed-3", "report.md")), "the seed run writes its own report");
        Assert.False(File.Exists(Path.Combine(outDir, "seed-2", "report.md")), "a seed only collected is not written again");

        File.Delete(Path.Combine(outDir, "report.md"));
        var cancelled = Ok(Reproduce.RunSeeds(Backend, source, s => Profiles.Fast(s), Seq(4, 5), Seq<Experiment>(), outDir, None,
            cancel: new CancellationToken(true)));
        Assert.Equal(Seq(2, 3), cancelled.PerSeed.Map(r => r.Seed));
        Assert.False(Directory.Exists(Path.Combine(outDir, "seed-4")));
        Assert.False(File.Exists(Path.Combine(outDir, "report.md")), "a cancelled run writes no report");
    }

    [Fact]
    public void A_seed_cancelled_while_it_trains_writes_no_report_of_its_own()
    {
        var (outDir, source) = Fresh("mut-seed-cancelled");
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress<ReproduceEvent>(ev =>
        {
            if (ev is ExperimentStarted) cancel.Cancel();
        });
        var run = Ok(Reproduce.RunSeeds(Backend, source, s => SmallRuns.Tiny with { Seed = s }, Seq1(7), Seq1(Softmax), outDir, None,
            progress, cancel.Token));
        Assert.Empty(Assert.Single(run.PerSeed).Result.Results);
        Assert.False(File.Exists(Path.Combine(outDir, "seed-7", "report.md")));
        Assert.False(File.Exists(Path.Combine(outDir, "report.md")));
    }

    // ---- an experiment's folder

    static string FinishedSoftmax(string purpose) => SoftmaxAt(Path.Combine(GenreCli.TempDir(purpose), "softmax"));

    static string Marker(string dir) => Path.Combine(dir, ExperimentFolder.MarkerFile);

    static JsonObject MarkerWithout(string dir, Action<JsonObject> change)
    {
        var o = JsonNode.Parse(File.ReadAllText(Marker(dir)))!.AsObject();
        o.Remove("crc32c");
        change(o);
        Ok(ChecksummedJson.Write(Marker(dir), o));
        return o;
    }

    [Fact]
    public void A_finished_folder_gives_its_history_and_summed_seconds_only_for_its_recipe()
    {
        var dir = FinishedSoftmax("mut-folder");
        var run = Found(Ok(ExperimentFolder.Finished(dir, Softmax, Committed)));
        Assert.Equal(60, run.History.Epochs.Count);
        Assert.Equal(run.History.Epochs.Sum(e => e.Seconds), run.Seconds, 9);
        Assert.True(run.Seconds > 0);
        Assert.True(Ok(ExperimentFolder.Finished(dir, Softmax, Committed with { Seed = 3 })).IsNone);
        Assert.True(Ok(ExperimentFolder.Finished(dir, Softmax with { Split = DataSplit.ArtistAware }, Committed)).IsNone);
        Assert.True(Ok(ExperimentFolder.Finished(Path.Combine(dir, "absent"), Softmax, Committed)).IsNone);
        Assert.Equal(Seq("model.json", "history.json", "metrics.json", ModelFolder.WeightsFile, "preprocessing.json"),
            ExperimentFolder.FilesIn(dir));
        File.Delete(Path.Combine(dir, "preprocessing.json"));
        Assert.Equal(Seq("model.json", "history.json", "metrics.json", ModelFolder.WeightsFile), ExperimentFolder.FilesIn(dir));
    }

    [Fact]
    public void A_marker_records_the_settings_the_experiment_and_each_files_checksum()
    {
        var json = ExperimentFolder.Marker(Softmax, Committed, Seq(("a.json", "0000000a"), ("b.json", "0000000b")));
        Assert.Equal(ExperimentJson.ToJson(Committed).ToJsonString(),
            new JsonObject(json.Where(p => p.Key is not ("experiment" or "files"))
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString());
        Assert.Equal(ExperimentJson.ToJson(Softmax).ToJsonString(), json["experiment"]!.ToJsonString());
        Assert.Equal("{\"a.json\":\"0000000a\",\"b.json\":\"0000000b\"}", json["files"]!.ToJsonString());
        var dir = FinishedSoftmax("mut-mark");
        Ok(ExperimentFolder.MarkFinished(dir, Softmax, Committed with { Epochs = 7 }));
        var marker = JsonNode.Parse(File.ReadAllText(Marker(dir)))!;
        Assert.Equal(7, (int)marker["epochs"]!);
        foreach (var f in ExperimentFolder.FilesIn(dir))
            Assert.Equal(Crc32c.Hex(Crc32c.Compute(File.ReadAllBytes(Path.Combine(dir, f)))), (string)marker["files"]![f]!);
        Assert.True(Ok(ExperimentFolder.Finished(dir, Softmax, Committed with { Epochs = 7 })).IsSome);
    }

    [Fact]
    public void A_marker_without_an_experiment_or_checksums_is_from_an_earlier_genre()
    {
        var dir = FinishedSoftmax("mut-earlier");
        MarkerWithout(dir, o => o.Remove("files"));
        var refused = ExperimentFolder.Finished(dir, Softmax, Committed).Match(_ => null!, e => e);
        Assert.True(EarlierFormat.Is(refused));
        Assert.Equal($"{Marker(dir)} has no checksums of its files (written by an earlier genre): run genre migrate {dir}",
            refused.Message);
        var other = FinishedSoftmax("mut-earlier2");
        MarkerWithout(other, o => o.Remove("experiment"));
        Assert.Equal($"{Marker(other)} has no experiment (written by an earlier genre): run genre migrate {other}",
            Fail(ExperimentFolder.Finished(other, Softmax, Committed)));
        // the checksums are asked for only of the recipe asked for: another's marker is not read further
        Assert.True(Ok(ExperimentFolder.Finished(dir, Softmax, Committed with { Seed = 9 })).IsNone);
    }

    [Fact]
    public void Each_file_the_marker_vouches_for_must_be_there_with_its_checksum()
    {
        var dir = FinishedSoftmax("mut-weights");
        MarkerWithout(dir, o => o["files"]!.AsObject().Remove(ModelFolder.WeightsFile));
        Assert.Equal($"{Marker(dir)}: no checksum for the weights — the file is damaged",
            Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));

        dir = FinishedSoftmax("mut-history-crc");
        MarkerWithout(dir, o => o["files"]!.AsObject().Remove("history.json"));
        Assert.Equal($"{Marker(dir)}: no checksum for history.json — the file is damaged",
            Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));

        dir = FinishedSoftmax("mut-mismatch");
        var metrics = Path.Combine(dir, "metrics.json");
        var stored = (string)JsonNode.Parse(File.ReadAllText(Marker(dir)))!["files"]!["metrics.json"]!;
        File.AppendAllText(metrics, " ");
        Assert.Equal($"{metrics}: checksum mismatch (settings.json records crc32c {stored}) — the file is damaged; delete {dir} to " +
                     "train this experiment again", Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));

        dir = FinishedSoftmax("mut-missing");
        File.Delete(Path.Combine(dir, "history.json"));
        Assert.Equal($"{Path.Combine(dir, "history.json")}: missing, though settings.json marks the experiment finished",
            Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));

        // preprocessing.json is vouched for only when the marker lists it
        dir = FinishedSoftmax("mut-no-preprocessing");
        MarkerWithout(dir, o => o["files"]!.AsObject().Remove("preprocessing.json"));
        File.WriteAllText(Path.Combine(dir, "preprocessing.json"), "changed");
        Assert.True(Ok(ExperimentFolder.Finished(dir, Softmax, Committed)).IsSome);
    }

    /// <summary>The softmax folder with <paramref name="name"/> replaced by <paramref name="text"/>, the marker vouching for
    /// it.</summary>
    static string Rewritten(string purpose, string name, string text)
    {
        var dir = FinishedSoftmax(purpose);
        File.WriteAllText(Path.Combine(dir, name), text);
        Ok(ExperimentFolder.MarkFinished(dir, Softmax, Committed));
        return dir;
    }

    [Fact]
    public void A_history_or_metrics_that_is_not_what_training_writes_is_damaged()
    {
        var dir = Rewritten("mut-history-object", "history.json", "{}");
        Assert.Equal($"{Path.Combine(dir, "history.json")}: not a list of epochs — the file is damaged",
            Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));
        dir = Rewritten("mut-history-epoch", "history.json", "[{\"epoch\":1,\"loss\":2,\"accuracy\":0.5}]");
        Assert.Equal($"{Path.Combine(dir, "history.json")}: not a list of epochs — the file is damaged",
            Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));
        dir = Rewritten("mut-history-null", "history.json", "[null]");
        Assert.Equal($"{Path.Combine(dir, "history.json")}: not a list of epochs — the file is damaged",
            Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));
        dir = Rewritten("mut-history-json", "history.json", "[");
        Assert.EndsWith("— the file is damaged", Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));
        Assert.StartsWith(Path.Combine(dir, "history.json"), Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));
        dir = Rewritten("mut-metrics-json", "metrics.json", "{");
        Assert.EndsWith("— the file is damaged", Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));
        Assert.StartsWith(Path.Combine(dir, "metrics.json"), Fail(ExperimentFolder.Finished(dir, Softmax, Committed)));

        dir = Rewritten("mut-history-nulls", "history.json",
            "[{\"epoch\":1,\"loss\":2,\"accuracy\":0.5,\"val_loss\":null,\"val_accuracy\":null,\"seconds\":1.5}," +
            "{\"epoch\":2,\"loss\":1,\"accuracy\":0.75,\"val_loss\":0.5,\"val_accuracy\":0.25,\"seconds\":2}]");
        var run = Found(Ok(ExperimentFolder.Finished(dir, Softmax, Committed)));
        Assert.Equal(2, run.History.Epochs.Count);
        var (first, second) = (run.History.Epochs[0], run.History.Epochs[1]);
        Assert.Equal((1, 2.0, 0.5, 1.5), (first.Epoch, first.Loss, first.Accuracy, first.Seconds));
        Assert.True(double.IsNaN(first.ValLoss) && double.IsNaN(first.ValAccuracy));
        Assert.Equal((2, 1.0, 0.75, 0.5, 0.25, 2.0), (second.Epoch, second.Loss, second.Accuracy, second.ValLoss, second.ValAccuracy,
            second.Seconds));
        Assert.Equal(3.5, run.Seconds);
    }

    [Fact]
    public void Copying_a_twins_training_gives_its_weights_history_and_metrics_under_this_experiments_marker()
    {
        var source = FinishedSoftmax("mut-copy");
        var to = Path.Combine(Path.GetDirectoryName(source)!, "softmax-twin");
        var twin = Softmax with { Name = "softmax-twin" };
        var h = new History(Seq(new EpochMetrics(1, 2, 0.5, 1.5, 0.25, 3), new EpochMetrics(2, 1, 0.75, 1, 0.5, 4)));
        var done = new ExperimentResult(Softmax, Committed, new Evaluation(1.25, 0.375, 8), h, 7, new long[1, 1], Seq1("a"),
            new Provenance.Trained());
        Ok(ExperimentFolder.CopyTraining(source, to, twin, Zoo.Softmax(), done));
        var run = Found(Ok(ExperimentFolder.Finished(to, twin, Committed)));
        Assert.Equal(h.Epochs, run.History.Epochs);
        Assert.Equal(7.0, run.Seconds);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(to, "metrics.json")))!;
        Assert.Equal((0.375, 1.25, 8), ((double)metrics["test_accuracy"]!, (double)metrics["test_loss"]!, (int)metrics["n"]!));
        Assert.Equal(Ok(ModelFolder.Load(source)).Weights, Ok(ModelFolder.Load(to)).Weights);
        Assert.Equal(File.ReadAllText(Path.Combine(source, "preprocessing.json")),
            File.ReadAllText(Path.Combine(to, "preprocessing.json")));
        Assert.Contains(Path.Combine(source, "absent"),
            Fail(ExperimentFolder.CopyTraining(Path.Combine(source, "absent"), to + "2", twin, Zoo.Softmax(), done)));
        Assert.False(File.Exists(Path.Combine(to + "2", ExperimentFolder.MarkerFile)));
    }

    // ---- an ensemble of finished members

    static readonly Experiment Pair = new("softmax-pair", "Two softmaxes", new Learner.Ensemble(Zoo.Softmax(), 2), double.NaN, None);

    /// <summary>Member k of <see cref="Pair"/> in <paramref name="dir"/>: the committed softmax, marked as that member.</summary>
    /// <summary>An ensemble folder of <see cref="Pair"/> whose two members were trained (seed 5) and whose record was written by
    /// a run that trained nothing.</summary>
    static (string Out, PreparedData Data, string Dir, Settings S) TwoMembersRecorded(string purpose)
    {
        var (outDir, source) = Fresh(purpose);
        var data = DataOf(source);
        var dir = Path.Combine(outDir, Pair.Name);
        var s = Committed with { Seed = 5 };
        MemberAt(dir, 1, s);
        MemberAt(dir, 2, s);
        Ok(Ensembles.Run(Backend, Pair, s, data, dir, trainOne: null, CancellationToken.None));
        return (outDir, data, dir, s);
    }

    static void MemberAt(string dir, int k, Settings s)
    {
        var at = SoftmaxAt(Path.Combine(dir, EnsembleFolder.MemberName(k)));
        Ok(ExperimentFolder.MarkFinished(at, Ensembles.Member(Pair, k), Ensembles.MemberSettings(s, k)));
    }

    [Fact]
    public void An_ensemble_of_finished_members_is_recorded_and_scored_as_the_mean_of_its_members()
    {
        var (outDir, source) = Fresh("mut-ensemble");
        var data = DataOf(source);
        var dir = Path.Combine(outDir, Pair.Name);
        var s = Committed with { Seed = 5 };
        MemberAt(dir, 1, s);
        MemberAt(dir, 2, s);
        var context = new RunContext(Backend, data);
        Assert.False(Ok(Runners.Ensemble.Finished(Pair, s, dir)), "no ensemble.json yet");
        Assert.True(Ok(Runners.Ensemble.Rescore(context, Pair, s, dir)).IsNone);
        var x = Found(Ok(Ensembles.Run(Backend, Pair, s, data, dir, trainOne: null, CancellationToken.None)));
        Assert.True(EnsembleFolder.Is(dir));
        Assert.True(Ok(Runners.Ensemble.Finished(Pair, s, dir)));
        Assert.False(Ok(Runners.Ensemble.Finished(Pair, s with { Seed = 6 }, dir)));
        Assert.IsType<Provenance.AlreadyDone>(x.How);
        Assert.Equal(s, x.Settings);
        var members = Found(x.Ensemble).Members;
        Assert.Equal(Seq(5, 6), members.Map(m => m.Seed));
        Assert.Equal(Seq(60, 60), members.Map(m => m.Epochs));
        // two copies of one model: the mean is that model
        var one = Found(Ok(Runners.Net.Rescore(context, Softmax, Committed, CommittedSoftmax)));
        Assert.Equal(one.TestPredictions, x.TestPredictions);
        Assert.Equal(one.Test.Accuracy, x.Test.Accuracy, 12);
        Assert.All(members, m => Assert.Equal(one.Test.Accuracy, m.TestAccuracy, 12));
        Assert.Equal(members[0].ValAccuracy, Found(x.Ensemble).ValAccuracy, 12);
        Assert.Equal(one.Seconds * 2, x.Seconds, 9);
        Assert.Equal(one.History.Epochs, x.History.Epochs);
        Assert.Equal(data.Scaled.Test.Y, x.TestLabels);
        Assert.Equal(data.Genres.Classes, x.Classes);
        Assert.Equal(data.Scaled.Test.Y.Length * data.Genres.Count, x.TestProbabilities.Length);
        Assert.Equal(data.Scaled.Test.Y.Length, x.Confusion.Cast<long>().Sum());
        Assert.Equal(Seq(EnsembleFolder.FileName, Path.Combine("member-1", "model.json")),
            Runners.Ensemble.Files(dir).Take(2).ToSeq());
        Assert.Equal(1 + 2 * 5, Runners.Ensemble.Files(dir).Count);
        var again = Found(Ok(Runners.Ensemble.Rescore(context, Pair, s, dir)));
        Assert.Equal(x.TestPredictions, again.TestPredictions);
    }

    [Fact]
    public void An_ensemble_trains_only_its_unfinished_members_and_stops_when_one_is_interrupted()
    {
        var (outDir, source) = Fresh("mut-ensemble-train");
        var data = DataOf(source);
        var dir = Path.Combine(outDir, Pair.Name);
        var s = Committed with { Seed = 5 };
        MemberAt(dir, 1, s);
        Assert.True(Ok(Ensembles.Run(Backend, Pair, s, data, dir, trainOne: null, CancellationToken.None)).IsNone);
        var asked = new List<(string, int, string)>();
        Fin<Option<ExperimentResult>> Interrupted(Experiment e, Settings ms, string at)
        {
            asked.Add((e.Name, ms.Seed, at));
            return Option<ExperimentResult>.None;
        }
        Assert.True(Ok(Ensembles.Run(Backend, Pair, s, data, dir, Interrupted, CancellationToken.None)).IsNone);
        Assert.Equal(new[] { ("softmax-pair member 2", 6, Path.Combine(dir, "member-2")) }, asked.ToArray());
        Assert.False(EnsembleFolder.Is(dir));
        Assert.True(Ok(Ensembles.Run(Backend, Pair, s, data, dir, Interrupted, new CancellationToken(true))).IsNone);
        Assert.Single(asked); // cancelled: not asked again
        Assert.Equal("broken", Fail(Ensembles.Run(Backend, Pair, s, data, dir,
            (_, _, _) => FinFail<Option<ExperimentResult>>(GenreError.Model("broken")), CancellationToken.None)));

        var h = new History(Seq1(new EpochMetrics(1, 2, 0.5, 1.5, 0.25, 3)));
        var x = Found(Ok(Ensembles.Run(Backend, Pair, s, data, dir, (e, ms, at) =>
        {
            MemberAt(dir, 2, s);
            return Some(new ExperimentResult(e, ms, new Evaluation(1, 0.5, 1), h, 11, new long[1, 1], Seq1("a"),
                new Provenance.Trained()));
        }, CancellationToken.None)));
        Assert.IsType<Provenance.Trained>(x.How);
        Assert.True(EnsembleFolder.Is(dir));
        Assert.Equal(Seq(60, 1), Found(x.Ensemble).Members.Map(m => m.Epochs));
        var first = Found(Ok(ExperimentFolder.Finished(Path.Combine(dir, "member-1"), Ensembles.Member(Pair, 1),
            Ensembles.MemberSettings(s, 1))));
        Assert.Equal(first.Seconds + 11, x.Seconds, 9);
    }

    [Fact]
    public void A_damaged_member_is_an_error_naming_its_file_not_a_retraining()
    {
        var (_, data, dir, s) = TwoMembersRecorded("mut-ensemble-damaged");
        var history = Path.Combine(dir, "member-2", "history.json");
        File.AppendAllText(history, " ");
        var asked = 0;
        Assert.StartsWith($"{history}: checksum mismatch", Fail(Ensembles.Run(Backend, Pair, s, data, dir, (_, _, _) =>
        {
            asked++;
            return Option<ExperimentResult>.None;
        }, CancellationToken.None)));
        Assert.Equal(0, asked);
        Assert.StartsWith($"{history}: checksum mismatch", Fail(Runners.Ensemble.Finished(Pair, s, dir)));
    }

    [Fact]
    public void Re_scoring_an_ensemble_writes_nothing_and_training_announces_each_member()
    {
        var (outDir, data, dir, s) = TwoMembersRecorded("mut-ensemble-rescore");
        var record = Path.Combine(dir, EnsembleFolder.FileName);
        var longAgo = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(record, longAgo);
        Assert.True(Ok(Runners.Ensemble.Rescore(new RunContext(Backend, data), Pair, s, dir)).IsSome);
        Assert.Equal(longAgo, File.GetLastWriteTimeUtc(record));

        var events = new List<ReproduceEvent>();
        var context = new RunContext(Backend, data, new SyncProgress<ReproduceEvent>(events.Add)) { Index = 3, Total = 7 };
        var tiny = new Settings(2, 128, 5);
        var trained = Found(Ok(Runners.Ensemble.Run(context, Pair, tiny, Path.Combine(outDir, "trained"))));
        Assert.IsType<Provenance.Trained>(trained.How);
        Assert.Equal(new[] { ("softmax-pair member 1", 3, 7, 5), ("softmax-pair member 2", 3, 7, 6) },
            events.OfType<ExperimentStarted>().Select(e => (e.Experiment.Name, e.Index, e.Total, e.Settings.Seed)).ToArray());
    }

    [Fact]
    public void An_interrupted_network_or_cancelled_trees_leave_nothing_finished()
    {
        var (outDir, source) = Fresh("mut-interrupted");
        var data = DataOf(source);
        var cancelled = new RunContext(Backend, data, Cancel: new CancellationToken(true));
        var tiny = new Settings(2, 128, 2);
        var dir = Path.Combine(outDir, "softmax");
        Assert.True(Ok(Runners.Net.Run(cancelled, Softmax, tiny, dir)).IsNone);
        Assert.False(Ok(Runners.Net.Finished(Softmax, tiny, dir)));
        Assert.False(File.Exists(Path.Combine(dir, ExperimentFolder.MarkerFile)));
        var trees = Path.Combine(outDir, "gbdt");
        Assert.True(Ok(Runners.Trees.Run(cancelled, Experiments.Gbdt, tiny, trees)).IsNone);
        Assert.False(File.Exists(Path.Combine(trees, Gbdt.TrialsFile)));
    }

    [Fact]
    public void The_metrics_beyond_accuracy_need_the_test_probabilities_and_the_listed_genres_need_the_tracks()
    {
        var (outDir, source) = Fresh("mut-scores");
        var data = Ok(ReportData.Load(source));
        var dir = SoftmaxAt(Path.Combine(outDir, "softmax"));
        var x = Found(Ok(Runners.Net.Rescore(new RunContext(Backend, data.Full), Softmax, Committed, dir)));
        Assert.True(Reproduce.WithScores(x with { TestProbabilities = [] }, data).Scores.IsNone);
        Assert.True(Found(Reproduce.WithScores(x, data).Scores).AnyListedGenre.IsSome);
        var bare = data with { Cleaned = Seq<Track>() };
        var scores = Found(Reproduce.WithScores(x, bare).Scores);
        Assert.True(scores.AnyListedGenre.IsNone);
        Assert.Equal(x.Test.Accuracy, scores.Top1, 6);

        var g = new GbdtResult(Seq<GbdtTrial>(), new GbdtSettings(0.1, 7, 5), x.Test, 1, x.TestLabels, x.TestPredictions, x.Classes,
            new Provenance.Trained());
        Assert.True(Reproduce.WithScores(g, data).Scores.IsNone);
        var gbdt = Found(Reproduce.WithScores(g with { TestProbabilities = x.TestProbabilities }, data).Scores);
        Assert.Equal(scores.Top1, gbdt.Top1);
        Assert.True(gbdt.AnyListedGenre.IsSome);
    }

    // ---- training one run

    [Fact]
    public void A_training_run_saves_its_model_history_and_metrics_unless_interrupted()
    {
        var (outDir, source) = Fresh("mut-training");
        var data = DataOf(source);
        var config = new Settings(2, 128, 2).ToConfig();
        var o = Ok(TrainingRun.Run(Backend, Zoo.Softmax(), data, config, outDir));
        Assert.False(o.Interrupted);
        Assert.Equal(2, o.History.Epochs.Count);
        Assert.Equal(TrainingRun.TrainingSeconds(o.History), o.Seconds);
        Assert.Equal(data.Scaled.Test.Y.Length, o.TestPredictions.Length);
        Assert.Equal(data.Scaled.Test.Y.Length * data.Genres.Count, o.TestProbabilities.Length);
        Assert.Equal(Metrics.Argmax(o.TestProbabilities, data.Genres.Count), o.TestPredictions);
        Assert.Equal(data.Scaled.Test.Y.Length, o.Test.Count);
        foreach (var f in ExperimentFolder.Files.Add(ModelFolder.WeightsFile).Add("preprocessing.json"))
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        Assert.True(Directory.Exists(Path.Combine(outDir, "checkpoints")));
        Assert.Equal(TrainingRun.MetricsJson(o).ToJsonString(new() { WriteIndented = true }),
            File.ReadAllText(Path.Combine(outDir, "metrics.json")));
        Assert.Equal(TrainingRun.HistoryJson(o.History).ToJsonString(), File.ReadAllText(Path.Combine(outDir, "history.json")));

        // starting from the trained weights: the same predictions before any step counts
        var stored = Ok(ModelFolder.Load(outDir));
        var (again, _) = Fresh("mut-training-initial");
        var resumed = Ok(TrainingRun.Run(Backend, Zoo.Softmax(), data, config with { Epochs = 1 }, again, initial: stored.Weights));
        Assert.Single(resumed.History.Epochs);
        Assert.True(resumed.History.Epochs[0].Accuracy > 0);

        var (elsewhere, _) = Fresh("mut-training-checkpoints");
        var kept = Path.Combine(elsewhere, "kept");
        Ok(TrainingRun.Run(Backend, Zoo.Softmax(), data, config with { Checkpoints = new CheckpointPolicy(kept, EveryEpochs: 1) },
            elsewhere));
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(kept));
        Assert.False(Directory.Exists(Path.Combine(elsewhere, "checkpoints")), "the policy given is the one followed");

        var (cancelled, _) = Fresh("mut-training-cancelled");
        var stopped = Ok(TrainingRun.Run(Backend, Zoo.Softmax(), data, config, cancelled, cancel: new CancellationToken(true)));
        Assert.True(stopped.Interrupted);
        Assert.False(File.Exists(Path.Combine(cancelled, "metrics.json")));
        Assert.False(File.Exists(Path.Combine(cancelled, "model.json")));
    }
}
