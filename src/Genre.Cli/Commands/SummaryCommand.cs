using Genre.Data;
using Genre.Models;
using Genre.Models.Import;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre summary --model NAME</c>: Keras' model.summary() of one of the report's models;
/// <c>genre summary --saved-model DIR</c>: the same table for a TF2 SavedModel, after importing (and checking) its weights.
/// </summary>
public static class SummaryCommand
{
    public static readonly Verb Verb = new(
        "summary", "print the Keras summary of a model", Seq(
            Opt.Valued("model", "NAME", $"a model of the zoo: {string.Join("|", Zoo.Names)}"),
            Opt.Valued("saved-model", "DIR", "a TF2 SavedModel in the authors' format")), Run);

    static Fin<int> Run(Args a) =>
        from spec in a.Get("saved-model").Match(
            dir => SavedModel.Load(dir).Map(m => m.Spec),
            () => a.Get("model").ToFin(
                GenreError.Usage($"summary: --model NAME ({string.Join(", ", Zoo.Names)}) or --saved-model DIR is required"))
                    .Bind(Zoo.ByName))
        from text in Summary.Of(spec)
        select Print(text);

    static int Print(string text)
    {
        Console.Write(text);
        return 0;
    }
}
