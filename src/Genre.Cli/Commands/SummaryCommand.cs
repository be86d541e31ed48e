using Genre.Models;
using LanguageExt;

namespace Genre.Cli.Commands;

/// <summary><c>genre summary --model NAME</c>: Keras' model.summary() of one of the report's models.</summary>
public static class SummaryCommand
{
    public static readonly Verb Verb = new("summary", $"print the Keras summary of a model (--model {string.Join("|", Zoo.Names)})", Run);

    static Fin<int> Run(Args args) =>
        from a in args.Only("model")
        from name in a.Get("model").ToFin(Genre.Data.GenreError.Usage($"summary: --model is required ({string.Join(", ", Zoo.Names)})"))
        from spec in Zoo.ByName(name)
        from text in Summary.Of(spec)
        select Print(text);

    static int Print(string text)
    {
        Console.Write(text);
        return 0;
    }
}
