using System.Text.Json.Nodes;
using Genre.Models;
using Genre.Models.Backend.Torch;

namespace Genre.Eval.Tests;

/// <summary>Multi-seed reproduce: one folder per seed, resumable, collected into mean ± sd.</summary>
public class SeedsTests
{
    static readonly TorchBackend Backend = new();
    static Profile Tiny(int seed) => Profile.Of("paper", "tiny test profile", new Settings(4, 64, seed));

    static SeedsResult RunSeeds(DataSource source, string outDir, Seq<int> seeds, params string[] names) =>
        Reproduce.RunSeeds(Backend, source, Tiny, seeds, Experiments.OfReport.Filter(e => names.Contains(e.Name)), outDir, None)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));

    static double Accuracy(string seedDir, string experiment) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(seedDir, experiment, "metrics.json")))!["test_accuracy"]!.GetValue<double>();

    [Fact]
    public void Each_seed_gets_its_own_folder_and_the_report_collects_every_seed_folder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "genre-seeds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "d.csv");
        Assert.True(TrackCsv.Save(data, Synthetic.Generate(5, 20)).IsSucc);
        var source = new DataSource(data, true, 5, "");
        var outDir = Path.Combine(dir, "paper");

        var first = RunSeeds(source, outDir, Seq(1, 2), "dnn2");
        Assert.Equal(Seq(1, 2), first.PerSeed.Map(s => s.Seed));
        Assert.Equal(Seq(1, 2), SeedFolder.Seeds(outDir));
        var losses = first.PerSeed.Map(s => s.Result.Results[0].Test.Loss);
        Assert.NotEqual(losses[0], losses[1]); // the seed changes initial weights and shuffles

        // a later run with another seed trains only that seed; the report covers all three, the first two re-scored
        var second = RunSeeds(source, outDir, Seq1(3), "dnn2");
        Assert.Equal(Seq(1, 2, 3), second.PerSeed.Map(s => s.Seed));
        Assert.IsType<Provenance.Trained>(second.PerSeed[2].Result.Results[0].How);
        Assert.All(second.PerSeed.Take(2), s => Assert.IsType<Provenance.AlreadyDone>(s.Result.Results[0].How));
        var all = Seq(1, 2, 3).Map(s => Accuracy(SeedFolder.Path(outDir, s), "dnn2"));
        var mean = all.Sum() / 3;
        var sd = Math.Sqrt(all.Map(a => (a - mean) * (a - mean)).Sum() / 2);
        var spread = second.Experiments.Single();
        Assert.Equal(mean, spread.Mean, 12);
        Assert.Equal(sd, spread.Sd, 12);

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!["experiments"]!["dnn2"]!;
        Assert.Equal(mean, metrics["test_accuracy"]!.GetValue<double>(), 12);
        Assert.Equal(3, metrics["n_seeds"]!.GetValue<int>());
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains($"| {SeedsReport.MeanSd(mean, sd)} | 3 |", report);
        Assert.Contains("[seed 3](seed-3/report.md)", report);
        Assert.True(File.Exists(Path.Combine(SeedFolder.Path(outDir, 3), "report.md")));

        // collecting (what `reproduce --collect` runs) trains nothing and rewrites every seed folder's report
        File.Delete(Path.Combine(SeedFolder.Path(outDir, 1), "report.md"));
        var collected = Reproduce.RunSeeds(Backend, source, Tiny, SeedFolder.Seeds(outDir), Seq<Experiment>(), outDir, None)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));
        Assert.All(collected.PerSeed, s => Assert.IsType<Provenance.AlreadyDone>(s.Result.Results.Single().How));
        Assert.Equal(spread.Mean, collected.Experiments.Single().Mean, 12);
        Assert.True(File.Exists(Path.Combine(SeedFolder.Path(outDir, 1), "report.md")));

        // a fast run beside it shows the paper profile's mean ± sd in its comparison table
        var fastDir = Path.Combine(dir, "fast");
        var fast = Profile.Of("fast", "tiny fast profile", new Settings(1, 64, 2));
        var single = Reproduce.Run(Backend, source, fast, Experiments.OfReport.Filter(e => e.Name == "dnn2"), fastDir, None)
            .Match(r => r, e => throw new Xunit.Sdk.XunitException(e.Message));
        var fastReport = File.ReadAllText(Path.Combine(fastDir, "report.md"));
        Assert.Contains("| experiment | fast | paper (mean ± sd over seeds 1, 2, 3) | difference |", fastReport);
        Assert.Contains($"| dnn2 | {single.Results[0].Test.Accuracy:F4} | {SeedsReport.MeanSd(mean, sd)} | ", fastReport);
    }

    [Fact]
    public void One_seed_has_no_spread()
    {
        var one = new SeedSpread(Experiments.OfReport[0], new Settings(1, 1, 1), Seq<(int, ExperimentResult)>());
        Assert.True(double.IsNaN(one.Sd));
        Assert.Equal("0.3000", SeedsReport.MeanSd(0.3, double.NaN));
        Assert.Equal("0.3000 ± 0.0100", SeedsReport.MeanSd(0.3, 0.01));
    }

    [Theory]
    [InlineData("1,2,3", new[] { 1, 2, 3 })]
    [InlineData("1-5", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("2, 1-3", new[] { 2, 1, 3 })]
    public void Seeds_are_listed_or_ranged(string text, int[] expected) =>
        Assert.Equal(expected, SeedFolder.Parse(text).Match(s => s.ToArray(), e => throw new Xunit.Sdk.XunitException(e.Message)));

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("3-1")]
    [InlineData("-2")]
    public void Bad_seed_lists_are_usage_errors(string text) =>
        Assert.Contains("--seeds", SeedFolder.Parse(text).Match(_ => "", e => e.Message));
}
