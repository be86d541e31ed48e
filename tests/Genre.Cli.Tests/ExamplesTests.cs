using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Genre.Cli.Tests;

/// <summary>
/// Issue 14: the README's library example is examples/report-pipeline.cs, and every program in examples/ runs (as a .NET 10
/// file-based app, `dotnet run examples/NAME.cs`) on a small synthetic file in the Kaggle format.
/// </summary>
public class ExamplesTests : IClassFixture<ExamplesTests.SmallFile>
{
    /// <summary>A 2,280-row synthetic file (20 rows per genre), written once for the class by `genre synth`.</summary>
    public sealed class SmallFile
    {
        public string Dir { get; } = GenreCli.TempDir("examples");
        public string Csv => Path.Combine(Dir, "small.csv");

        public SmallFile()
        {
            var r = GenreCli.Run("synth", "--out", Csv, "--rows-per-genre", "20");
            if (r.ExitCode != 0) throw new InvalidOperationException(r.Stderr);
        }
    }

    readonly SmallFile file;
    public ExamplesTests(SmallFile file) => this.file = file;

    static string Example(string name) => Path.Combine(GenreCli.RepoRoot, "examples", name + ".cs");

    /// <summary>Each example's build, once per test run: its output (warnings included) is not the program's.</summary>
    static readonly ConcurrentDictionary<string, Lazy<GenreCli.Result>> Builds = new();

    /// <summary>Builds the example (once), then runs it without building.</summary>
    static GenreCli.Result RunExample(string workingDirectory, string name, params string[] args)
    {
        var build = Builds.GetOrAdd(name, n => new Lazy<GenreCli.Result>(() =>
            Dotnet(GenreCli.RepoRoot, "build", Example(n), "-c", TestAssembly.Configuration, "-nologo"))).Value;
        Assert.True(build.ExitCode == 0, build.Stdout + build.Stderr);
        return Dotnet(workingDirectory,
            new[] { "run", "--no-build", "-c", TestAssembly.Configuration, "--file", Example(name), "--" }.Concat(args).ToArray());
    }

    static GenreCli.Result Dotnet(string workingDirectory, params string[] args) =>
        GenreCli.Process("dotnet", workingDirectory, null, args);

    /// <summary>The README's first ```csharp block, line by line.</summary>
    internal static string[] ReadmeExample()
    {
        var readme = File.ReadAllText(Path.Combine(GenreCli.RepoRoot, "README.md"));
        var m = Regex.Match(readme, "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(m.Success, "README.md has no ```csharp block");
        return m.Groups[1].Value.TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void The_readme_example_is_examples_report_pipeline_and_at_most_15_lines()
    {
        var readme = ReadmeExample();
        Assert.InRange(readme.Length, 1, 15);
        var program = File.ReadAllLines(Example("report-pipeline")).Where(l => !l.StartsWith("#:")).ToArray();
        Assert.Equal(program, readme);
    }

    [Fact]
    public void The_package_readme_carries_the_same_example()
    {
        var package = File.ReadAllText(Path.Combine(GenreCli.RepoRoot, "packaging", "README.md"));
        var m = Regex.Match(package, "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.True(m.Success, "packaging/README.md has no ```csharp block");
        Assert.Equal(ReadmeExample(), m.Groups[1].Value.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Report_pipeline_trains_evaluates_and_saves()
    {
        var cwd = GenreCli.TempDir("example-a");
        var r = RunExample(cwd, "report-pipeline", file.Csv);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Matches(@"^DNN1: test accuracy 0\.\d{4} on 454 rows; saved in out/dnn1\n$", r.Stdout);
        foreach (var f in new[] { "model.json", "weights.safetensors", "preprocessing.json" })
            Assert.True(File.Exists(Path.Combine(cwd, "out", "dnn1", f)), f);
    }

    [Fact]
    public void Report_pipeline_names_a_missing_file_in_one_line_and_exits_1()
    {
        var cwd = GenreCli.TempDir("example-a");
        var r = RunExample(cwd, "report-pipeline", "no-such.csv");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: no-such.csv: file not found\n", r.Stderr);
    }

    [Fact]
    public void Genre_mapping_scores_exactly_and_merge_aware()
    {
        var r = RunExample(GenreCli.TempDir("example-b"), "genre-mapping", file.Csv);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        var m = Regex.Match(r.Stdout, @"^test accuracy (0\.\d{4}); with rock's sub-genres merged \(107 genres\): (0\.\d{4})\n$");
        Assert.True(m.Success, r.Stdout);
        Assert.True(double.Parse(m.Groups[2].Value) >= double.Parse(m.Groups[1].Value), r.Stdout); // merging can only forgive
    }

    [Fact]
    public void Sequential_with_checkpoints_saves_loads_and_predicts()
    {
        var cwd = GenreCli.TempDir("example-d");
        var r = RunExample(cwd, "sequential-checkpoints", file.Csv, "model");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Equal(4, Regex.Matches(r.Stdout, @"^epoch \d: loss \d\.\d{4}, val_accuracy 0\.\d{4}$", RegexOptions.Multiline).Count);
        Assert.Equal(5, Regex.Matches(r.Stdout, @"^row \d+: [a-z-]+ 0\.\d{3}, [a-z-]+ 0\.\d{3}, [a-z-]+ 0\.\d{3}$", RegexOptions.Multiline)
            .Count);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(cwd, "model", "checkpoints")));
        Assert.True(File.Exists(Path.Combine(cwd, "model", "model.json")));
    }

    /// <summary>Issue 23: a pipeline composed in code (log1p, drop, one-hot, min-max) trains and saves a folder `genre predict`
    /// reads; a user's stage reads back once registered, and the CLI, which does not know it, refuses the folder naming it.</summary>
    [Fact]
    public void Custom_pipeline_composes_stages_and_predict_reads_its_folder()
    {
        var cwd = GenreCli.TempDir("example-e");
        var r = RunExample(cwd, "custom-pipeline", file.Csv, "out");
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains("pipeline: select → drop → label-encode → column-transformer\n", r.Stdout);
        Assert.Matches(@"custom: test accuracy 0\.\d{4} on 454 rows\n", r.Stdout);
        Assert.Equal(3, Regex.Matches(r.Stdout, @"^row \d+: [a-z-]+ 0\.\d{3}, [a-z-]+ 0\.\d{3}$", RegexOptions.Multiline).Count);
        var predicted = Path.Combine(cwd, "p.csv");
        var ok = GenreCli.Run(cwd, (IDictionary<string, string?>?)null, "predict", "--model-dir", Path.Combine(cwd, "out", "custom"),
            "--data", file.Csv, "--out", predicted);
        Assert.True(ok.ExitCode == 0, ok.Stdout + ok.Stderr);
        Assert.Equal(File.ReadAllLines(file.Csv).Length, File.ReadAllLines(predicted).Length); // header + a line per track
        var own = GenreCli.Run(cwd, (IDictionary<string, string?>?)null, "predict", "--model-dir",
            Path.Combine(cwd, "out", "with-own-stage"), "--data", file.Csv,
            "--out", Path.Combine(cwd, "p2.csv"));
        Assert.Equal(5, own.ExitCode);
        Assert.Contains("unknown stage kind 'example-squash'", own.Stderr);
        Assert.Single(own.Stderr.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(Path.Combine(cwd, "p2.csv")));
    }

    /// <summary>On the committed fixture (tests/golden/savedmodel/make_fixture.py): runs in any clone.</summary>
    [Fact]
    public void Import_savedmodel_scores_the_committed_fixture()
    {
        var model = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "savedmodel", "tinyRNNnet");
        var r = RunExample(GenreCli.TempDir("example-c"), "import-savedmodel", model, file.Csv);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Matches(@"^tinyRNNnet: 3 layers, test accuracy 0\.\d{4}, loss \d+\.\d{4} on 454 rows\n$", r.Stdout);
    }

    [AuthorsModelsFact]
    public void Import_savedmodel_scores_a_tf2_savedmodel()
    {
        var model = Path.Combine(GenreCli.SharedReference, "authors-models", "DNN1net");
        var r = RunExample(GenreCli.TempDir("example-c"), "import-savedmodel", model, file.Csv);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Matches(@"^DNN1net: 5 layers, test accuracy 0\.\d{4}, loss \d+\.\d{4} on 454 rows\n$", r.Stdout);
    }
}
