using Genre.Models;
using Genre.Models.Backend.Torch;

namespace Genre.Eval.Tests;

/// <summary>gbdt, the track-aware split and learned merges inside a reproduce run, on a small synthetic file.</summary>
public class BeyondTests
{
    static readonly Profile Tiny = SmallRuns.Tiny;

    static (string Dir, DataSource Source) SyntheticSource() => SmallRuns.SyntheticSource("beyond");

    [Fact]
    public void Track_aware_split_keeps_every_track_on_one_side()
    {
        var (_, source) = SyntheticSource();
        var cleaned = Cleaning.Clean(TrackCsv.Load(source.Path).Match(t => t, e => throw new Exception(e.Head.Message))).Tracks;
        var (train, val, test) = TrackAware.Split(cleaned).Match(s => s, e => throw new Exception(e.Message));
        Assert.Equal(cleaned.Count, train.Length + val.Length + test.Length);
        var sides = new[] { train, val, test }.Select(rows => rows.Select(i => cleaned[i].TrackId).ToHashSet()).ToArray();
        Assert.Empty(sides[0].Intersect(sides[2]));
        Assert.Empty(sides[0].Intersect(sides[1]));
        Assert.Empty(sides[1].Intersect(sides[2]));
        // the synthetic file re-lists tracks under several genres, so the report's row split would share tracks across it
        var report = Split.ReportSplit(cleaned.Count).Match(s => s, e => throw new Exception(e.Message));
        Assert.NotEmpty(report.Train.Select(i => cleaned[i].TrackId).ToHashSet().Intersect(report.Test.Select(i => cleaned[i].TrackId)));
    }

    [Fact]
    public void Gbdt_track_aware_runs_and_learned_merges_land_in_the_report_and_are_rescored_on_a_second_run()
    {
        var (dir, source) = SyntheticSource();
        var outDir = Path.Combine(dir, "reproduce-fast");
        var experiments = Experiments.OfReport.Filter(e => e.Name is "rnn1");
        ReproduceResult Run() => Reproduce.Run(new TorchBackend(), source, Tiny, experiments, outDir, None,
            beyond: new Beyond(Gbdt: true, TrackAware: true, Threads: 2))
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

        var first = Run();
        var gbdt = first.Gbdt.IfNone(() => throw new Xunit.Sdk.XunitException("no gbdt result"));
        Assert.IsType<Provenance.Trained>(gbdt.How);
        Assert.Equal(Gbdt.Candidates, gbdt.Trials.Map(t => t.Settings));
        Assert.Equal(gbdt.Trials.Map(t => t.ValAccuracy).Max(), gbdt.ValAccuracy);
        Assert.Equal(Metrics.Accuracy(gbdt.TestLabels, gbdt.TestPredictions), gbdt.Test.Accuracy, 12);
        Assert.Equal("rnn1", Assert.Single(first.TrackAware).Experiment.Name);
        Assert.True(first.GbdtTrackAware.IsSome);
        // each split's trees in a gbdt folder of their own, beside the split's networks
        foreach (var split in new[] { "", "track-aware", "artist-aware" })
            Assert.True(File.Exists(Path.Combine(outDir, split, "gbdt", Gbdt.TrialsFile)), $"{split}/gbdt/{Gbdt.TrialsFile}");
        var merges = first.Merges.IfNone(() => throw new Xunit.Sdk.XunitException("no merge comparison"));
        Assert.Equal(66, merges.Classes);
        Assert.Equal(66, MergeAware.ClassMap(first.Results[0].Classes, merges.Learned).Merged.Count);
        Assert.True(merges.HandAccuracy >= merges.RawAccuracy && merges.LearnedAccuracy >= merges.RawAccuracy);

        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("## Beyond the report", report);
        Assert.Contains("| gbdt | ", report);
        Assert.Contains("## Learned merges vs the report's hand merges", report);
        Assert.Contains("## How sure", report);

        var second = Run();
        var again = second.Gbdt.IfNone(() => throw new Xunit.Sdk.XunitException("no gbdt result"));
        Assert.IsType<Provenance.AlreadyDone>(again.How);
        Assert.Equal(gbdt.TestPredictions, again.TestPredictions);
        Assert.IsType<Provenance.AlreadyDone>(Assert.Single(second.TrackAware).How);
    }
}

public class GbdtTests
{
    /// <summary>Three classes told apart by the first feature alone: any working booster predicts them all right.</summary>
    static PreparedData Separable()
    {
        var classes = Seq("x", "y", "z");
        Dataset Part(int rows, int offset)
        {
            var y = Enumerable.Range(0, rows).Select(i => (i + offset) % 3).ToArray();
            var x = new Matrix(rows, 2, y.SelectMany((c, i) => new[] { c / 2.0, (i * 7 % 10) / 10.0 }).ToArray());
            return new Dataset(x, y, classes, Enumerable.Range(offset, rows).Select(i => (long)i).ToArray());
        }
        var train = Part(300, 0);
        return new PreparedData(new Splits(train, Part(60, 1), Part(60, 2)), LabelEncoding.Fit(classes),
            new Genre.Data.Stages.FittedPipeline(Genre.Data.Stages.Pipeline.Identity, Empty), GenreMapping.Identity);
    }

    [Fact]
    public void A_finished_gbdt_folder_is_rescored_from_its_model_and_a_damaged_model_is_refused_by_name()
    {
        var dir = Path.Combine(Path.GetTempPath(), "genre-gbdt-" + Guid.NewGuid().ToString("N"));
        var settings = Seq(new GbdtSettings(0.1, 4, 5, MaxRounds: 30, EarlyStop: 5),
            new GbdtSettings(0.3, 2, 5, MaxRounds: 6, EarlyStop: 0));
        var fitted = Ok(Gbdt.Run(Separable(), settings, dir, 2, 1));
        Assert.IsType<Provenance.Trained>(fitted.How);
        Assert.All(fitted.Trials, t => Assert.InRange(t.Rounds, 1, t.Settings.MaxRounds));
        var again = Ok(Gbdt.Run(Separable(), settings, dir, 2, 1));
        Assert.IsType<Provenance.AlreadyDone>(again.How);
        Assert.Equal(fitted.TestPredictions, again.TestPredictions);
        Assert.Equal(fitted.TestProbabilities, again.TestProbabilities);
        Assert.Equal(fitted.Trials, again.Trials);
        Assert.True(Ok(Gbdt.Finished(dir, settings.Take(1).ToSeq(), 2)).IsNone); // other candidates: not this run
        Assert.True(Ok(Gbdt.Finished(dir, settings, 3)).IsNone);                 // another seed: not this run
        Assert.Equal(fitted.Trials, Ok(Gbdt.FinishedWithAnyOf(dir, settings, 2)).Map(r => r.Trials).IfNone(Seq<GbdtTrial>()));
        Assert.True(Ok(Gbdt.FinishedWithAnyOf(dir, settings.Take(1).ToSeq(), 2)).IsNone); // two candidates ran: not one of these
        var one = dir + "-one";
        var alone = Ok(Gbdt.Run(Separable(), settings.Skip(1).ToSeq(), one, 2, 1));
        Assert.Equal(alone.Trials, Ok(Gbdt.FinishedWithAnyOf(one, settings, 2)).Map(r => r.Trials).IfNone(Seq<GbdtTrial>()));
        Assert.True(Ok(Gbdt.FinishedWithAnyOf(one, settings.Take(1).ToSeq(), 2)).IsNone); // another candidate ran alone
        Assert.True(Ok(Gbdt.FinishedWithAnyOf(one, settings, 3)).IsNone);
        Directory.Delete(one, true);

        var model = Path.Combine(dir, Gbdt.ModelFile);
        var text = File.ReadAllText(model);
        File.WriteAllText(model, text.Replace("num_leaves=", "num_leaves=1"));
        var damaged = Gbdt.Run(Separable(), settings, dir, 2, 1).Match(_ => "rescored", e => e.Message);
        Assert.Equal($"{model}: its checksum does not match gbdt.json's — the file is damaged", damaged);
        File.WriteAllText(model, text[..(text.Length / 2)]);
        Assert.Contains("checksum does not match", Gbdt.Run(Separable(), settings, dir, 2, 1).Match(_ => "rescored", e => e.Message));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Gbdt_predicts_the_class_the_features_give_not_a_neighbour()
    {
        var dir = Path.Combine(Path.GetTempPath(), "genre-gbdt-" + Guid.NewGuid().ToString("N"));
        var settings = Seq1(new GbdtSettings(0.1, 4, 5, MaxRounds: 30, EarlyStop: 5));
        var r = Gbdt.Run(Separable(), settings, dir, 2, 1).Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.Equal(1.0, r.Test.Accuracy);
        Assert.Equal(1.0, r.ValAccuracy);

        // gbdt without a track-aware run: metrics.json says so with null (Option.IfNone(null) would throw)
        var reproduced = new ReproduceResult(new DataSource("d.csv", true, 1, ""), Profile.Of("fast", "", new Settings(1, 1, 1)),
            Seq<ExperimentResult>(), Seq<AuthorsScore>(), 0)
        { Gbdt = r };
        var json = BeyondReport.AddTo(new System.Text.Json.Nodes.JsonObject(), reproduced);
        Assert.Equal(1.0, json["gbdt"]!["test_accuracy"]!.GetValue<double>());
        Assert.Null(json["gbdt"]!["track_aware_accuracy"]);
        Assert.Contains("| gbdt | 1.0000", BeyondReport.Markdown(reproduced));
    }

    [Fact]
    public void The_beyond_models_section_names_the_kept_epoch_and_the_gap_to_the_reports_best()
    {
        static History Curve(params double[] valAccuracy) =>
            new(valAccuracy.Select((v, i) => new EpochMetrics(i + 1, 3.0, 0.3, 3.0, v, 1)).ToSeq());
        var tabular = Experiments.Beyond.Find(e => e.Name == "tabular").IfNone(() => throw new Xunit.Sdk.XunitException("no tabular"));
        var dnn2 = Experiments.OfReport.Find(e => e.Name == "dnn2").IfNone(() => throw new Xunit.Sdk.XunitException("no dnn2"));
        ExperimentResult Result(Experiment e, History h, double accuracy) =>
            new(e, new Settings(1, 1, 2), new Evaluation(2.0, accuracy, 100), h, 1, new long[2, 2], Seq("a", "b"),
                new Provenance.Trained());
        var source = new DataSource("d.csv", false, 0, "");
        var withBeyond = new ReproduceResult(source, Profiles.Fast(), Seq(Result(dnn2, Curve(0.30), 0.32),
            Result(tabular, Curve(0.31, 0.36, 0.35, 0.36), 0.3600)), Seq<AuthorsScore>(), 0);
        var section = BeyondReport.ChosenMarkdown(withBeyond);
        Assert.Contains("chosen on validation only", section);
        // the first epoch with the best validation accuracy is the one early stopping keeps; 0.3600 − 0.32246 = +3.75 pt
        Assert.Contains("| tabular | 4 | 2 | 0.3600 |", section);
        Assert.Contains("+3.75 pt", section);
        Assert.DoesNotContain("| dnn2 |", section);
        Assert.Equal("", BeyondReport.ChosenMarkdown(withBeyond with { Results = Seq1(Result(dnn2, Curve(0.30), 0.32)) }));
    }
}
