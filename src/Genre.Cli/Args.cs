using Genre.Data;

namespace Genre.Cli;

/// <summary>
/// A command's options as System.CommandLine parsed them (<see cref="CommandLine"/>): the ones given, by name, with their text
/// (a flag's is "true" or "false"), and the positional arguments. Only options the command declares can be here.
/// </summary>
public sealed record Args(Map<string, string> Options, Seq<string> Positional)
{
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
}
