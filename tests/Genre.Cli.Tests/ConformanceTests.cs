using System.Globalization;
using System.Text.Json;

namespace Genre.Cli.Tests;

/// <summary>
/// Issue 4's acceptance by conformance: `genre evaluate` on the authors' SavedModels agrees with an independent numpy
/// Keras forward pass (tests/golden/models/make_predictions.py) on every test row.
/// </summary>
public class ConformanceTests
{
    public static TheoryData<string> Models => new() { "RNN1net", "RNN2net", "DNN1net", "DNN2net", "reducedRNNnet" };

    [SharedTheory, MemberData(nameof(Models))]
    public void Evaluate_matches_the_numpy_reference_on_every_row(string model)
    {
        var dir = Path.Combine(GenreCli.SharedReference, "authors-models", model);
        var golden = Path.Combine(GenreCli.RepoRoot, "tests", "golden", "models");
        var output = Path.Combine(Path.GetTempPath(), $"genre-pred-{Guid.NewGuid():N}.csv");
        var args = new List<string> { "evaluate", "--saved-model", dir, "--data", Path.Combine(GenreCli.RepoRoot, "tests", "golden", "data", "synthetic-small.csv"), "--json", "--predictions", output };
        if (model.StartsWith("reduced")) args.Add("--reduced");
        var r = GenreCli.Run(args.ToArray());
        Assert.True(r.ExitCode == 0, r.Stderr);
        var ours = File.ReadAllLines(output).Skip(1).Select(l => l.Split(',')).ToArray();
        var expected = File.ReadAllLines(Path.Combine(golden, model + ".predictions.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(expected.Length, ours.Length);
        for (var i = 0; i < ours.Length; i++)
        {
            Assert.Equal(expected[i][0], ours[i][0]);
            Assert.Equal(expected[i][1], ours[i][1]);
            Assert.True(Math.Abs(double.Parse(expected[i][2], CultureInfo.InvariantCulture) - double.Parse(ours[i][2], CultureInfo.InvariantCulture)) <= 1e-5);
        }
        using var mine = JsonDocument.Parse(r.Stdout);
        using var theirs = JsonDocument.Parse(File.ReadAllText(Path.Combine(golden, model + ".metrics.json")));
        Assert.Equal(theirs.RootElement.GetProperty("test_accuracy").GetDouble(), mine.RootElement.GetProperty("test_accuracy").GetDouble(), 1e-6);
        Assert.Equal(theirs.RootElement.GetProperty("test_loss").GetDouble(), mine.RootElement.GetProperty("test_loss").GetDouble(), 1e-6);
        Assert.Equal(theirs.RootElement.GetProperty("n").GetInt32(), mine.RootElement.GetProperty("n").GetInt32());
    }

    [RealDataTheory]
    [InlineData("RNN1net", false, 0.30048435)]
    [InlineData("RNN2net", false, 0.25834435)]
    [InlineData("DNN1net", false, 0.3172611)]
    [InlineData("DNN2net", false, 0.32245707)]
    [InlineData("reducedRNNnet", true, 0.4078820)]
    public void On_the_real_file_the_authors_models_score_the_reports_accuracies(string model, bool reduced, double reported)
    {
        var data = Environment.GetEnvironmentVariable("GENRE_DATA");
        var args = new List<string> { "evaluate", "--saved-model", Path.Combine(GenreCli.SharedReference, "authors-models", model), "--data", data!, "--json" };
        if (reduced) args.Add("--reduced");
        var r = GenreCli.Run(args.ToArray());
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var json = JsonDocument.Parse(r.Stdout);
        Assert.Equal(reported, json.RootElement.GetProperty("test_accuracy").GetDouble(), 7);
    }
}

/// <summary>Needs ../shared/reference/authors-models beside the repository; skipped by name otherwise.</summary>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute()
    {
        if (!Directory.Exists(Path.Combine(GenreCli.SharedReference, "authors-models"))) Skip = "needs ../shared/reference/authors-models";
    }
}

/// <summary>Needs the real Kaggle file in $GENRE_DATA; skipped by name otherwise.</summary>
public sealed class RealDataTheoryAttribute : TheoryAttribute
{
    public RealDataTheoryAttribute()
    {
        var data = Environment.GetEnvironmentVariable("GENRE_DATA");
        if (string.IsNullOrEmpty(data) || !File.Exists(data)) Skip = "needs the real Kaggle dataset.csv: set GENRE_DATA to its path";
    }
}
