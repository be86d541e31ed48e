#:project ../src/Genre.Eval/Genre.Eval.csproj
#:package libtorch-cpu-linux-x64
// An ensemble across model families: two finished folders, each a network classifier's or a gbdt run's, their probabilities
// mixed with the weight that is best on the report split's validation rows, scored once on its test rows.
// dotnet run examples/cross-family.cs [DATA.csv] [FIRST_DIR] [SECOND_DIR] [OUT.json]
//   (defaults: $GENRE_DATA, results/kaggle/beyond/tabular-ensemble/tabular-ensemble, results/kaggle/beyond/gbdt; OUT.json, when
//   given, receives the result as JSON, as results/kaggle/beyond/tabm/blend.json holds it)
using Genre.Data;
using Genre.Eval;
using Genre.Models.Backend.Torch;
using LanguageExt;
using static LanguageExt.Prelude;

TorchRuntime.Configure();
var path = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("GENRE_DATA") ?? "data/dataset.csv";
var firstDir = args.Length > 1 ? args[1] : "results/kaggle/beyond/tabular-ensemble/tabular-ensemble";
var secondDir = args.Length > 2 ? args[2] : "results/kaggle/beyond/gbdt";
var run = from data in ReportData.Load(new DataSource(path, false, 0, ""))
          from blend in CrossFamily.Run(new TorchBackend(), data, firstDir, secondDir, seed: 2)
          from written in args.Length > 3 ? CrossFamily.Write(args[3], blend, firstDir, secondDir) : FinSucc(unit)
          select blend;
return run.Match(r =>
{
    Console.WriteLine("| model | validation | test |");
    Console.WriteLine("|---|---:|---:|");
    Console.WriteLine(FormattableString.Invariant($"| {firstDir} | {r.FirstVal:F4} | {r.FirstTest:F4} |"));
    Console.WriteLine(FormattableString.Invariant($"| {secondDir} | {r.SecondVal:F4} | {r.SecondTest:F4} |"));
    Console.WriteLine(FormattableString.Invariant(
        $"| blend, weight {r.Blend.Weight:F2} on the first | {r.Blend.ValAccuracy:F4} | {r.Test:F4} {r.TestInterval.Show()} |"));
    Console.WriteLine(FormattableString.Invariant($"McNemar against the first alone: {r.AgainstFirst.OnlyFirst} rows only the blend ")
        + FormattableString.Invariant($"got right, {r.AgainstFirst.OnlySecond} only the first, ")
        + Uncertainty.ShowP(r.AgainstFirst.PValue));
    Console.WriteLine("grid: " + string.Join(" ", r.Blend.Grid.Map(g => FormattableString.Invariant($"{g.Weight:F2}:{g.ValAccuracy:F4}"))));
    return 0;
}, e => { Console.Error.WriteLine($"error: {e.Message}"); return 1; });
