using System.Text.Json.Nodes;
using Genre.Models;
using Genre.Models.Backend.Torch;

namespace Genre.Eval.Tests;

/// <summary>
/// Issue 18: a finished experiment's marker vouches (by crc32c) for its files; damage is an error naming the file, never a
/// silent retraining; each experiment folder has one writer at a time. (Folders finished before checksums: MigrationTests.)
/// </summary>
public class ExperimentFolderTests
{
    static readonly Profile Tiny = SmallRuns.Tiny;
    static readonly TorchBackend Backend = new();
    static readonly Seq<Experiment> Dnn2 = Experiments.OfReport.Filter(e => e.Name is "dnn2");
    static readonly Seq<Experiment> Softmax = Experiments.OfReport.Filter(e => e.Name is "softmax");

    static string RepoRoot => Path.GetFullPath(typeof(ExperimentFolderTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepoRoot").Value!);

    /// <summary>A fresh output folder beside a small synthetic file (5 rows per genre, seed 6).</summary>
    static (string OutDir, DataSource Source) Fresh()
    {
        var (dir, source) = SmallRuns.SyntheticSource("eval-folder");
        return (Path.Combine(dir, "reproduce-fast"), source);
    }

    static Fin<ReproduceResult> Run(DataSource source, Seq<Experiment> experiments, string outDir) =>
        Reproduce.Run(Backend, source, Tiny, experiments, outDir, None);

    static ReproduceResult Ok(Fin<ReproduceResult> r) => r.Match(x => x, e => throw new Xunit.Sdk.XunitException(e.Message));

    static LanguageExt.Common.Error Fails<A>(Fin<A> r) => r.Match(_ => throw new Xunit.Sdk.XunitException("expected a failure"), e => e);

    [Fact]
    public void The_marker_records_a_checksum_for_itself_and_each_file()
    {
        var (outDir, source) = Fresh();
        Ok(Run(source, Dnn2, outDir));
        var settings = Path.Combine(outDir, "dnn2", "settings.json");
        var marker = JsonNode.Parse(File.ReadAllText(settings))!;
        Assert.Matches("^[0-9a-f]{8}$", marker["crc32c"]!.GetValue<string>());
        Assert.Equal(ExperimentFolder.Files.Add(ModelFolder.WeightsFile).Add("preprocessing.json").Order(),
            ExperimentFolder.FilesIn(Path.Combine(outDir, "dnn2")).Order());
        foreach (var f in ExperimentFolder.FilesIn(Path.Combine(outDir, "dnn2")))
            Assert.Equal(Crc32c.Hex(Crc32c.Compute(File.ReadAllBytes(Path.Combine(outDir, "dnn2", f)))),
                marker["files"]![f]!.GetValue<string>());
        Assert.Equal(marker["crc32c"]!.GetValue<string>(), Crc32c.Hex(Crc32c.Compute(System.Text.Encoding.UTF8.GetBytes(
            File.ReadAllText(settings).Replace($",\"crc32c\":\"{marker["crc32c"]}\"", "")))));
    }

    [Theory]
    [InlineData("history.json")]
    [InlineData("metrics.json")]
    [InlineData("weights.safetensors")]
    [InlineData("preprocessing.json")]
    [InlineData("model.json")]
    [InlineData("settings.json")]
    public void A_damaged_file_of_a_finished_experiment_is_an_error_naming_it_not_a_retraining(string file)
    {
        var (outDir, source) = Fresh();
        Ok(Run(source, Dnn2, outDir));
        var path = Path.Combine(outDir, "dnn2", file);
        var bytes = File.ReadAllBytes(path);
        var name = System.Text.Encoding.ASCII.GetString(bytes).LastIndexOf("\"crc32c\"", StringComparison.Ordinal); // not its digits
        var at = System.Array.FindLastIndex(bytes, b => b is >= (byte)'1' and <= (byte)'8'); // one digit one higher: still well-formed
        if (name >= 0 && at >= name && at < name + 8) at = System.Array.FindLastIndex(
            bytes, name - 1, b => b is >= (byte)'1' and <= (byte)'8');
        bytes[at]++;
        File.WriteAllBytes(path, bytes);
        var before = Directory.GetFiles(Path.Combine(outDir, "dnn2")).Order().Select(File.ReadAllBytes).ToArray();

        var e = Fails(Run(source, Dnn2, outDir));
        Assert.Equal(GenreError.ModelCode, e.Code);
        Assert.StartsWith(path + ": checksum mismatch", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.Equal(before, Directory.GetFiles(Path.Combine(outDir, "dnn2")).Order().Select(File.ReadAllBytes).ToArray());
    }

    [Fact]
    public void A_missing_file_of_a_finished_experiment_is_an_error_naming_it()
    {
        var (outDir, source) = Fresh();
        Ok(Run(source, Dnn2, outDir));
        var history = Path.Combine(outDir, "dnn2", "history.json");
        File.Delete(history);
        Assert.Equal($"{history}: missing, though settings.json marks the experiment finished", Fails(Run(source, Dnn2, outDir)).Message);
    }

    /// <summary>Two reproduce processes may train different experiments of one output folder, never the same one.</summary>
    [Fact]
    public void An_experiment_folder_held_by_another_writer_is_refused_while_its_neighbours_train()
    {
        var (outDir, source) = Fresh();
        var held = Path.Combine(outDir, "dnn2");
        using (var other = FolderLock.Acquire(held).Match(l => l, e => throw new Xunit.Sdk.XunitException(e.Message)))
        {
            Assert.Equal(["softmax"], Ok(Run(source, Softmax, outDir)).Results.Map(r => r.Experiment.Name).ToArray());
            var e = Fails(Run(source, Dnn2, outDir));
            Assert.Equal(GenreError.IoCode, e.Code);
            Assert.StartsWith($"{held}: another genre process is writing this folder", e.Message);
            Assert.False(File.Exists(Path.Combine(held, "weights.bin")));
        }
        Assert.Equal(["softmax", "dnn2"], Ok(Run(source, Dnn2, outDir)).Results.Map(r => r.Experiment.Name).ToArray());
    }

    [Fact]
    public void Metrics_with_a_non_finite_number_are_written_as_null_not_refused()
    {
        var outcome = new TrainingOutcome(Zoo.Softmax(3), new History(Seq1(
            new EpochMetrics(1, 0.5, 0.25, double.NaN, double.PositiveInfinity, 1))),
            new Evaluation(double.NaN, 0.5, 10), 1, [], false);
        Assert.Contains("\"test_loss\":null", TrainingRun.MetricsJson(outcome).ToJsonString());
        Assert.Contains("\"val_loss\":null,\"val_accuracy\":null", TrainingRun.HistoryJson(outcome.History).ToJsonString());
    }
}
