using LanguageExt;

namespace Genre.Cli.Commands;

public static class SynthCommand
{
    public static readonly Verb Verb = new("synth", "write a synthetic Kaggle-format dataset.csv", Run);

    static Fin<int> Run(Args args) => Genre.Data.GenreError.Usage("synth: not built yet");
}
