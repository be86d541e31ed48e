using Genre.Bench;
using Genre.Data;
using static LanguageExt.Prelude;

var mode = args.Length > 0 ? args[0] : "probe";
var threads = args.Length > 1 && int.TryParse(args[1], out var t) ? t : Environment.ProcessorCount;
string Arg(int i, string otherwise) => args.Length > i ? args[i] : otherwise;
const string authors = "../shared/reference/authors-models";
var data = Environment.GetEnvironmentVariable("GENRE_DATA") is { Length: > 0 } d ? d : "data/dataset.csv";
switch (mode)
{
    case "probe": Probe.Run(threads, args.Length <= 2 || args[2] != "notune"); break;
    case "data": DataPipeline.Run(args[1], int.Parse(Arg(2, "5"))); break;
    case "train": Training.Run(threads, Arg(2, authors), Arg(3, "bench/results/training.md")); break;
    case "epochs": Training.Epochs(threads, Arg(2, "rnn1"), int.Parse(Arg(3, "3")), Arg(4, "own")); break;
    case "fit": Training.Fit(threads, Arg(2, "rnn1"), int.Parse(Arg(3, "5")), Arg(4, "own")); break;
    case "infer": Inference.Run(threads, Arg(2, authors), Arg(3, data), Arg(4, "bench/results/inference.md")); break;
    case "gemm": Gemm.Run(threads); break;
    case "peak":
        for (var n = 1; n <= threads; n++) Console.WriteLine($"{n} threads: {PhysicalPeak.Measure(n) / 1e9:F1} GFLOP/s");
        break;
    case "lanes": LanesBench.Run(int.Parse(Arg(1, "3")), Arg(2, "bench/results/lstm-lanes.md")); break;
    case "smoke": Smoke.Run(); Inference.Smoke(); break;
    default: Console.Error.WriteLine($"unknown mode {mode}"); return 2;
}
return 0;
