using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;

namespace Genre.Cli.Tests;

/// <summary>
/// Issue 14: `dotnet pack` makes Genre.Data, Genre.Models, Genre.Eval and Genre.Testing, and a fresh console project outside the
/// solution that references the packages (not the projects) compiles the README's library example and runs it on a small synthetic
/// file; a user's xunit project (examples/property-suite) runs Genre.Testing's law suites on its own stage and mapping.
/// </summary>
public class PackageTests
{
    static readonly string[] Libraries = ["Genre.Data", "Genre.Models", "Genre.Eval", "Genre.Testing"];

    static GenreCli.Result Dotnet(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GENRE_DATA"] = null;
        psi.Environment["MSBuildSDKsPath"] = null; // the test host's MSBuild settings are not the consumer's
        psi.Environment["MSBUILD_EXE_PATH"] = null;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return new GenreCli.Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The user's global packages folder: the consumer restores everything but Genre's packages from it.</summary>
    static string UserPackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [Fact]
    public void A_fresh_project_referencing_the_packages_runs_the_readme_example()
    {
        var root = GenreCli.TempDir("package"); // under the system temp folder: no Directory.Build.* of this repository applies
        var feed = Path.Combine(root, "feed");
        foreach (var lib in Libraries)
        {
            var pack = Dotnet(GenreCli.RepoRoot, "pack", Path.Combine("src", lib), "-c", TestAssembly.Configuration, "--no-build",
                "-o", feed, "-nologo");
            Assert.True(pack.ExitCode == 0, pack.Stdout + pack.Stderr);
        }

        var versions = Libraries.Select(lib => Nuspec(feed, lib)).Select(n => n.Version).Distinct().ToArray();
        Assert.Single(versions);
        foreach (var lib in Libraries)
        {
            var n = Nuspec(feed, lib);
            Assert.Equal("MIT", n.License);
            Assert.Equal("README.md", n.Readme);
            Assert.False(string.IsNullOrWhiteSpace(n.Description));
            Assert.Contains($"lib/net10.0/{lib}.xml", n.Files); // XML docs
            Assert.Contains("README.md", n.Files);
        }
        Assert.Contains("buildTransitive/Genre.Models.targets", Nuspec(feed, "Genre.Models").Files);
        Assert.Contains("buildTransitive/WeakenElfVersionNeed.cs", Nuspec(feed, "Genre.Models").Files);

        var app = Path.Combine(root, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Genre.Eval" Version="{versions[0]}" />
              </ItemGroup>
            </Project>
            """);
        // Genre's packages come from the feed into a fresh packages folder (never a stale copy of the same version);
        // everything else from the user's packages folder, else the machine's configured registry.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(root, "packages")}" /></config>
              <packageSources><add key="genre-feed" value="{feed}" /></packageSources>
              <fallbackPackageFolders><add key="user-packages" value="{UserPackages}" /></fallbackPackageFolders>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), string.Join("\n", ExamplesTests.ReadmeExample()) + "\n");
        var build = Dotnet(app, "build", "-nologo", "-o", Path.Combine(app, "out-bin"));
        Assert.True(build.ExitCode == 0, build.Stdout + build.Stderr);
        Assert.True(Directory.Exists(Path.Combine(root, "packages", "genre.models")), "Genre.Models was not restored from the feed");

        // The buildTransitive step patched the consumer's copy of TorchSharp's native library (not the packages folder's).
        var native = Path.Combine("runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var original = Path.Combine(UserPackages, "torchsharp", "0.107.0", native);
        if (File.Exists(original))
            Assert.NotEqual(File.ReadAllBytes(original), File.ReadAllBytes(Path.Combine(app, "out-bin", native)));

        // Issue 24: a user's xunit project (examples/property-suite) property-tests its own stage and mapping with Genre.Testing
        var suite = Path.Combine(root, "property-suite");
        Directory.CreateDirectory(suite);
        foreach (var f in Directory.GetFiles(Path.Combine(GenreCli.RepoRoot, "examples", "property-suite")))
            File.Copy(f, Path.Combine(suite, Path.GetFileName(f)));
        File.Copy(Path.Combine(app, "nuget.config"), Path.Combine(suite, "nuget.config"));
        Assert.Contains($"Include=\"Genre.Testing\" Version=\"{versions[0]}\"",
            File.ReadAllText(Path.Combine(suite, "PropertySuite.csproj")));
        // the README's "Property-testing your pipeline" snippet is part of what this build compiles
        var readme = File.ReadAllText(Path.Combine(GenreCli.RepoRoot, "README.md"));
        var snippet = System.Text.RegularExpressions.Regex.Match(readme, "### Property-testing your pipeline.*?```csharp\n(.*?)```",
            System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value.Trim();
        Assert.False(string.IsNullOrEmpty(snippet), "README.md: no csharp block under 'Property-testing your pipeline'");
        var source = File.ReadAllText(Path.Combine(suite, "MyPipelineProperties.cs"));
        Assert.Contains(string.Join("\n", snippet.Split('\n').Select(l => "    " + l)), source);
        var tested = Dotnet(suite, "test", "-nologo");
        Assert.True(tested.ExitCode == 0, tested.Stdout + tested.Stderr);
        Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+2,", tested.Stdout);

        var synth = GenreCli.Run("synth", "--out", Path.Combine(root, "small.csv"), "--rows-per-genre", "20");
        Assert.True(synth.ExitCode == 0, synth.Stderr);
        var run = Dotnet(root, Path.Combine(app, "out-bin", "Consumer.dll"), Path.Combine(root, "small.csv"));
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Matches(@"^DNN1: test accuracy 0\.\d{4} on 454 rows; saved in out/dnn1\n$", run.Stdout);
        Assert.True(File.Exists(Path.Combine(root, "out", "dnn1", "weights.safetensors")));
        // passed: the consumer's build (libtorch included, about 700 MB) goes; a failing run keeps it for a look
        Directory.Delete(root, recursive: true);
    }

    sealed record PackageInfo(string Version, string License, string Readme, string Description, string[] Files);

    static PackageInfo Nuspec(string feed, string id)
    {
        var nupkg = Directory.GetFiles(feed, id + ".*.nupkg").Single(f => char.IsDigit(Path.GetFileName(f)[id.Length + 1]));
        using var zip = ZipFile.OpenRead(nupkg);
        using var s = zip.GetEntry(id + ".nuspec")!.Open();
        var x = XDocument.Load(s);
        string Get(string name) => x.Descendants().First(e => e.Name.LocalName == name).Value;
        return new(Get("version"), Get("license"), Get("readme"), Get("description"), zip.Entries.Select(e => e.FullName).ToArray());
    }
}
