using System.Diagnostics;
using Genre.Models;
using Genre.Models.Backend.Torch;
using static LanguageExt.Prelude;

namespace Genre.Bench;

/// <summary>
/// Issue 17: the LSTM gate kernel on each vector width (<see cref="Gates"/>), and RNN1/RNN2 training epochs (72,671 rows,
/// batch 10,000, validation on 18,168, as in <see cref="Training"/>) on 1 and 2 threads under the chunkings of
/// <see cref="Lanes"/> — the earlier 2 chunks against more — all in one run, interleaved epoch by epoch so machine load
/// hits every configuration alike. Writes the tables with ratios within the run.
/// </summary>
public static class LanesBench
{
    const int Train = 72_671, Val = 18_168, Batch = 10_000;

    static readonly (string Name, LaneChunking Policy)[] Policies =
    [
        ("≤ 2 chunks of ≥ 256 rows (before)", new(256, 2)),
        ("≤ 4 chunks of ≥ 256 rows", new(256, 4)),
        ("≤ 8 chunks of ≥ 128 rows", new(128, 8)),
    ];

    public static void Run(int reps, string outFile)
    {
        var before = Uptime();
        var chosen = LaneChunking.Default;
        var lines = new List<string>
        {
            $"# LSTM gate widths and lane chunking ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, " +
            $"widest accelerated vector: {LstmGates.Widest})", "",
            "Command: `dotnet build bench/Genre.Bench -c Release && dotnet " +
                "bench/Genre.Bench/bin/Release/net10.0/linux-x64/Genre.Bench.dll " +
            $"lanes {reps} {outFile}`", "",
            $"Machine load (`uptime`) before: `{before}`", "",
            "## Gate kernel (LstmGates Forward + Backward)", "",
        };
        lines.AddRange(Gates.Run(11));
        lines.Add("");
        lines.Add($"## Training epochs (batch {Batch:N0}; median of {reps}, interleaved)");
        lines.Add("");
        lines.Add("| model | threads | chunking | chunks per micro-batch | epoch s | × before, same threads |");
        lines.Add("|---|---|---|---|---|---|");
        var train = new LabeledData(Training.Random(Train, 15, 2), Train, Enumerable.Range(0, Train).Select(i => i % 114).ToArray(), 114);
        var val = new LabeledData(Training.Random(Val, 15, 3), Val, Enumerable.Range(0, Val).Select(i => i % 114).ToArray(), 114);
        foreach (var (name, spec) in new[] { ("rnn1", Zoo.Rnn1()), ("rnn2", Zoo.Rnn2()) })
        {
            // one model per chunking (a backend's chunking is part of what its models compute), the same initial weights
            var models = Policies
                .Select(p => new TorchBackend(p.Policy).Compile(spec, 2).Match(x => x, e => throw new Exception(e.Message)))
                .ToArray();
            var config = new TrainingConfig(1, Batch, 2, new AdamSettings());
            var threads = new[] { 1, 2 };
            var samples = threads.Select(_ => Policies.Select(_ => new List<double>()).ToArray()).ToArray();
            TorchRuntime.Configure(new TorchOptions(2));
            foreach (var model in models) model.Fit(train, Some(val), config); // warm-up epochs
            for (var rep = 0; rep < reps; rep++)
                for (var t = 0; t < threads.Length; t++)
                {
                    TorchRuntime.Configure(new TorchOptions(threads[t]));
                    for (var p = 0; p < Policies.Length; p++)
                    {
                        var sw = Stopwatch.StartNew();
                        models[p].Fit(train, Some(val), config);
                        samples[t][p].Add(sw.Elapsed.TotalSeconds);
                        Console.WriteLine($"{name} threads {threads[t]} {Policies[p].Name}: {samples[t][p][^1]:F2}s");
                    }
                }
            foreach (var model in models) model.Dispose();
            var micro = Trainer.MicroBatchFor(spec);
            for (var t = 0; t < threads.Length; t++)
            {
                var baseline = Gates.Median(samples[t][0]);
                for (var p = 0; p < Policies.Length; p++)
                {
                    var median = Gates.Median(samples[t][p]);
                    var chunks = (int)Math.Clamp(micro / Policies[p].Policy.MinRows, 1, Policies[p].Policy.MaxChunks);
                    lines.Add($"| {name} | {threads[t]} | {Policies[p].Name} | {chunks} of {micro:N0} rows | {median:F2} | " +
                        $"{median / baseline:F3} |");
                    Console.WriteLine(lines[^1]);
                }
            }
        }
        lines.Add("");
        lines.Add($"Machine load (`uptime`) after: `{Uptime()}`");
        lines.Add("");
        lines.Add($"Chunking in use by the library (LaneChunking.Default): at least {chosen.MinRows} rows, " +
            $"at most {chosen.MaxChunks} chunks.");
        Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
        File.WriteAllLines(outFile, lines);
    }

    static string Uptime()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("uptime") { RedirectStandardOutput = true })!;
            var text = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return text;
        }
        catch (Exception e) { return $"uptime failed: {e.Message}"; }
    }
}
