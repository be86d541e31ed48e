using System.Globalization;
using Genre.Fuzz;
using Genre.Models.Backend.Torch;
using LanguageExt;
using static LanguageExt.Prelude;

// genre's fuzzing campaign: dotnet Genre.Fuzz.dll [--cases N] [--seed S] [--kinds a,b] [--timeout SECONDS] [--keep DIR] [--threads T]
// [--first CASE] [--samples] [--trace]
string Arg(string name, string fallback) => args.SkipWhile(a => a != "--" + name).Skip(1).FirstOrDefault() ?? fallback;
var cases = int.Parse(Arg("cases", "100000"), CultureInfo.InvariantCulture);
var seed = int.Parse(Arg("seed", "1"), CultureInfo.InvariantCulture);
var timeout = TimeSpan.FromSeconds(double.Parse(Arg("timeout", "10"), CultureInfo.InvariantCulture));
var only = Arg("kinds", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
var keep = Optional(Arg("keep", "")).Filter(k => k.Length > 0);
var first = int.Parse(Arg("first", "0"), CultureInfo.InvariantCulture);
var trace = args.Contains("--trace");

TorchRuntime.Configure(new TorchOptions(int.Parse(Arg("threads", "1"), CultureInfo.InvariantCulture)));
var env = FuzzSetup.Create(new TorchBackend());
var work = FuzzSetup.WorkDir();
Console.WriteLine($"genre fuzz: {cases:N0} cases per kind, seed {seed}, timeout {timeout.TotalSeconds:F0} s per case, work folder {work}");
Console.WriteLine("| kind | cases | succeeded | errors by exit code | failures | seconds |");
Console.WriteLine("|---|---|---|---|---|---|");
var failed = 0;
try
{
    foreach (var kind in Kinds.All.Filter(k => only.Length == 0 || only.Contains(k.Name)))
    {
        var r = Campaign.Run(kind, env, work, cases, seed, timeout, keep, first: first, trace: trace);
        failed += r.Failures.Count;
        var codes = string.Join(", ", r.ExitCodes.AsEnumerable().Select(p => $"{p.Key}: {p.Value:N0}"));
        Console.WriteLine(r.Skipped.Match(
            why => $"| {r.Kind} | skipped: {why} | | | | |",
            () => $"| {r.Kind} | {r.Cases:N0} | {r.Succeeded:N0} | {codes} | {r.Failures.Count} | {r.Seconds:F0} |"));
        foreach (var f in r.Failures) Console.WriteLine($"  FAIL {f.Kind} case {f.Case} ({f.Variant}; {f.Mutation}): {f.Problem}");
        if (args.Contains("--samples")) foreach (var said in r.Samples) Console.WriteLine($"    said: {said}");
    }
}
finally
{
    try { Directory.Delete(work, true); } catch (IOException) { /* a hung case may still hold it */ }
}
return failed == 0 ? 0 : 1;
