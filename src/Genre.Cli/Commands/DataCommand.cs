using LanguageExt;

namespace Genre.Cli.Commands;

public static class DataCommand
{
    public static readonly Verb Verb = new("data", "load, clean, encode and split a dataset; print the sizes", Run);

    static Fin<int> Run(Args args) => Genre.Data.GenreError.Usage("data: not built yet");
}
