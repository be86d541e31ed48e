using Genre.Data;
using Genre.Eval;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre migrate DIR [--seed S]</c>: every folder under DIR written by an earlier genre rewritten in the current formats, with
/// checksums (<see cref="Migration"/>); one line per file changed. <c>--seed</c> is the run's seed for a gbdt.json that records
/// none outside a seed-S folder. A damaged file, or one whose missing facts cannot be derived, is an error naming it (exit 5)
/// and nothing is written.
/// </summary>
public static class MigrateCommand
{
    public static readonly Verb Verb = new("migrate",
        "rewrite folders written by an earlier genre in the current formats, with checksums",
        Seq1(Opt.Valued("seed", "S", "the run's seed, for a gbdt.json that records none outside a seed-S folder")), Run,
        new Positional("DIR", "the folder to migrate, with every folder under it"));

    static Fin<int> Run(Args a) =>
        from dir in a.Positional.Count == 1
            ? FinSucc(a.Positional.Head)
            : FinFail<string>(GenreError.Usage("migrate: name one folder (genre migrate DIR [--seed S])"))
        from seed in a.Get("seed").Match(_ => a.Int("seed", 0).Map(Some), () => FinSucc(Option<int>.None))
        from changes in Migration.Run(dir, seed)
        select Report(dir, changes);

    static int Report(string dir, Seq<MigrationChange> changes)
    {
        foreach (var c in changes) Console.WriteLine($"{c.Path}: {c.What}");
        Console.WriteLine(changes.IsEmpty
            ? $"{dir}: nothing to migrate (every file is in the current format)"
            : $"{dir}: {changes.Count} file(s) migrated");
        return 0;
    }
}
