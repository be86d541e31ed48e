using System.Diagnostics;
using System.Reflection;

namespace Genre.TestSupport;

/// <summary>Runs the built `genre` CLI as a child process (the CLI's own output folder carries libtorch), for the CLI tests and the
/// CLI properties.</summary>
public static class GenreCli
{
    static string Meta(string key) =>
        typeof(GenreCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;

    public static string Dll => Environment.GetEnvironmentVariable("GENRE_CLI_DLL") ?? Path.GetFullPath(Meta("GenreCliDll"));
    public static string RepoRoot => Path.GetFullPath(Meta("RepoRoot"));
    public static string SharedReference => Path.Combine(RepoRoot, "..", "shared", "reference");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>A fresh, empty folder under the system temp folder: <c>genre-&lt;purpose&gt;/&lt;guid&gt;</c>, removed when the test
    /// process ends (GENRE_KEEP_TEMP=1 keeps them): runs copy model folders and write checkpoints, and a mutation run, which
    /// runs the tests once a mutant, once filled the disk with them.</summary>
    public static string TempDir(string purpose)
    {
        var d = Path.Combine(Path.GetTempPath(), "genre-" + purpose, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        TempFolders.Add(d);
        return d;
    }

    public static Result Run(string workingDirectory, IDictionary<string, string?>? env, params string[] args) =>
        Process("dotnet", workingDirectory, env, [Dll, .. args]);

    /// <summary>Runs <paramref name="program"/> with <paramref name="args"/> to its end, GENRE_DATA unset unless
    /// <paramref name="env"/> sets it, and returns its exit code and output.</summary>
    public static Result Process(string program, string workingDirectory, IDictionary<string, string?>? env, params string[] args)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GENRE_DATA"] = null;
        if (env != null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static Result Run(params string[] args) => Run(Directory.GetCurrentDirectory(), null, args);
}
