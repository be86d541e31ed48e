using Genre.Data;
using LanguageExt.Common;

namespace Genre.Cli;

/// <summary>
/// Entry point: dispatch on the verb, map errors to exit codes (see GenreError), one line on stderr,
/// no stack trace unless --verbose.
/// </summary>
public static class Cli
{
    // Each verb lives in Commands/<Verb>Command.cs and registers itself here.
    public static readonly Seq<Verb> Verbs = Prelude.Seq<Verb>(
        Commands.SynthCommand.Verb,
        Commands.DataCommand.Verb,
        Commands.SummaryCommand.Verb,
        Commands.EvaluateCommand.Verb,
        Commands.PredictCommand.Verb,
        Commands.ExportCommand.Verb,
        Commands.ImportCommand.Verb,
        Commands.TrainCommand.Verb,
        Commands.ReproduceCommand.Verb,
        Commands.AuditCommand.Verb,
        Commands.MigrateCommand.Verb
    );

    /// <summary>The one parser of every verb's declared options (System.CommandLine).</summary>
    static readonly (System.CommandLine.RootCommand Root, Func<System.CommandLine.ParseResult, Option<(Verb Verb, Args Args)>> Bind)
        Parser = CommandLine.Of(Verbs);

    public static int Run(string[] argv)
    {
        var verbose = argv.Contains("--verbose");
        if (argv.Length == 0 || argv[0] is "-h" or "--help" or "help")
        {
            PrintUsage();
            return argv.Length == 0 ? GenreError.UsageCode : 0;
        }
        var directive = argv[0].StartsWith('[');
        if (!directive && Verbs.Find(v => v.Name == argv[0]).IsNone)
        {
            Console.Error.WriteLine($"genre: unknown command '{argv[0]}' (try: {string.Join(", ", Verbs.Map(v => v.Name))})");
            return GenreError.UsageCode;
        }
        var parse = Parser.Root.Parse(argv);
        if (parse.Errors.Count > 0)
        {
            Console.Error.WriteLine($"genre: {argv[0]}: {CommandLine.Words(parse.Errors[0].Message)} " +
                                    $"(genre {argv[0]} --help lists its options)");
            return GenreError.UsageCode;
        }
        if (CommandLine.IsHelpOrDirective(parse)) return parse.Invoke();
        try
        {
            return Parser.Bind(parse).Match(
                bound => bound.Verb.Run(bound.Args).Match(Succ: code => code, Fail: e => Report(e, verbose)),
                () => { PrintUsage(); return GenreError.UsageCode; });
        }
        catch (Exception) when (!verbose)
        {
            // a bug, not the user's input: say so in one line; --verbose lets the exception and its stack trace through
            Console.Error.WriteLine($"genre {argv[0]}: internal error (a bug in genre; rerun with --verbose for the details)");
            return GenreError.InternalCode;
        }
    }

    static int Report(Error e, bool verbose)
    {
        foreach (var line in Flatten(e).Take(verbose ? int.MaxValue : 20))
            Console.Error.WriteLine($"genre: {line}");
        if (verbose && e.Exception.IsSome) Console.Error.WriteLine(e.Exception);
        return GenreError.ExitCode(e);
    }

    static IEnumerable<string> Flatten(Error e) =>
        e is ManyErrors many ? many.Errors.SelectMany(Flatten) : new[] { e.Message };

    static void PrintUsage()
    {
        Console.WriteLine("genre — reproduce \"Using RNN To Predict Music Track Genre\"\n\nCommands:");
        foreach (var v in Verbs) Console.WriteLine($"  {v.Name,-10} {v.Help}");
        Console.WriteLine("\nCommon options: --data PATH (else $GENRE_DATA, else data/dataset.csv, else synthetic), --verbose");
        Console.WriteLine("Exit codes: 0 ok, 1 internal, 2 usage, 3 bad data, 4 I/O or folder in use, 5 model/weights/checksum, 6 " +
            "training diverged, 130 interrupted");
    }
}
