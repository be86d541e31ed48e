using System.Text.Json.Nodes;
using Genre.Models.Backend.Torch;

namespace Genre.Eval.Tests;

/// <summary>The committed fast-profile models re-score to the metrics beyond accuracy their metrics.json records.</summary>
public class CommittedScoresTests
{
    [RealDataFact]
    public void The_fast_profile_models_rescore_to_their_committed_top_k_f1_family_and_calibration()
    {
        var committed = Path.Combine(Inputs.RepoRoot, "results", "kaggle", "fast");
        var dir = Path.Combine(Path.GetTempPath(), "genre-scores-" + Guid.NewGuid().ToString("N"), "fast");
        foreach (var file in Directory.EnumerateFiles(committed, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(dir, Path.GetRelativePath(committed, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        var source = Ok(DataSource.Of(Environment.GetEnvironmentVariable("GENRE_DATA")!));
        var run = Ok(Reproduce.Run(new TorchBackend(), source, Profiles.Fast(), Seq<Experiment>(), dir, None));
        Assert.Equal(7, run.Results.Count);
        Assert.All(run.Results, x => Assert.IsType<Provenance.AlreadyDone>(x.How)); // re-scored, nothing trained
        var recorded = Ok(ChecksummedJson.Read(Path.Combine(committed, "metrics.json"))).IfNone(() => throw new Xunit.Sdk.XunitException(
            "no committed metrics.json"));
        foreach (var x in run.Results)
        {
            var scores = Json.Object(recorded, "experiments").Bind(e => Json.Object(e, x.Experiment.Name))
                .Bind(e => Json.Object(e, "scores"))
                .IfNone(() => throw new Xunit.Sdk.XunitException($"{x.Experiment.Name}: no committed scores"));
            var s = x.Scores.IfNone(() => throw new Xunit.Sdk.XunitException($"{x.Experiment.Name}: not scored"));
            // counts of rows are exact; the calibration error is a mean of float32 probabilities, which the LSTM gate pass's exp
            // (issue 28: Cephes' expf, within 2 ulp) moves by about 1e-9 (RNN1: 0.045164720577 → 0.045164719354)
            foreach (var (name, value, tolerance) in new[] { ("top1_accuracy", s.Top1, 1e-9), ("top3_accuracy", s.Top3, 1e-9),
                         ("top5_accuracy", s.Top5, 1e-9), ("macro_f1", s.MacroF1, 1e-9), ("family_accuracy", s.Family, 1e-9),
                         ("ece", s.Ece, 1e-7), ("any_listed_genre_accuracy", s.AnyListedGenre.IfNone(double.NaN), 1e-9) })
                Assert.True(Math.Abs(Json.Double(scores, name).IfNone(double.NaN) - value) < tolerance,
                    $"{x.Experiment.Name} {name}: {value}");
        }
        Directory.Delete(Path.GetDirectoryName(dir)!, true);
    }
}
