using System.Reflection;
using Genre.Models.Backend;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Fuzz;

/// <summary>Where a campaign finds its valid inputs and does its work.</summary>
public static class FuzzSetup
{
    public static string RepoRoot => Path.GetFullPath(typeof(FuzzSetup).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!);

    /// <summary>The authors' SavedModels beside the repository (../shared/reference/authors-models), when present.</summary>
    public static Option<string> AuthorsModels =>
        Optional(Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "reference", "authors-models"))).Filter(Directory.Exists);

    public static FuzzEnvironment Create(IBackend backend) => new(RepoRoot, AuthorsModels, backend);

    /// <summary>A fresh folder in memory (/dev/shm) when there is one: a campaign writes each damaged file once per case.</summary>
    public static string WorkDir()
    {
        var parent = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var dir = Path.Combine(parent, "genre-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
