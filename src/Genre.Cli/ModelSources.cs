using Genre.Data;
using Genre.Models;
using Genre.Models.Import;

namespace Genre.Cli;

/// <summary>
/// The model a command works on, with its preprocessing: <c>--model-dir DIR</c> (a folder written by <c>genre train</c>, whose
/// <c>preprocessing.json</c> travels with it) or <c>--saved-model DIR</c> (a TF2 SavedModel, which has none: the report pipeline is
/// fit on its training file, <c>--fit-data PATH</c>, else <c>$GENRE_DATA</c>, else <c>data/dataset.csv</c>, with the report's genre
/// merges under <c>--reduced</c>). A model folder from before preprocessing was saved is treated like a SavedModel.
/// </summary>
public static class ModelSources
{
    /// <summary>The options naming a model, shared by predict and export.</summary>
    public static readonly Seq<Opt> Options = Seq(
        Opt.Valued("model-dir", "DIR", "a model folder written by genre (train, import, reproduce), or an ensemble folder"),
        Opt.Valued("saved-model", "DIR", "a TF2 SavedModel in the authors' format"),
        Opt.Valued("fit-data", "PATH", "for a model without preprocessing.json: the training file the report's scaler is fit on " +
                                       "(else $GENRE_DATA, else data/dataset.csv)"),
        SharedOptions.Reduced);

    public static Fin<PortableModel> Resolve(Args a, string verb) =>
        from stored in Stored(a, verb)
        from preprocessing in stored.Preprocessing.Match(
            p => FinSucc(p),
            () => Fitted(a, verb).Bind(p => ModelFolder.Matches(stored.Spec, p, "the fitted preprocessing").Map(_ => p)))
        select new PortableModel(stored.Spec, stored.Weights, preprocessing);

    /// <summary>
    /// As <see cref="Resolve"/>, and also an ensemble folder (<see cref="EnsembleFolder"/>) given as <c>--model-dir</c>: its
    /// members with the preprocessing they share.
    /// </summary>
    public static Fin<Eval.Classifier> Classifier(Args a, string verb) =>
        a.Get("model-dir").Filter(dir => a.Get("saved-model").IsNone && EnsembleFolder.Is(dir)).Match(
            dir => Eval.Classifier.Load(dir),
            () => Resolve(a, verb).Map(m =>
                new Eval.Classifier(m.Preprocessing, StoredClassifier.Of(new StoredModel(m.Spec, m.Weights, Some(m.Preprocessing))))));

    /// <summary>The spec and weights only (no preprocessing needed).</summary>
    public static Fin<StoredModel> Stored(Args a, string verb) =>
        (a.Get("model-dir"), a.Get("saved-model")) switch
        {
            ({ IsSome: true }, { IsSome: true }) => GenreError.Usage($"{verb}: give --model-dir DIR or --saved-model DIR, not both"),
            ({ Case: string dir }, _) => Directory.Exists(dir) ? ModelFolder.Load(dir)
                : GenreError.Io($"{dir}: model folder not found (from --model-dir)"),
            (_, { Case: string dir }) => SavedModel.Load(dir).Map(m => new StoredModel(m.Spec, m.Weights, None)),
            _ => GenreError.Usage($"{verb}: --model-dir DIR or --saved-model DIR is required"),
        };

    /// <summary>The report pipeline's preprocessing fit on the model's training file.</summary>
    static Fin<Preprocessing> Fitted(Args a, string verb)
    {
        var named = Sources.FlagOrVariable(a.Get("fit-data"), "--fit-data", Sources.EnvironmentVariable);
        var (path, origin) = named.Map(n => (n.Value, n.Origin)).IfNone((Sources.DefaultPath, Sources.DefaultPath));
        if (!File.Exists(path))
            return named.IsSome
                ? GenreError.Io($"{path}: file not found (from {origin})")
                : GenreError.Usage($"{verb}: this model has no preprocessing.json; name its training file with --fit-data PATH (or " +
                    $"${Sources.EnvironmentVariable}) so the report's scaler can be fit");
        return ReportPipeline.Load(path, a.Reduction()).Map(l => Preprocessing.Of(l.Data));
    }
}
