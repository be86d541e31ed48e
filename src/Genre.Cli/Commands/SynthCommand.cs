using Genre.Data;

namespace Genre.Cli.Commands;

/// <summary><c>genre synth [--rows-per-genre N] [--seed S] --out FILE</c>: a synthetic file in the exact Kaggle format.</summary>
public static class SynthCommand
{
    public static readonly Verb Verb = new(
        "synth", "write a synthetic Kaggle-format dataset.csv", Seq(
            Opt.Valued("out", "FILE", "the CSV to write"),
            Opt.Valued("rows-per-genre", "N", $"rows per genre (default {Synthetic.DefaultRowsPerGenre})"),
            Opt.Valued("seed", "S", $"the generator's seed (default {Synthetic.DefaultSeed})")), Run);

    static Fin<int> Run(Args a) =>
        from output in a.Get("out").ToFin(GenreError.Usage("synth: --out FILE is required"))
        from rows in a.Int("rows-per-genre", Synthetic.DefaultRowsPerGenre)
        from _1 in rows >= 1 ? FinSucc(unit) : FinFail<Unit>(GenreError.Usage("--rows-per-genre must be ≥ 1"))
        from seed in a.Int("seed", Synthetic.DefaultSeed)
        from tracks in SyntheticProvenance.Generate(output, seed, rows)
        select Report(tracks.Count, seed, output);

    static int Report(int count, int seed, string path)
    {
        Console.WriteLine($"wrote {count:N0} synthetic tracks ({KaggleGenres.FileOrder.Count} genres, seed {seed}) to {path} (provenance " +
            $"in {SyntheticProvenance.SidecarOf(path)})");
        return 0;
    }
}
