using Genre.Data;

namespace Genre.Cli;

/// <summary>
/// The CLI's data-file policy (the library takes paths only): <c>--data PATH</c>, then <c>$GENRE_DATA</c>, then
/// <c>data/dataset.csv</c>; otherwise a synthetic file in the Kaggle format, generated once and announced on stderr.
/// </summary>
public static class Sources
{
    /// <summary>A value the user named and where it came from (<c>--data</c>, <c>$GENRE_DATA</c>, …), for error messages.</summary>
    public sealed record Named(string Value, string Origin);

    /// <summary>
    /// The one "flag, then environment variable" rule every option with a variable follows: the flag's value when given, else
    /// the variable's when set and not empty, else None (the caller's default). Reads the environment (an effect of the CLI's edge).
    /// </summary>
    public static Option<Named> FlagOrVariable(Option<string> flag, string flagName, string variable) =>
        flag.Map(v => new Named(v, flagName))
        || Optional(Environment.GetEnvironmentVariable(variable)).Filter(s => s.Length > 0).Map(v => new Named(v, "$" + variable));

    /// <summary>The environment variable naming the data file.</summary>
    public const string EnvironmentVariable = "GENRE_DATA";

    /// <summary>Where the CLI looks for the Kaggle file when neither <c>--data</c> nor <c>$GENRE_DATA</c> names one.</summary>
    public const string DefaultPath = "data/dataset.csv";

    /// <summary>The environment variable naming the folder of the authors' TF2 SavedModels (RNN1net, DNN1net, …).</summary>
    public const string AuthorsModelsVariable = "GENRE_AUTHORS_MODELS";

    /// <summary>Where the authors' SavedModels are looked for when neither the option nor the variable names a folder.</summary>
    public static readonly string DefaultAuthorsModels = Path.Combine("..", "shared", "reference", "authors-models");

    /// <summary>
    /// The authors' SavedModels folder for re-scoring: <c>--authors-models DIR</c>, then <c>$GENRE_AUTHORS_MODELS</c> (either must
    /// exist), then <c>../shared/reference/authors-models</c> if it exists; otherwise none (reports then skip the re-scoring).
    /// </summary>
    public static Fin<Option<string>> AuthorsModels(Args a)
    {
        return FlagOrVariable(a.Get("authors-models"), "--authors-models", AuthorsModelsVariable).Case is Named(var path, var origin)
            ? Directory.Exists(path) ? FinSucc(Some(path)) : GenreError.Io($"{path}: folder not found (from {origin})")
            : FinSucc(Directory.Exists(DefaultAuthorsModels) ? Some(DefaultAuthorsModels) : Option<string>.None);
    }

    public static Fin<DataSource> Resolve(Args a) =>
        Resolve(a.Get("data")).Map(s =>
        {
            // Only the fallback is announced: a file the user named is theirs to know; reports still mark it synthetic.
            if (s.IsSynthetic && !s.NamedByUser)
                Console.Error.WriteLine(
                    $"notice: no real dataset found (--data, ${EnvironmentVariable}, {DefaultPath}); using {s.Describe()} at {s.Path}");
            return s;
        });

    /// <summary>
    /// <c>--data PATH</c>, then <c>$GENRE_DATA</c>, then <c>data/dataset.csv</c>; otherwise the synthetic file (generated once
    /// into <paramref name="cacheDir"/>, written atomically, reused afterwards).
    /// </summary>
    public static Fin<DataSource> Resolve(Option<string> dataFlag, string cacheDir = "out/synthetic", int seed = Synthetic.DefaultSeed)
    {
        if (FlagOrVariable(dataFlag, "--data", EnvironmentVariable).Case is Named(var path, var origin))
            return File.Exists(path) ? DataSource.Of(path).Map(s => s with { NamedByUser = true })
                : GenreError.Io($"{path}: file not found (from {origin})");
        if (File.Exists(DefaultPath)) return DataSource.Of(DefaultPath);
        var synthetic = Path.Combine(cacheDir, $"dataset-synthetic-seed{seed}.csv");
        if (!File.Exists(synthetic) || SyntheticProvenance.Read(synthetic).IsNone)
        {
            var written = SyntheticProvenance.Generate(synthetic, seed, Synthetic.DefaultRowsPerGenre);
            if (written.IsFail) return (LanguageExt.Common.Error)written;
        }
        return DataSource.Of(synthetic);
    }
}
