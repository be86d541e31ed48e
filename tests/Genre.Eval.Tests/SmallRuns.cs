namespace Genre.Eval.Tests;

/// <summary>What the reproduce tests share: a profile of a few quick epochs, a small synthetic file in a fresh folder, and the
/// experiments by name.</summary>
static class SmallRuns
{
    /// <summary>2 epochs of batch 128, seed 2, for every experiment.</summary>
    public static readonly Profile Tiny = Profile.Of("fast", "tiny test profile", new Settings(2, 128, 2));

    /// <summary>A fresh folder (<c>genre-PURPOSE-…</c> under the temp folder) holding a small synthetic file (5 rows per genre,
    /// seed 6), and its source.</summary>
    public static (string Dir, DataSource Source) SyntheticSource(string purpose)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"genre-{purpose}-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "d.csv");
        Assert.True(TrackCsv.Save(data, Synthetic.Generate(5, 6)).IsSucc);
        return (dir, new DataSource(data, true, 5, ""));
    }

    /// <summary>A fresh output folder (<c>out</c>) beside a small synthetic file (<see cref="SyntheticSource"/>), and its
    /// source.</summary>
    public static (string Out, DataSource Source) Fresh(string purpose)
    {
        var (dir, source) = SyntheticSource(purpose);
        return (Path.Combine(dir, "out"), source);
    }

    /// <summary>The report's or a beyond experiment named <paramref name="name"/>; the test fails when there is none.</summary>
    public static Experiment Named(string name) =>
        (Experiments.OfReport + Experiments.Beyond).Find(e => e.Name == name)
            .IfNone(() => throw new Xunit.Sdk.XunitException($"no experiment {name}"));
}
