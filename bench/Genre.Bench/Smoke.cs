using Genre.Models;
using Genre.Models.Backend.Torch;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Bench;

/// <summary>CI's regression guard: one small batch of each benchmark workload runs end to end (no timing is asserted).</summary>
public static class Smoke
{
    public static void Run()
    {
        TorchRuntime.Configure(new TorchOptions(1));
        var backend = new TorchBackend();
        foreach (var spec in new[] { Zoo.Rnn1(), Zoo.Rnn2(), Zoo.Dnn1() })
        {
            var data = new LabeledData(new float[64 * 15], 64, new int[64], 114);
            using var m = backend.Compile(spec, 2).Match(x => x, e => throw new Exception(e.Message));
            var h = m.Fit(data, Some(data), new TrainingConfig(1, 64, 2, new AdamSettings()))
                .Match(x => x, e => throw new Exception(e.Message));
            Console.WriteLine($"smoke {spec.Name}: loss {h.Epochs.Head.Loss:F4}, {Training.Flops(spec) / 1e6:F2} MFLOP/sample");
        }
    }
}
