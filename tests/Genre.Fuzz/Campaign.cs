using System.Diagnostics;
using System.Text.RegularExpressions;
using Genre.Data;
using LanguageExt;
using LanguageExt.Common;
using static LanguageExt.Prelude;

namespace Genre.Fuzz;

/// <summary>A case that broke a rule: which case, how its input was damaged, and what went wrong.</summary>
public sealed record Failure(string Kind, int Case, string Variant, string Mutation, string Problem);

/// <summary>What a campaign over one kind found.</summary>
public sealed record KindReport(string Kind, int Cases, int Succeeded, Map<int, int> ExitCodes, double Seconds, Seq<Failure> Failures,
    Option<string> Skipped)
{
    /// <summary>A few of the errors the cases ended in (the first of each distinct start), to see what the readers said.</summary>
    public Seq<string> Samples { get; init; }
}

/// <summary>
/// Runs damaged copies of one kind's valid inputs through its reader, in this process, one case at a time, and checks the
/// rules every case must keep: it ends (within the timeout) in success or in an error with a documented exit code whose
/// every line is one line, in the project's words, naming the file; no exception escapes; a failure leaves no file behind.
/// </summary>
public static partial class Campaign
{
    /// <summary>The exit codes README.md documents for errors (1, internal, is a bug).</summary>
    public static readonly Set<int> Documented = Set(GenreError.UsageCode, GenreError.DataCode, GenreError.IoCode, GenreError.ModelCode,
        GenreError.DivergedCode);

    [GeneratedRegex(@"Exception|\(Parameter '|System\.|Microsoft\.|JsonSerializer|Path: \$|LineNumber|BytePositionInLine|Object " +
        @"reference|Index was outside|" +
                    @"Specified argument|Arithmetic operation|Value was either|Input string was not|Nullable object|Sequence contains|An " +
                        @"item with the same key|" +
                    @"The JSON value|cannot be converted to|is an invalid start|TorchSharp|libtorch|   at ")]
    private static partial Regex FrameworkWords();

    public static KindReport Run(FuzzKind kind, FuzzEnvironment env, string workDir, int cases, int seed, TimeSpan timeout,
                                 Option<string> keep = default, int stopAfter = 20, int first = 0, bool trace = false)
    {
        if (kind.Missing(env).Case is string why) return new KindReport(kind.Name, 0, 0, Map<int, int>(), 0, Seq<Failure>(), Some(why));
        var root = Path.Combine(workDir, kind.Name.Replace('.', '-'));
        var pristineDir = Path.Combine(root, "pristine");
        var variants = kind.Prepare(env, pristineDir);
        var pristine = Snapshot.Contents(pristineDir);
        var caseDir = Path.Combine(root, "case");
        Snapshot.Restore(caseDir, pristine);
        // the valid inputs must read, or the campaign would only ever see errors
        foreach (var variant in variants)
            if (kind.Read(env, Path.Combine(caseDir, variant), 0).Case is Error broken)
                return new KindReport(kind.Name, 0, 0, Map<int, int>(), 0,
                    Seq1(new Failure(kind.Name, -1, variant, "none", $"the valid input fails: {broken.Message}")), None);
        Snapshot.Restore(caseDir, pristine);

        var clock = Stopwatch.StartNew();
        var failures = new List<Failure>();
        var codes = new Dictionary<int, int>();
        var succeeded = 0;
        var samples = new List<string>();
        var done = first;
        for (; done < first + cases && failures.Count < stopAfter; done++)
        {
            var variant = variants[done % variants.Count];
            var dir = Path.Combine(caseDir, variant);
            var target = Path.Combine(variant, kind.Target(done));
            var random = new Random(unchecked(seed * 1_000_003 + done));
            var (bytes, how) = Mutation.Apply(pristine[target], random);
            File.WriteAllBytes(Path.Combine(caseDir, target), bytes);
            var before = Snapshot.Listing(caseDir);

            var index = done;
            var run = Task.Run(() =>
            {
                try { return Right<string, Fin<Unit>>(kind.Read(env, dir, index)); }
                catch (Exception e)
                {
                    if (trace) Console.Error.WriteLine(e); return Left<string, Fin<Unit>>($"unhandled " +
                    $"{e.GetType().Name}: {e.Message.Split('\n')[0]} ({Where(e)})");
                }
            });
            if (!run.Wait(timeout))
            {
                failures.Add(new Failure(kind.Name, done, variant, how, $"no answer within {timeout.TotalSeconds:F0} s"));
                keep.IfSome(k => Keep(k, kind.Name, done, target, bytes));
                done++;
                break; // the case still runs; its folder cannot be reused
            }
            var problem = run.Result.Match(
                Left: crash => Some(crash),
                Right: fin => fin.Match(
                    Succ: _ => { succeeded++; return Option<string>.None; },
                    Fail: e =>
                    {
                        var code = GenreError.ExitCode(e);
                        codes[code] = codes.GetValueOrDefault(code) + 1;
                        var said = e.Message.Replace(dir, "DIR");
                        var start = string.Join(" ", said.Split(' ').Take(4));
                        if (samples.Count < 40 && !samples.Exists(x => x.StartsWith(start))) samples.Add(said);
                        // an earlier genre's variant is migrated before it is read: a failed migration is checked to leave the folder
                        // as it was (Kinds.MigratedIfEarlier), a successful one rewrote it
                        return Check(e, code, dir).Match(Some, () => Kinds.IsEarlier(variant) || Snapshot.Listing(caseDir) == before
                            ? None : Some("the failure left files changed or behind"));
                    }));
            foreach (var p in problem)
            {
                failures.Add(new Failure(kind.Name, done, variant, how, p));
                keep.IfSome(k => Keep(k, kind.Name, done, target, bytes));
            }
            if (Snapshot.Listing(caseDir) == before) File.WriteAllBytes(Path.Combine(caseDir, target), pristine[target]);
            else Snapshot.Restore(caseDir, pristine);
        }
        return new KindReport(kind.Name, done - first, succeeded, toMap(codes.Select(p => (p.Key, p.Value))), clock.Elapsed.TotalSeconds,
            toSeq(failures).Strict(), None)
        { Samples = toSeq(samples).Strict() };
    }

    /// <summary>The innermost frames of genre's own code in an exception's stack trace.</summary>
    static string Where(Exception e) =>
        string.Join(" < ", (e.StackTrace ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("at Genre.")).Take(3)
            .Select(l => l[3..].Split(" in ")[0]));

    /// <summary>A broken rule of an error, or None.</summary>
    static Option<string> Check(Error e, int code, string dir)
    {
        if (!Documented.Contains(code)) return $"exit code {code}: {e.Message.Split('\n')[0]}";
        foreach (var line in Lines(e))
        {
            if (line.Contains('\n') || line.Contains('\r')) return $"a message of more than one line: {line.Split('\n')[0]}";
            if (FrameworkWords().IsMatch(line)) return $"framework words: {line}";
            if (!line.Contains(dir)) return $"the message does not name the file: {line}";
        }
        return None;
    }

    static IEnumerable<string> Lines(Error e) => e is ManyErrors many ? many.Errors.SelectMany(Lines) : [e.Message];

    static void Keep(string keep, string kind, int index, string target, byte[] bytes)
    {
        var path = Path.Combine(keep, $"{kind}-{index}", target);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }
}

/// <summary>A folder's files: their bytes (to restore them) or their names, sizes and times (to see whether a case changed any).</summary>
static class Snapshot
{
    public static Dictionary<string, byte[]> Contents(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes);

    public static string Listing(string dir) =>
        string.Join("\n", Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => new FileInfo(f)).Select(f => $"{f.FullName} {f.Length} {f.LastWriteTimeUtc.Ticks}"));

    /// <summary>Makes <paramref name="dir"/> hold exactly <paramref name="files"/>.</summary>
    public static void Restore(string dir, Dictionary<string, byte[]> files)
    {
        if (Directory.Exists(dir))
            foreach (var f in Directory.GetFiles(dir, "*", SearchOption.AllDirectories))
                if (!files.ContainsKey(Path.GetRelativePath(dir, f))) File.Delete(f);
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
    }
}
