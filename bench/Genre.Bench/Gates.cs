using System.Diagnostics;
using Genre.Models.Backend.Torch;
using static Genre.Models.Backend.Torch.LstmGates;

namespace Genre.Bench;

/// <summary>
/// The LSTM gate kernel alone: one Forward + Backward over a micro-batch of 1,024 rows for RNN1's and RNN2's LSTM widths, on
/// each vector width (and the explicit AVX-512 copy it replaced), interleaved round by round so machine load hits all alike.
/// Each call is preceded by the same copy of the pre-activations (timed with it).
/// </summary>
public static class Gates
{
    const int Rows = 1024, Calls = 20;

    public static List<string> Run(int rounds)
    {
        var lines = new List<string>
        {
            $"| LSTM units | kernel | µs per Forward+Backward ({Rows:N0} rows; median of {rounds}) | × generic V512 |", "|---|---|---|---|",
        };
        foreach (var units in new[] { 80, 150 })
        {
            var variants = new (string Name, Action<Buffers> Pass)[]
            {
                ("V512 (explicit copy, before)",
                    b =>
                    {
                        ExplicitGates512.Forward(b.Z, b.CPrev, b.C, b.H, b.Shape);
                        ExplicitGates512.Backward(b.Z, b.C, b.CPrev, b.H, default, b.Dc, b.Shape);
                    }),
                ("V512", b => Both(b, Width.V512)),
                ("V256", b => Both(b, Width.V256)),
                ("V128", b => Both(b, Width.V128)),
                ("scalar", b => Both(b, Width.Scalar)),
            };
            var buffers = new Buffers(units);
            var samples = variants.Select(_ => new List<double>()).ToArray();
            // Warm-up rounds for half a second, then a pause: tiered compilation (with PGO) recompiles the hot loops in the
            // background, and a kernel measured before that would be timed on its instrumented first-tier code.
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < 0.5)
                foreach (var variant in variants) variant.Pass(buffers);
            Thread.Sleep(500);
            for (var r = -1; r < rounds; r++) // round −1 is still discarded
                for (var v = 0; v < variants.Length; v++)
                {
                    var sw = Stopwatch.StartNew();
                    for (var i = 0; i < Calls; i++)
                    {
                        buffers.Source.CopyTo(buffers.Z, 0);
                        variants[v].Pass(buffers);
                    }
                    if (r >= 0) samples[v].Add(sw.Elapsed.TotalMicroseconds / Calls);
                }
            var medians = samples.Select(Median).ToArray();
            for (var v = 0; v < variants.Length; v++)
                lines.Add($"| {units} | {variants[v].Name} | {medians[v]:F0} | {medians[v] / medians[1]:F2} |");
        }
        foreach (var line in lines) Console.WriteLine(line);
        return lines;
    }

    static void Both(Buffers b, Width w)
    {
        Forward(b.Z, b.CPrev, b.C, b.H, b.Shape, w);
        Backward(b.Z, b.C, b.CPrev, b.H, default, b.Dc, b.Shape, w);
    }

    internal static double Median(List<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    sealed class Buffers
    {
        public readonly float[] Source, Z, CPrev, C, H, Dc;
        public readonly LstmGates.Shape Shape;

        public Buffers(int units)
        {
            var r = new Random(1);
            float Next(float scale) => (float)(r.NextDouble() * 2 - 1) * scale;
            Shape = new LstmGates.Shape(Rows, units);
            Source = Enumerable.Range(0, Rows * 4 * units).Select(_ => Next(3)).ToArray();
            Z = new float[Source.Length];
            CPrev = Enumerable.Range(0, Rows * units).Select(_ => Next(2)).ToArray();
            C = new float[Rows * units];
            H = new float[Rows * units];
            Dc = Enumerable.Range(0, Rows * units).Select(_ => Next(0.1f)).ToArray();
        }
    }
}
