using System.CommandLine;
using FlagOption = System.CommandLine.Option<bool>;
using ValueOption = System.CommandLine.Option<string>;

namespace Genre.Cli;

/// <summary>
/// One option of a command, declared once: its name without the dashes, what it does, and what its value is called in help
/// (none for a flag). From this one declaration System.CommandLine parses it, refuses an option the command does not declare,
/// writes <c>genre CMD --help</c> and completes it in a shell (<c>genre [suggest] …</c>); the command reads it through
/// <see cref="Args"/>.
/// </summary>
public sealed record Opt(string Name, string Description, string? Value = null)
{
    /// <summary>An option without a value (<c>--resume</c>).</summary>
    public static Opt Flag(string name, string description) => new(name, description);

    /// <summary>An option with a value, <paramref name="value"/> naming it in help (<c>--epochs N</c>).</summary>
    public static Opt Valued(string name, string value, string description) => new(name, description, value);
}

/// <summary>A command's positional argument (<c>genre migrate DIR</c>).</summary>
public sealed record Positional(string Name, string Description);

/// <summary>A verb: name, one-line help, its options (declared once), an optional positional argument, and a runner returning
/// either an exit code or an error.</summary>
public sealed record Verb(string Name, string Help, Seq<Opt> Options, Func<Args, Fin<int>> Run, Positional? Argument = null);

/// <summary>The verbs as System.CommandLine commands: one parser for the whole CLI, built from the verbs' declarations.</summary>
internal static class CommandLine
{
    /// <summary>Every command takes it: an error then also prints its stack trace.</summary>
    public static readonly Opt Verbose = Opt.Flag("verbose", "on an error, also print the stack trace");

    /// <summary>The parser of <paramref name="verbs"/>, and for each command how its parse becomes the verb's <see cref="Args"/>.</summary>
    public static (RootCommand Root, Func<ParseResult, LanguageExt.Option<(Verb Verb, Args Args)>> Bind) Of(Seq<Verb> verbs)
    {
        var root = new RootCommand("genre — reproduce \"Using RNN To Predict Music Track Genre\"");
        var bound = new Dictionary<Command, Func<ParseResult, (Verb, Args)>>();
        foreach (var verb in verbs)
        {
            var command = new Command(verb.Name, verb.Help);
            var options = (verb.Options + Seq1(Verbose)).Map(o => (Opt: o, Symbol: Symbol(o))).ToArray();
            foreach (var (_, symbol) in options) command.Options.Add(symbol);
            var argument = verb.Argument is { } p
                ? new Argument<string[]>(p.Name) { Description = p.Description, Arity = ArgumentArity.ZeroOrMore }
                : null;
            if (argument is not null) command.Arguments.Add(argument);
            root.Subcommands.Add(command);
            bound[command] = parse => (verb, new Args(
                toMap(options.Where(o => parse.GetResult(o.Symbol) is { Implicit: false })
                    .Select(o => (o.Opt.Name, Value(parse, o.Symbol)))),
                argument is null ? Seq<string>() : toSeq(parse.GetValue(argument) ?? []).Strict()));
        }
        return (root, parse => bound.TryGetValue(parse.CommandResult.Command, out var bind) ? Some(bind(parse)) : None);
    }

    static System.CommandLine.Option Symbol(Opt o) => o.Value is null
        ? new FlagOption("--" + o.Name) { Description = o.Description }
        : new ValueOption("--" + o.Name) { Description = o.Description, HelpName = o.Value };

    static string Value(ParseResult parse, System.CommandLine.Option symbol) => symbol switch
    {
        FlagOption flag => parse.GetValue(flag) ? "true" : "false",
        ValueOption value => parse.GetValue(value) ?? "",
        _ => "",
    };

    /// <summary>Whether a parse without errors asks for help, completions or the version rather than a command's work: the
    /// commands themselves have no System.CommandLine action (the verbs run them), so any action is one of those.</summary>
    public static bool IsHelpOrDirective(ParseResult parse) => parse.Action is not null;

    /// <summary>A parse error in the project's words, on one line.</summary>
    public static string Words(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message.TrimEnd('.'), @"^Unrecognized command or argument '(.*)'$",
            "unknown option or argument '$1'");
}
