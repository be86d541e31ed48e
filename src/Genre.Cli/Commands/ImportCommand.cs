using Genre.Data;
using Genre.Models;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre import --saved-model DIR [--reduced] [--fit-data PATH] --out MODELDIR</c>: a TF2 SavedModel as a self-contained model
/// folder — model.json, weights.safetensors and the preprocessing the report pipeline fits on the model's training file — so
/// <c>predict</c>, <c>export</c> and <c>train --init-from</c> need no training file afterwards.
/// </summary>
public static class ImportCommand
{
    public static readonly Verb Verb = new(
        "import", "a TF2 SavedModel as a self-contained model folder", Seq(
            Opt.Valued("saved-model", "DIR", "the TF2 SavedModel"),
            Opt.Valued("fit-data", "PATH", "the training file the report's scaler is fit on (else $GENRE_DATA, else data/dataset.csv)"),
            SharedOptions.Reduced,
            Opt.Valued("out", "DIR", "the model folder to write")), Run);

    static Fin<int> Run(Args a) =>
        from _s in a.Get("saved-model").IsSome ? FinSucc(unit) : FinFail<Unit>(GenreError.Usage("import: --saved-model DIR is required"))
        from output in a.Get("out").ToFin(GenreError.Usage("import: --out DIR (the model folder to write) is required"))
        from model in ModelSources.Resolve(a, "import")
        from _ in ModelFolder.Save(output, model.Spec, model.Weights, Some(model.Preprocessing))
        select Report(model, output);

    static int Report(PortableModel m, string output)
    {
        Console.WriteLine($"{m.Spec.Name}: {WeightShapes.ParamCount(m.Spec):N0} parameters, {m.Preprocessing.Genres.Count} genres; model " +
            $"folder written to {output}");
        return 0;
    }
}
