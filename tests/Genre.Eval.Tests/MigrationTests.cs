using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Genre.Data.Stages;
using Genre.Models;

namespace Genre.Eval.Tests;

/// <summary>
/// Issue 25: <c>genre migrate</c> (<see cref="Migration"/>) rewrites what earlier genres wrote — experiment markers, weights.bin,
/// GENRET1 checkpoints, preprocessing formats 1 and 2, gbdt.json without a seed — so the readers, which refuse those files, read
/// them again as they were; a second run changes nothing; a damaged or underivable file is refused, naming it, and nothing is
/// written. The committed results/ are migrated, and each finished experiment there counts as finished with its profile.
/// </summary>
public class MigrationTests
{
    static string Golden(params string[] parts) => Path.Combine([Inputs.RepoRoot, "tests", "golden", "legacy", .. parts]);

    /// <summary>A copy of the golden <paramref name="folder"/> at <c>TEMP/…/<paramref name="under"/>/NAME</c>.</summary>
    static string Copy(string folder, params string[] under)
    {
        var target = Path.Combine([GenreCli.TempDir("migrate"), .. under, Path.GetFileName(folder)]);
        return Folders.CopyTree(folder, target);
    }

    /// <summary>Every file's name and bytes, to show a refused migration wrote nothing.</summary>
    static string[] Contents(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(dir, f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}")
            .ToArray();

    static LanguageExt.Common.Error Error<A>(Fin<A> r) => r.Match(_ => throw new Xunit.Sdk.XunitException("expected a failure"), e => e);

    static (string Path, string What)[] Changes(Fin<Seq<MigrationChange>> run, string dir) =>
        Ok(run).Map(c => (Path.GetRelativePath(dir, c.Path), c.What)).ToArray();

    [Fact]
    public void An_experiment_folder_finished_before_checksums_is_refused_then_migrated_and_counts_with_the_same_settings()
    {
        var dir = Copy(Golden("experiment", "softmax"), "reproduce-fast");
        var softmax = Experiments.OfReport.Head;
        var settings = Profiles.Fast().SettingsFor(softmax); // 60 epochs of batch 256, seed 2: what the marker records
        var marker = Path.Combine(dir, ExperimentFolder.MarkerFile);
        Assert.Equal($"{marker} has no checksum (written by an earlier genre): run genre migrate {dir}",
            Error(ExperimentFolder.Finished(dir, softmax, settings)).Message);

        Assert.Equal([
            ("weights.safetensors", "written from weights.bin (the same tensors, with their sha256 and the spec)"),
            ("settings.json", "the experiment (softmax, from the folder's name), the checksums of its files and its own checksum added"),
            ("weights.bin", "removed: weights.safetensors holds the weights"),
        ], Changes(Migration.Run(dir), dir));
        var done = Ok(ExperimentFolder.Finished(dir, softmax, settings));
        Assert.Equal(60, done.Map(d => d.History.Epochs.Count).IfNone(0));
        Assert.True(Ok(ExperimentFolder.Finished(dir, softmax, settings with { Epochs = 61 })).IsNone, "other settings: not finished");
        Assert.Empty(Ok(Migration.Run(dir)));
    }

    [Fact]
    public void A_train_folder_written_before_checksums_is_migrated_to_the_same_weights_and_checkpoints_that_verify()
    {
        var dir = Copy(Golden("softmax-tiny"));
        var bin = File.ReadAllBytes(Path.Combine(dir, "weights.bin"));
        Assert.StartsWith($"{Path.Combine(dir, "weights.bin")} holds the weights in place of weights.safetensors",
            Fail(ModelFolder.Load(dir)));

        Assert.Equal([
            (Path.Combine("checkpoints", "epoch-00001.ckpt"), "GENRET1 → GENRET2 (checksums)"),
            (Path.Combine("checkpoints", "epoch-00002.ckpt"), "GENRET1 → GENRET2 (checksums)"),
            ("weights.safetensors", "written from weights.bin (the same tensors, with their sha256 and the spec)"),
            ("weights.bin", "removed: weights.safetensors holds the weights"),
        ], Changes(Migration.Run(dir), dir).OrderBy(c => c.Path.Contains("checkpoints") ? 0 : 1).ToArray());
        // the floats after GENRET1's header, in Keras order, are the migrated weights
        var header = BitConverter.ToInt32(bin, 8);
        var floats = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bin.AsSpan(12 + header)).ToArray();
        var stored = Ok(ModelFolder.Load(dir));
        Assert.Equal(floats, ModelStore.Flatten(stored.Weights).Bind(t => toSeq(t.Values)).ToArray());
        foreach (var ckpt in Directory.GetFiles(Path.Combine(dir, "checkpoints")))
            Assert.Equal("""{"batch_size":128,"seed":2,"shuffle":true,"learning_rate":0.001,"beta_1":0.9,"beta_2":0.999,"epsilon":1E-07}""",
                Ok(TensorFile.Read(ckpt)).Meta["training"]!.ToJsonString());
        Assert.Empty(Ok(Migration.Run(dir)));
    }

    [Theory]
    [InlineData("preprocessing-1", "report", 15)]
    [InlineData("preprocessing-2", "tabular", 33)]
    public void A_preprocessing_file_of_an_earlier_format_becomes_the_pipeline_it_was(string folder, string pipeline, int width)
    {
        var dir = Copy(Golden(folder));
        var path = Path.Combine(dir, Preprocessing.FileName);
        var old = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var format = old["format"]!.GetValue<string>();
        Assert.Equal([(Preprocessing.FileName, $"format {format} → genre-preprocessing/3, with its checksum")],
            Changes(Migration.Run(dir), dir));
        var p = (Preprocessing)Ok(Preprocessing.LoadIfPresent(dir));
        Assert.Equal(Pipelines.ByName[pipeline], p.Pipeline.Stage);
        Assert.Equal(width, p.InputWidth);
        var minmax = p.Pipeline.Find<MinMax.Fitted>().IfNone(() => throw new Xunit.Sdk.XunitException("no min-max"));
        Assert.Equal((double)old["scaler"]!["scale"]![0]!, minmax.Scaler.Scale[0]); // popularity, the first column of both
        Assert.Equal(old["genres"]!.AsArray().Select(g => g!.GetValue<string>()), p.Genres.Classes);
        Assert.Empty(Ok(Migration.Run(dir)));
    }

    [Fact]
    public void A_damaged_earlier_file_is_refused_naming_it_and_nothing_is_written()
    {
        var dir = Copy(Golden("softmax-tiny"));
        var path = Path.Combine(dir, "weights.bin");
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes(float.NaN).CopyTo(bytes, bytes.Length - 4); // the last bias value
        File.WriteAllBytes(path, bytes);
        var before = Contents(dir);
        var e = Error(Migration.Run(dir));
        Assert.Equal($"{path}: layer 0 bias holds a value that is not a finite number — the file is damaged", e.Message);
        Assert.Equal(GenreError.ModelCode, e.Code);
        Assert.Equal(before, Contents(dir)); // the checkpoints, fine on their own, were not rewritten either
    }

    [Fact]
    public void A_file_the_old_marker_vouched_for_that_changed_is_refused_naming_it()
    {
        var dir = Copy(Path.Combine(Inputs.RepoRoot, "results", "kaggle", "fast", "softmax"), "fast");
        var marker = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "settings.json")))!.AsObject();
        marker.Remove("experiment"); // a marker of the version before experiments were stored, as results/ had
        marker.Remove("crc32c");
        Ok(ChecksummedJson.Write(Path.Combine(dir, "settings.json"), marker));
        File.AppendAllText(Path.Combine(dir, "history.json"), " ");
        var before = Contents(dir);
        Assert.StartsWith($"{Path.Combine(dir, "history.json")}: checksum mismatch (settings.json records crc32c ",
            Fail(Migration.Run(dir)));
        Assert.Equal(before, Contents(dir));
    }

    [Fact]
    public void A_marker_whose_folder_names_no_experiment_is_refused_saying_what_is_missing()
    {
        var dir = Path.Combine(GenreCli.TempDir("migrate"), "my-net");
        Folders.CopyTree(Golden("experiment", "softmax"), dir);
        Assert.Equal($"{Path.Combine(dir, "settings.json")} has no experiment, and its folder's name 'my-net' is not one of genre's " +
                     "experiments: genre migrate cannot tell which it trained", Fail(Migration.Run(dir)));
    }

    [Fact]
    public void A_gbdt_file_without_its_seed_takes_its_seed_folders_or_the_one_given_else_is_refused()
    {
        var root = GenreCli.TempDir("migrate");
        JsonObject Settings() =>
            new() { ["learning_rate"] = 0.05, ["leaves"] = 15, ["min_leaf"] = 50, ["max_rounds"] = 400, ["early_stop"] = 10 };
        var trials = new JsonObject
        {
            ["chosen"] = Settings(),
            ["seconds"] = 1.5,
            ["test_accuracy"] = 0.3,
            ["trials"] = new JsonArray(new JsonObject { ["settings"] = Settings(), ["val_accuracy"] = 0.31, ["seconds"] = 1.5 }),
        }.ToJsonString(); // as gbdt wrote it before the seed and the checksum
        var inSeed = Path.Combine(root, "seed-3", "gbdt");
        var alone = Path.Combine(root, "beyond", "gbdt");
        foreach (var d in new[] { inSeed, alone })
        {
            Directory.CreateDirectory(d);
            File.WriteAllText(Path.Combine(d, Gbdt.TrialsFile), trials);
        }
        var file = Path.Combine(alone, Gbdt.TrialsFile);
        Assert.Equal($"{file} has no seed, and no seed-S folder above it names one: run genre migrate {alone} --seed S with the seed " +
                     "of the run that wrote it", Fail(Migration.Run(root)));
        Assert.Equal(trials, File.ReadAllText(Path.Combine(inSeed, Gbdt.TrialsFile))); // refused whole: the other not written either
        Assert.Equal([
            (Path.Combine("beyond", "gbdt", Gbdt.TrialsFile), "seed 7 (from --seed) and its checksum added"),
            (Path.Combine("seed-3", "gbdt", Gbdt.TrialsFile), "seed 3 (from the folder seed-3) and its checksum added"),
        ], Changes(Migration.Run(root, seed: 7), root));
        var candidates = Seq1(new GbdtSettings(0.05, 15, 50, 400, 10));
        Assert.True(Ok(Gbdt.Finished(inSeed, candidates, 3)).IsNone); // no model.zip: not finished, but read
        var text = File.ReadAllText(Path.Combine(inSeed, Gbdt.TrialsFile));
        Assert.Equal(3, Ok(ChecksummedJson.Parse(text, "gbdt.json"))["seed"]!.GetValue<int>());
        Assert.Empty(Ok(Migration.Run(root)));
    }

    [Fact]
    public void A_checkpoint_without_training_settings_takes_those_of_the_marker_beside_its_folder_else_is_refused()
    {
        var dir = Copy(Golden("experiment", "softmax"), "reproduce-fast");
        var ckpt = Path.Combine(dir, "checkpoints", "epoch-00001.ckpt");
        Directory.CreateDirectory(Path.GetDirectoryName(ckpt)!);
        var meta = new JsonObject { ["epoch"] = 1, ["adam_step"] = 3 };
        var tensors = Seq1(new NamedTensor("p/0", Seq1(2), [1f, 2f]));
        Ok(TensorFile.Write(ckpt, meta, tensors));
        var changes = Changes(Migration.Run(dir), dir);
        Assert.Contains((Path.Combine("checkpoints", "epoch-00001.ckpt"), "the training settings (from settings.json) added"), changes);
        var training = Ok(TensorFile.Read(ckpt)).Meta["training"]!;
        Assert.Equal(256, training["batch_size"]!.GetValue<int>());
        Assert.Equal(2, training["seed"]!.GetValue<int>());

        var lone = Path.Combine(GenreCli.TempDir("migrate"), "checkpoints");
        Directory.CreateDirectory(lone);
        var path = Path.Combine(lone, "epoch-00001.ckpt");
        Ok(TensorFile.Write(path, meta, tensors));
        Assert.Equal($"{path} has no training settings, and no settings.json beside its folder records them: genre migrate cannot " +
                     "derive them (delete the checkpoint to train from the start)", Fail(Migration.Run(lone)));
    }

    /// <summary>"GENRET1\n", int32 length, header, tensors: the layout before checksums, read only by migrate.</summary>
    static byte[] Genret1(string header, params float[] values)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var data = values.SelectMany(BitConverter.GetBytes);
        return "GENRET1\n"u8.ToArray().Concat(BitConverter.GetBytes(json.Length)).Concat(json).Concat(data).ToArray();
    }

    [Fact]
    public void An_earlier_tensor_file_is_read_by_its_structure()
    {
        var read = Ok(EarlierTensors.Read(Genret1("""{"meta":{"k":1},"tensors":[{"name":"x","shape":[2]}]}""", 1.5f, -2), "t.bin"));
        Assert.Equal([1.5f, -2], read.Tensors.Single().Values);
        Assert.Equal(1, read.Meta["k"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("[100000, 100000]", "truncated: tensor 'x' (100000, 100000) needs more bytes than the file's 8 after offset")]
    [InlineData("[2147483647, 2147483647, 2147483647]", "truncated: tensor 'x' (2147483647, 2147483647, 2147483647) needs more bytes")]
    [InlineData("[3]", "truncated: tensor 'x' (3) needs more bytes")]
    [InlineData("[1]", "4 unexpected bytes after the last tensor")]
    [InlineData("[-2]", "tensor 'x': the shape is not a list of sizes ≥ 0")]
    [InlineData("[1e3]", "tensor 'x': the shape is not a list of sizes ≥ 0")]
    [InlineData("\"2\"", "tensor 'x': the shape is not a list of sizes ≥ 0")]
    public void An_earlier_header_claiming_a_huge_or_odd_shape_is_refused_before_allocating(string shape, string message)
    {
        var e = Fail(EarlierTensors.Read(Genret1($$"""{"meta":{},"tensors":[{"name":"x","shape":{{shape}}}]}""", 1, 2), "t.bin"));
        Assert.StartsWith("t.bin: " + message, e);
        Assert.DoesNotContain("\n", e);
    }

    [Theory]
    [InlineData("""{"meta":{},"tensors":[{"name":"x","shape":[1]},{"name":"x","shape":[1]}]}""", "tensor 'x' appears twice")]
    [InlineData("""{"meta":{},"tensors":[{"shape":[1]}]}""", "tensor 0 of the header has no name")]
    [InlineData("""{"tensors":[]}""", "the header has no meta object")]
    [InlineData("""{"meta":{}}""", "the header has no tensor list")]
    [InlineData("""{"meta":{},"meta":{},"tensors":[]}""", "header: not valid JSON")]
    [InlineData("""{"meta":{},"tensors":[""", "header: not valid JSON (line 1, byte")]
    [InlineData("""null""", "header: holds JSON null")]
    public void An_earlier_header_that_is_not_the_expected_JSON_is_a_one_line_error(string header, string message)
    {
        Assert.StartsWith("t.bin: " + message, Fail(EarlierTensors.Read(Genret1(header, 1, 2), "t.bin")));
    }

    static IEnumerable<string> Markers(string dir) => Directory.GetFiles(dir, ExperimentFolder.MarkerFile, SearchOption.AllDirectories);

    /// <summary>results/ was migrated (<c>genre migrate results --seed 2</c>): a copy of it has nothing left to migrate.</summary>
    [Fact]
    public void The_committed_results_are_in_the_current_formats()
    {
        var copy = Folders.CopyTree(Path.Combine(Inputs.RepoRoot, "results"), Path.Combine(GenreCli.TempDir("migrate"), "results"));
        Assert.Empty(Ok(Migration.Run(copy)).Map(c => c.Path));
    }

    /// <summary>
    /// Each experiment folder committed with its weights counts as finished with the settings its profile gives it (so reproduce
    /// re-scores it, never trains it again), on the split and labels its folder says: the migrated markers hold exactly the
    /// experiments genre declares.
    /// </summary>
    [Fact]
    public void Every_committed_experiment_folder_counts_as_finished_with_its_profiles_settings()
    {
        var results = Path.Combine(Inputs.RepoRoot, "results");
        var checkedFolders = 0;
        foreach (var marker in Markers(results).Where(m => File.Exists(Path.Combine(Path.GetDirectoryName(m)!, ModelFolder.WeightsFile))))
        {
            var dir = Path.GetDirectoryName(marker)!;
            var relative = Path.GetRelativePath(results, dir).Split(Path.DirectorySeparatorChar);
            var seed = relative.Choose(SeedFolder.SeedOf).HeadOrNone().IfNone(2);
            var profile = relative.Contains("paper") ? Profiles.Paper(seed) : Profiles.Fast(seed);
            var name = relative.Last().StartsWith("member-") ? relative[^2] : relative.Last();
            var declared = (Experiments.OfReport + Experiments.Beyond).Find(e => e.Name == name)
                .IfNone(() => throw new Xunit.Sdk.XunitException(dir));
            var split = relative.Contains("track-aware") ? DataSplit.TrackAware : DataSplit.Report;
            var settings = profile.SettingsFor(declared with { Split = split });
            var (e, s) = relative.Last().StartsWith("member-") && int.Parse(relative.Last()["member-".Length..]) is var k
                ? (Ensembles.Member(declared with { Split = split }, k), Ensembles.MemberSettings(settings, k))
                : (declared with { Split = split }, settings);
            Assert.True(Ok(ExperimentFolder.Finished(dir, e, s)).IsSome, $"{dir}: not finished with {s}");
            checkedFolders++;
        }
        Assert.True(checkedFolders >= 40, $"{checkedFolders} experiment folders");
    }
}
