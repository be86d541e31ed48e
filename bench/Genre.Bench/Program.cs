using Genre.Bench;
using Genre.Data;
using static LanguageExt.Prelude;

var mode = args.Length > 0 ? args[0] : "probe";
var threads = args.Length > 1 && int.TryParse(args[1], out var t) ? t : Environment.ProcessorCount;
switch (mode)
{
    case "probe": Probe.Run(threads, args.Length <= 2 || args[2] != "notune"); break;
    case "data": DataPipeline.Run(args[1], args.Length > 2 ? int.Parse(args[2]) : 5); break;
    case "train": Training.Run(threads, args.Length > 2 ? args[2] : "../shared/reference/authors-models", args.Length > 3 ? args[3] : "bench/results/training.md"); break;
    case "epochs": Training.Epochs(threads, args.Length > 2 ? args[2] : "rnn1", args.Length > 3 ? int.Parse(args[3]) : 3); break;
    case "infer": Inference.Run(threads, args.Length > 2 ? args[2] : "../shared/reference/authors-models", args.Length > 3 ? args[3] : (Environment.GetEnvironmentVariable("GENRE_DATA") is { Length: > 0 } data ? data : "data/dataset.csv"), args.Length > 4 ? args[4] : "bench/results/inference.md"); break;
    case "gemm": Gemm.Run(threads); break;
    case "peak":
        for (var n = 1; n <= threads; n++) Console.WriteLine($"{n} threads: {PhysicalPeak.Measure(n) / 1e9:F1} GFLOP/s");
        break;
    case "lanes": LanesBench.Run(args.Length > 1 ? int.Parse(args[1]) : 3, args.Length > 2 ? args[2] : "bench/results/lstm-lanes.md"); break;
    case "smoke": Smoke.Run(); Inference.Smoke(); break;
    default: Console.Error.WriteLine($"unknown mode {mode}"); return 2;
}
return 0;
