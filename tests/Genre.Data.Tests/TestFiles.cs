using System.Reflection;

namespace Genre.Data.Tests;

public static class TestFiles
{
    public static string RepoRoot => Path.GetFullPath(typeof(TestFiles).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!);

    public static string Golden(string name) => Path.Combine(RepoRoot, "tests", "golden", "data", name);

    /// <summary>The Kaggle file's header line, spelled out (its unnamed index column first).</summary>
    public const string KaggleHeader = ",track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy," +
                                       "key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo," +
                                       "time_signature,track_genre";

    /// <summary>A new file <paramref name="name"/> in a fresh temporary folder holding <paramref name="text"/>; its path.</summary>
    public static string Write(string text, string name)
    {
        var path = Path.Combine(TempDir(), name);
        File.WriteAllText(path, text);
        return path;
    }

    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary><see cref="Results.Ok{T}(Fin{T})"/> under the name the golden tests use.</summary>
    public static T Ok<T>(Fin<T> fin) => Results.Ok(fin);

    public static Seq<string> Errors<T>(Validation<LanguageExt.Common.Error, T> v) =>
        v.Match(_ => throw new Xunit.Sdk.XunitException("expected errors, got success"), errs => errs.Map(e => e.Message));
}
