using Genre.Data;

namespace Genre.Cli;

/// <summary>Parsed "--name value" / "--flag" options. Values are looked up by name; unknown names are rejected by <see
/// cref="Only"/>.</summary>
public sealed record Args(Map<string, string> Options, Seq<string> Positional)
{
    public static Fin<Args> Parse(IEnumerable<string> argv)
    {
        var opts = Map<string, string>();
        var pos = Seq<string>();
        var list = argv.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a.StartsWith("--"))
            {
                var name = a[2..];
                var eq = name.IndexOf('=');
                if (eq >= 0) opts = opts.AddOrUpdate(name[..eq], name[(eq + 1)..]);
                else if (i + 1 < list.Count && !list[i + 1].StartsWith("--")) opts = opts.AddOrUpdate(name, list[++i]);
                else opts = opts.AddOrUpdate(name, "true");
            }
            else pos = pos.Add(a);
        }
        return new Args(opts, pos);
    }

    public Option<string> Get(string name) => Options.Find(name);
    public bool Flag(string name) => Options.Find(name).Map(v => v != "false").IfNone(false);

    /// <summary>The label reduction <c>--reduced</c> asks for: the report's merges (114 → 66 genres), else none.</summary>
    public Option<GenreMapping> Reduction() => Flag("reduced") ? Some(GenreMapping.ReportMerges) : None;

    /// <summary><c>--mapping report|FILE</c>: the report's merges or a "source,target" file; none when absent.</summary>
    public Fin<Option<GenreMapping>> Mapping() =>
        Get("mapping").Match(
            m => m == "report" ? FinSucc(Some(GenreMapping.ReportMerges)) : ReportPipeline.ToFin(GenreMapping.Load(m)).Map(Some),
            () => FinSucc(Option<GenreMapping>.None));
    public string Get(string name, string fallback) => Options.Find(name).IfNone(fallback);

    public Fin<int> Int(string name, int fallback) =>
        Options.Find(name).Match(
            Some: v => int.TryParse(v, out var n) ? FinSucc(n) : FinFail<int>(GenreError.Usage($"--{name}: '{v}' is not an integer")),
            None: () => FinSucc(fallback));

    public Fin<double> Double(string name, double fallback) =>
        Options.Find(name).Match(
            Some: v => double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture,
                out var x) && double.IsFinite(x)
                ? FinSucc(x) : FinFail<double>(GenreError.Usage($"--{name}: '{v}' is not a number")),
            None: () => FinSucc(fallback));

    /// <summary>Fails with a usage error when an option outside <paramref name="allowed"/> was given.</summary>
    public Fin<Args> Only(params string[] allowed)
    {
        var unknown = Options.Keys.Where(k => !allowed.Contains(k) && k != "verbose").ToList();
        var known = string.Join(", ", allowed.Select(a => "--" + a));
        return unknown.Count == 0 ? FinSucc(this) : FinFail<Args>(GenreError.Usage($"unknown option --{unknown[0]} (allowed: {known})"));
    }
}
