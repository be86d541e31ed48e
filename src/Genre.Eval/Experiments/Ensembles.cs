using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval;

/// <summary>One member of a finished ensemble: its seed, the epochs it ran and its own accuracies.</summary>
public sealed record MemberScore(int Seed, int Epochs, double ValAccuracy, double TestAccuracy);

/// <summary>What an ensemble adds to its result: its own validation accuracy (the mean of the members' probabilities, the
/// number it is chosen by) and each member's scores.</summary>
public sealed record EnsembleScores(double ValAccuracy, Seq<MemberScore> Members);

/// <summary>
/// An experiment of several members (<see cref="Experiment.Members"/>) in a reproduce output: member k trains like a one-model
/// experiment in <c>DIR/member-k</c> with seed S + k − 1 (each resumable, locked while it trains, marked finished on its own),
/// and once all are finished <c>ensemble.json</c> (<see cref="EnsembleFolder"/>) makes the folder a classifier that
/// <c>evaluate</c> and <c>predict</c> read. Its scores are those of the mean of the members' probabilities.
/// </summary>
public static class Ensembles
{
    /// <summary>Member <paramref name="k"/>'s settings (1-based): the experiment's, from seed S + k − 1.</summary>
    public static Settings MemberSettings(Settings settings, int k) => settings with { Seed = settings.Seed + k - 1 };

    /// <summary>Member <paramref name="k"/> as an experiment of its own: one network of the ensemble's spec, named
    /// "NAME member k" (what its folder's marker records).</summary>
    public static Experiment Member(Experiment e, int k) =>
        e with { Name = $"{e.Name} member {k}", Model = e.Model.Network.Match(s => (Learner)new Learner.Net(s), () => e.Model) };

    /// <summary>
    /// Trains the members not finished yet with <paramref name="trainOne"/> (the member, its settings, its folder; None when
    /// interrupted), in order, then
    /// records the ensemble and scores it. None when a cancellation stops it before every member is finished (the interrupted
    /// member keeps its checkpoints; nothing else is written), and, without <paramref name="trainOne"/> (train nothing), unless
    /// every member is finished with these settings.
    /// </summary>
    public static Fin<Option<ExperimentResult>> Run(IBackend backend, Experiment e, Settings settings, PreparedData data, string dir,
                                                    Func<Experiment, Settings, string, Fin<Option<ExperimentResult>>>? trainOne,
                                                    CancellationToken cancel)
    {
        var runs = Seq<(Settings Settings, FinishedRun Run)>();
        var trained = false;
        for (var k = 1; k <= e.Members; k++)
        {
            var s = MemberSettings(settings, k);
            var memberDir = Path.Combine(dir, EnsembleFolder.MemberName(k));
            var finished = ExperimentFolder.Finished(memberDir, Member(e, k), s);
            if (finished.IsFail) return finished.Map(_ => Option<ExperimentResult>.None);
            var done = (Option<FinishedRun>)finished;
            if (done.Case is FinishedRun run) { runs = runs.Add((s, run)); continue; }
            if (trainOne is null || cancel.IsCancellationRequested) return Option<ExperimentResult>.None;
            var member = trainOne(Member(e, k), s, memberDir);
            if (member.IsFail) return member;
            if (((Option<ExperimentResult>)member).Case is not ExperimentResult r) return Option<ExperimentResult>.None; // interrupted
            runs = runs.Add((s, new FinishedRun(r.History, r.Seconds)));
            trained = true;
        }
        var names = Enumerable.Range(1, e.Members).Select(EnsembleFolder.MemberName).ToSeq().Strict();
        return from _ in trained || !EnsembleFolder.Is(dir) ? EnsembleFolder.Save(dir, names) : FinSucc(unit)
               from result in Score(backend, e, settings, data, dir, runs, trained)
               select Some(result);
    }

    static Fin<ExperimentResult> Score(IBackend backend, Experiment e, Settings settings, PreparedData data, string dir,
                                       Seq<(Settings Settings, FinishedRun Run)> runs, bool trained)
    {
        var val = LabeledData.From(data.Scaled.Val);
        var test = LabeledData.From(data.Scaled.Test);
        return from classifier in EnsembleFolder.Load(dir)
               from _ in SpecValidation.AcceptsFeatures(classifier.Spec, data.Scaled.Train.X.Cols, dir)
               from perMember in classifier.Members.Map(m => backend.Load(m.Spec, m.Weights)
                   .Use(model => FinSucc((Val: model.Predict(val.X, val.Rows), Test: model.Predict(test.X, test.Rows))))).Sequence()
               let valMean = Classifiers.Mean(perMember.Map(p => p.Val))
               let testMean = Classifiers.Mean(perMember.Map(p => p.Test))
               let scored = Metrics.Score(test.Y, testMean, test.Classes)
               let scores = new EnsembleScores(Metrics.Accuracy(val, valMean),
                   runs.Zip(perMember).Map(p => new MemberScore(p.Item1.Settings.Seed, p.Item1.Run.History.Epochs.Count,
                       Metrics.Accuracy(val, p.Item2.Val), Metrics.Accuracy(test, p.Item2.Test))).Strict())
               select new ExperimentResult(e, settings, scored.Evaluation, runs.Head.Run.History, runs.Sum(r => r.Run.Seconds),
                   Metrics.Confusion(test.Y, scored.Predictions, test.Classes), data.Genres.Classes,
                   trained ? new Provenance.Trained() : new Provenance.AlreadyDone())
               { TestLabels = test.Y, TestPredictions = scored.Predictions, TestProbabilities = testMean, Ensemble = Some(scores) };
    }

    /// <summary>The epochs each member ran, for a report's epochs column: "63, 70, 58".</summary>
    public static string EpochsRun(EnsembleScores s) => string.Join(", ", s.Members.Map(m => m.Epochs));

    /// <summary>metrics.json's record of an ensemble: its validation accuracy and each member's seed, epochs and accuracies.</summary>
    public static JsonObject Json(EnsembleScores s) => new()
    {
        ["val_accuracy"] = Genre.Data.Json.Finite(s.ValAccuracy),
        ["members"] = new JsonArray(s.Members.Map(m => (JsonNode)new JsonObject
        {
            ["seed"] = m.Seed,
            ["epochs"] = m.Epochs,
            ["val_accuracy"] = Genre.Data.Json.Finite(m.ValAccuracy),
            ["test_accuracy"] = Genre.Data.Json.Finite(m.TestAccuracy),
        }).ToArray()),
    };

}
