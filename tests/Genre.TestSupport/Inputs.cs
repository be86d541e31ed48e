using System.Diagnostics;
using System.Reflection;

namespace Genre.TestSupport;

/// <summary>
/// The inputs some tests need and a clean clone may lack: the real Kaggle file ($GENRE_DATA), the authors' SavedModels and
/// notebooks (../shared/reference beside the repository), and Debian's python3 with numpy, pandas and scikit-learn. Each
/// <c>Why…</c> is null when the input is there, else the reason a test that needs it is skipped.
/// </summary>
public static class Inputs
{
    public static string RepoRoot => Path.GetFullPath(typeof(Inputs).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepoRoot").Value!);

    public static string SharedReference => Path.Combine(RepoRoot, "..", "shared", "reference");
    public static string AuthorsModels => Path.Combine(SharedReference, "authors-models");
    public static string Notebooks => Path.Combine(SharedReference, "notebooks");

    /// <summary>Debian's interpreter, which the golden scripts are written for.</summary>
    public const string DebianPython = "/usr/bin/python3";

    public static string? WhyNoRealData()
    {
        var path = Environment.GetEnvironmentVariable("GENRE_DATA");
        return string.IsNullOrEmpty(path) || !File.Exists(path) ? "needs the real Kaggle dataset.csv: set GENRE_DATA to its path" : null;
    }

    public static string? WhyNoAuthorsModels() =>
        Directory.Exists(AuthorsModels) ? null : "needs ../shared/reference/authors-models beside the repository";

    public static string? WhyNoNotebooks() =>
        Directory.Exists(Notebooks) ? null : "needs ../shared/reference/notebooks beside the repository";

    /// <summary>Null when <paramref name="python"/> imports <paramref name="modules"/> (none: it runs at all).</summary>
    public static string? WhyNoPython(string python, params string[] modules)
    {
        var what = modules.Length == 0 ? $"a working {python}" : $"{python} with {string.Join(", ", modules)}";
        try
        {
            var code = modules.Length == 0 ? "pass" : "import " + string.Join(", ", modules);
            using var p = Process.Start(new ProcessStartInfo(python, ["-c", code]) { RedirectStandardError = true })!;
            p.WaitForExit();
            return p.ExitCode == 0 ? null : $"needs {what} (the independent computation)";
        }
        catch (System.ComponentModel.Win32Exception) { return $"needs {what} (the independent computation)"; }
    }
}
