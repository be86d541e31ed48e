using Genre.Data;
using LanguageExt;

namespace Genre.Cli;

/// <summary>Resolves the data file for a command and tells the user on stderr when it is synthetic.</summary>
public static class Sources
{
    public static Fin<DataSource> Resolve(Args a) =>
        DataSource.Resolve(a.Get("data")).Map(s =>
        {
            // Only the fallback is announced: a file the user named is theirs to know; reports still mark it synthetic.
            if (s.IsSynthetic && !s.NamedByUser)
                Console.Error.WriteLine($"notice: no real dataset found (--data, ${DataSource.EnvironmentVariable}, {DataSource.DefaultPath}); using {s.Describe()} at {s.Path}");
            return s;
        });
}
