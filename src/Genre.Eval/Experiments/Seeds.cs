using System.Globalization;
using Genre.Data;

namespace Genre.Eval;

/// <summary>One seed's reproduce folder and what it holds.</summary>
public sealed record SeedRun(int Seed, ReproduceResult Result);

/// <summary>A multi-seed reproduce run: every seed folder's results and, per experiment, the spread over seeds.</summary>
public sealed record SeedsResult(DataSource Source, Profile Profile, Seq<SeedRun> PerSeed, Seq<SeedSpread> Experiments,
                                 Seq<AuthorsScore> Authors, double Seconds);

/// <summary>One experiment's test accuracy over the seeds that finished it (in seed order).</summary>
public sealed record SeedSpread(Experiment Experiment, Settings Settings, Seq<(int Seed, ExperimentResult Result)> Runs)
{
    /// <summary>Test accuracy of each seed's run, in seed order.</summary>
    public Seq<double> Accuracies => Runs.Map(r => r.Result.Test.Accuracy);
    /// <summary>Mean test accuracy over the seeds.</summary>
    public double Mean => Accuracies.Sum() / Accuracies.Count;

    /// <summary>Sample standard deviation (n − 1); NaN for a single seed.</summary>
    public double Sd => Accuracies.Count < 2 ? double.NaN
        : Math.Sqrt(Accuracies.Map(a => (a - Mean) * (a - Mean)).Sum() / (Accuracies.Count - 1));

    /// <summary>Group every seed's finished experiments by experiment, in the report's order.</summary>
    public static Seq<SeedSpread> Of(Seq<SeedRun> perSeed) =>
        perSeed.Bind(s => s.Result.Results.Map(r => (s.Seed, Result: r)))
            .GroupBy(x => x.Result.Experiment.Name)
            .Select(g => new SeedSpread(g.First().Result.Experiment, g.First().Result.Settings, g.OrderBy(x => x.Seed).ToSeq().Strict()))
            .OrderBy(x => Experiments.OrderOf(x.Experiment))
            .ToSeq().Strict();
}

/// <summary>Seed folders of a multi-seed output: <c>seed-S</c> beside each other.</summary>
public static class SeedFolder
{
    /// <summary>The folder of seed <paramref name="seed"/>: <c>outDir/seed-S</c>.</summary>
    public static string Path(string outDir, int seed) => System.IO.Path.Combine(outDir, $"seed-{seed}");

    /// <summary>The seeds whose folders exist in <paramref name="outDir"/>, ascending.</summary>
    public static Seq<int> Seeds(string outDir) =>
        Directory.Exists(outDir)
            ? Directory.GetDirectories(outDir, "seed-*").Choose(d => SeedOf(System.IO.Path.GetFileName(d))).OrderBy(s => s).ToSeq().Strict()
            : Seq<int>();

    /// <summary>The seed a folder named <c>seed-S</c> holds; None for any other name.</summary>
    public static Option<int> SeedOf(string folderName) =>
        folderName.StartsWith("seed-", StringComparison.Ordinal)
        && int.TryParse(folderName["seed-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? Some(s) : None;

    /// <summary>"1,2,3" or "1-5" (or a mix) → distinct seeds in the order given.</summary>
    public static Fin<Seq<int>> Parse(string text)
    {
        var seeds = Seq<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-', 2);
            if (!int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(range.Length == 2 ? range[1] : range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var to)
                    || to < from)
                return GenreError.Usage($"--seeds: '{part}' is not a seed (non-negative integer) or a range FROM-TO");
            for (var s = from; s <= to; s++) if (!seeds.Contains(s)) seeds = seeds.Add(s);
        }
        return seeds.IsEmpty ? GenreError.Usage("--seeds: no seed given (e.g. --seeds 1,2,3 or --seeds 1-5)") : FinSucc(seeds);
    }
}
