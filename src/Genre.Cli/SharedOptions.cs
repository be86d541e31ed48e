namespace Genre.Cli;

/// <summary>Options several commands declare alike.</summary>
internal static class SharedOptions
{
    public static readonly Opt Data = Opt.Valued("data", "PATH",
        "the Kaggle-format CSV (else $GENRE_DATA, else data/dataset.csv, else a synthetic file)");

    public static readonly Opt Reduced = Opt.Flag("reduced", "the report's 66 merged genres instead of the 114");

    public static readonly Opt Threads = Opt.Valued("threads", "T", "libtorch threads (default: one per core)");

    public static readonly Opt Mapping = Opt.Valued("mapping", "report|FILE",
        "merged genres: the report's merges, or a source,target CSV of merges");
}
