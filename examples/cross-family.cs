#:project ../src/Genre.Eval/Genre.Eval.csproj
#:package libtorch-cpu-linux-x64
// An ensemble across model families: finished folders, each a network classifier's or a gbdt run's, their probabilities
// mixed with the weights that are best on a split's validation rows (the report's unless --split), scored once on its test rows.
// dotnet run examples/cross-family.cs [DATA.csv] [DIR DIR …] [OUT.json] [--split track-aware|artist-aware]
//   (defaults: $GENRE_DATA, results/kaggle/beyond/tabular-ensemble/tabular-ensemble and results/kaggle/beyond/gbdt). Two
//   folders: one weight on a grid of 0.05 steps, as results/kaggle/beyond/tabm/blend.json holds it; three or more: a weight
//   each on the simplex grid of 0.05 steps (CrossFamily.RunMany); both with top-k, macro-F1, family, calibration and the test
//   rows with an identical-feature twin in training scored apart. OUT.json, when given, receives the result as JSON. --split
//   chooses and scores the blend on a grouped split instead of the report's; the folders must then be models trained on that
//   split (reproduce --track-aware writes them under track-aware/ and artist-aware/).
using Genre.Data;
using Genre.Eval;
using Genre.Models.Backend.Torch;
using LanguageExt;
using static LanguageExt.Prelude;

TorchRuntime.Configure();
var at = System.Array.IndexOf(args, "--split");
var splitName = at < 0 ? "report" : at + 1 < args.Length ? args[at + 1] : "";
var split = ExperimentJson.SplitNamed(splitName);
if (split.IsNone)
{
    Console.Error.WriteLine("error: --split takes report, track-aware or artist-aware" + (splitName == "" ? "" : $", got '{splitName}'"));
    return 2;
}
var positional = at >= 0 ? args.Take(at).Concat(args.Skip(at + 2)).ToArray() : args;
var path = positional.Length > 0 ? positional[0] : Environment.GetEnvironmentVariable("GENRE_DATA") ?? "data/dataset.csv";
var rest = positional.Skip(1).ToSeq();
var output = rest.Exists(a => a.EndsWith(".json", StringComparison.Ordinal)) ? Some(rest.Last) : None;
var dirs = output.IsSome ? rest.Init : rest;
if (dirs.IsEmpty) dirs = Seq("results/kaggle/beyond/tabular-ensemble/tabular-ensemble", "results/kaggle/beyond/gbdt");
var loaded = ReportData.Load(new DataSource(path, false, 0, "")).Bind(d => d.OnSplit(split.IfNone(DataSplit.Report)));
if (dirs.Count == 2)
{
    var run = from data in loaded
              from blend in CrossFamily.Run(new TorchBackend(), data, dirs[0], dirs[1], seed: 2)
              from written in output.Match(o => CrossFamily.Write(o, blend, dirs[0], dirs[1]), () => FinSucc(unit))
              select blend;
    return run.Match(r =>
    {
        Console.WriteLine("| model | validation | test |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(FormattableString.Invariant($"| {dirs[0]} | {r.FirstVal:F4} | {r.FirstTest:F4} |"));
        Console.WriteLine(FormattableString.Invariant($"| {dirs[1]} | {r.SecondVal:F4} | {r.SecondTest:F4} |"));
        Console.WriteLine(FormattableString.Invariant(
            $"| blend, weight {r.Blend.Weight:F2} on the first | {r.Blend.ValAccuracy:F4} | {r.Test:F4} {r.TestInterval.Show()} |"));
        Console.WriteLine(AgainstFirst(r.AgainstFirst));
        r.Scores.Iter(s => Console.WriteLine(Scored(s)));
        r.Twins.Iter(t => Console.WriteLine(Twinned(t)));
        Console.WriteLine("grid: " + string.Join(" ",
            r.Blend.Grid.Map(g => FormattableString.Invariant($"{g.Weight:F2}:{g.ValAccuracy:F4}"))));
        return 0;
    }, e => { Console.Error.WriteLine($"error: {e.Message}"); return 1; });
}
var many = from data in loaded
           from blend in CrossFamily.RunMany(new TorchBackend(), data, dirs, seed: 2)
           from written in output.Match(o => CrossFamily.Write(o, blend), () => FinSucc(unit))
           select blend;
return many.Match(r =>
{
    Console.WriteLine("| model | weight | validation | test |");
    Console.WriteLine("|---|---:|---:|---:|");
    foreach (var ((dir, w), m) in r.Folders.Zip(r.Blend.Weights).Zip(r.Models))
        Console.WriteLine(FormattableString.Invariant($"| {dir} | {w:F2} | {m.Val:F4} | {m.Test:F4} |"));
    Console.WriteLine(FormattableString.Invariant(
        $"| blend ({r.Blend.Points} weightings tried) | | {r.Blend.ValAccuracy:F4} | {r.Test:F4} {r.TestInterval.Show()} |"));
    Console.WriteLine(AgainstFirst(r.AgainstFirst));
    r.Scores.Iter(s => Console.WriteLine(Scored(s)));
    r.Twins.Iter(t => Console.WriteLine(Twinned(t)));
    return 0;
}, e => { Console.Error.WriteLine($"error: {e.Message}"); return 1; });

string Scored(ProbabilityMetrics s) => FormattableString.Invariant(
    $"blend on the {splitName} split's test rows: top-3 {s.Top3:F4}, top-5 {s.Top5:F4}, macro-F1 {s.MacroF1:F4}, ") +
    FormattableString.Invariant($"family {s.Family:F4}, ECE {s.Ece:F4}");

static string Twinned(TwinScores t) => FormattableString.Invariant(
    $"{t.Rows} test rows with an identical-feature twin in training: accuracy {t.Accuracy:F4}, a twin's genre predicted ") +
    FormattableString.Invariant($"{t.PredictedTwinGenre:F4}; the other {t.OtherRows}: accuracy {t.OtherAccuracy:F4}");

static string AgainstFirst(McNemarTest t) =>
    FormattableString.Invariant($"McNemar against the first alone: {t.OnlyFirst} rows only the blend got right, ") +
    FormattableString.Invariant($"{t.OnlySecond} only the first, ") + Uncertainty.ShowP(t.PValue);
