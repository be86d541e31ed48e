using System.Text;
using System.Text.Json.Nodes;
using Genre.Data.Stages;
using Genre.Models;

namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// <c>genre migrate</c>'s readers of earlier files, each check and message on its own (Stryker over <c>Storage/</c> found the
/// golden folders exercising only the happy paths): a format 1 or 2 preprocessing.json damaged one member at a time, GENRET1
/// headers of every boundary length, weights.bin beside or without weights.safetensors, and each kind of file migrate rewrites,
/// with the change it reports in full.
/// </summary>
public class EvalStorageMutationTests
{
    static string Golden(params string[] parts) => Path.Combine([Inputs.RepoRoot, "tests", "golden", "legacy", .. parts]);

    static string Copy(string folder, params string[] under) =>
        Folders.CopyTree(folder, Path.Combine([GenreCli.TempDir("migrate"), .. under, Path.GetFileName(folder)]));

    static string CurrentSoftmax(string name = "softmax") =>
        Folders.CopyTree(Path.Combine(Inputs.RepoRoot, "results", "kaggle", "fast", "softmax"),
            Path.Combine(GenreCli.TempDir("migrate"), name));

    static (string Path, string What)[] Changes(Fin<Seq<MigrationChange>> run, string dir) =>
        Ok(run).Map(c => (Path.GetRelativePath(dir, c.Path), c.What)).ToArray();

    static JsonObject Read(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    // ------------------------------------------------------------------ preprocessing.json of formats 1 and 2

    static JsonObject Earlier(int format) => Read(Golden($"preprocessing-{format}", Preprocessing.FileName));

    static string Refused(JsonObject o) => Fail(EarlierPreprocessing.FromJson(o, "p.json"));

    [Fact]
    public void Migrating_a_folder_that_does_not_exist_is_an_io_error_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"), "nowhere");
        var error = Migration.Run(missing).Match(_ => throw new Exception("migrated a missing folder"), e => e);
        Assert.Equal($"{missing}: folder not found", error.Message);
        Assert.Equal(Genre.Data.GenreError.IoCode, error.Code);
    }

    [Fact]
    public void A_format_1_file_reads_with_the_ranges_of_every_feature_but_explicit()
    {
        var o = Earlier(1);
        o["encoding"] = null; // a null encoding is no encoding
        var p = Ok(EarlierPreprocessing.FromJson(o, "p.json"));
        var columns = Track.FeatureColumns.ToArray();
        var min = o["scaler"]!["data_min"]!.AsArray().Select(v => (double)v!).ToArray();
        var max = o["scaler"]!["data_max"]!.AsArray().Select(v => (double)v!).ToArray();
        var expected = columns.Select((c, i) => new FeatureRange(c, min[i], max[i])).Where(r => r.Column != "explicit").ToArray();
        Assert.Equal(14, expected.Length);
        Assert.Equal(expected, p.Ranges.ToArray());
    }

    [Fact]
    public void Each_damaged_member_of_a_format_1_file_is_its_own_one_line_error()
    {
        var o = Earlier(1);
        o["scaler"]!["data_max"]!.AsArray().RemoveAt(14);
        Assert.Equal("p.json: scaler.data_max is not a list of 15 numbers — the file is damaged", Refused(o));

        o = Earlier(1);
        o["scaler"]!["scale"] = "x";
        Assert.Equal("p.json: scaler: 'scale' is not a list of numbers — the file is damaged", Refused(o));

        o = Earlier(1);
        var features = Track.FeatureColumns.ToArray();
        var swapped = features.Skip(1).Prepend(features[0]).ToArray();
        (swapped[0], swapped[1]) = (swapped[1], swapped[0]);
        o["features"] = new JsonArray(swapped.Select(f => (JsonNode?)f).ToArray());
        Assert.Equal($"p.json: features must be the report's 15 in order ({string.Join(", ", features)}), " +
                     $"got {string.Join(", ", swapped)}", Refused(o));

        o = Earlier(1);
        o["scaler"]!["kind"] = "StandardScaler";
        Assert.Equal("p.json: scaler: only MinMaxScaler is supported", Refused(o));

        foreach (var classes in new[] { new JsonArray("False", "False"), [] })
        {
            o = Earlier(1);
            o["explicit_classes"] = classes;
            Assert.Equal("p.json: a class is listed twice — the file is damaged", Refused(o));
        }

        o = Earlier(1);
        o["encoding"] = new JsonObject();
        Assert.Equal("p.json: an encoding in a genre-preprocessing/1 file — the file is damaged", Refused(o));
    }

    static JsonObject Encoding2(JsonObject o) => o["encoding"]!.AsObject();

    [Fact]
    public void Each_damaged_member_of_a_format_2_encoding_is_its_own_one_line_error_naming_where()
    {
        Ok(EarlierPreprocessing.FromJson(Earlier(2), "p.json"));
        const string Damaged = " — the file is damaged";
        (Action<JsonObject> Damage, string Message)[] cases =
        [
            (e => e["kind"] = "quantile", "p.json: encoding: kind is not quantile-normal+one-hot" + Damaged),
            (e => e.Remove("kind"), "p.json: encoding: 'kind' is not a string" + Damaged),
            (e => e["continuous"]![1] = 5, "p.json: encoding continuous[1]: not a JSON object" + Damaged),
            (e => e["continuous"]![1]!.AsObject().Remove("column"), "p.json: encoding continuous[1]: 'column' is not a string" + Damaged),
            (e => e["continuous"]![1]!["quantiles"] = "q",
                "p.json: encoding continuous[1]: 'quantiles' is not a list of numbers" + Damaged),
            (e => e["one_hot"]![1] = 5, "p.json: encoding one_hot[1]: not a JSON object" + Damaged),
            (e => e["one_hot"]![1]!.AsObject().Remove("column"), "p.json: encoding one_hot[1]: 'column' is not a string" + Damaged),
            (e => e["one_hot"]![1]!["categories"] = "c", "p.json: encoding one_hot[1]: 'categories' is not a list of numbers" + Damaged),
            (e => e["one_hot"]![1]!["categories"] = JsonNode.Parse("[0, 1, 1]"),
                "p.json: encoding: one_hot[1].categories is not a list of distinct integers" + Damaged),
        ];
        foreach (var (damage, message) in cases)
        {
            var o = Earlier(2);
            damage(Encoding2(o));
            Assert.Equal(message, Refused(o));
        }
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""["-Infinity", 0]""")]
    [InlineData("[0, 1, \"NaN\"]")]
    [InlineData("[1, 3, 2]")]
    [InlineData("[1, 2, 3, 2.5]")]
    public void Quantiles_that_are_empty_not_finite_or_decreasing_are_refused(string quantiles)
    {
        var o = Earlier(2);
        Encoding2(o)["continuous"]![2]!["quantiles"] = JsonNode.Parse(quantiles);
        Assert.Equal("p.json: encoding: continuous[2].quantiles is not a non-decreasing list of numbers — the file is damaged",
            Refused(o));
    }

    [Theory]
    [InlineData("continuous")]
    [InlineData("binary")]
    [InlineData("one_hot")]
    public void Columns_out_of_the_tabular_encodings_order_in_any_one_group_are_refused(string group)
    {
        var o = Earlier(2);
        var list = Encoding2(o)[group]!.AsArray();
        if (group == "binary")
            Encoding2(o)[group] = new JsonArray(list.Reverse().Select(n => n!.DeepClone()).ToArray());
        else
            (list[0]!["column"], list[1]!["column"]) = ((string)list[1]!["column"]!, (string)list[0]!["column"]!);
        Assert.Equal("p.json: encoding: the columns are not the tabular encoding's (each of the 15 features once) — the file is damaged",
            Refused(o));
    }

    // ------------------------------------------------------------------ GENRET1 headers

    static byte[] Genret1(int length, string header)
    {
        var json = Encoding.UTF8.GetBytes(header);
        return "GENRET1\n"u8.ToArray().Concat(BitConverter.GetBytes(length)).Concat(json).ToArray();
    }

    [Fact]
    public void A_GENRET1_header_length_is_checked_against_the_file_at_every_boundary()
    {
        const string header = """{"meta":{"k":1},"tensors":[]}""";
        var n = Encoding.UTF8.GetByteCount(header);
        Assert.Equal("t.bin: truncated in the header (8 bytes) — the file is damaged", Fail(EarlierTensors.Read("GENRET1\n"u8.ToArray(),
            "t.bin")));
        Assert.Equal("t.bin: the header length 0 does not fit the file (12 bytes) — the file is damaged",
            Fail(EarlierTensors.Read(Genret1(0, ""), "t.bin")));
        Assert.Equal($"t.bin: the header length 0 does not fit the file ({12 + n} bytes) — the file is damaged",
            Fail(EarlierTensors.Read(Genret1(0, header), "t.bin")));
        Assert.Equal($"t.bin: the header length -1 does not fit the file ({12 + n} bytes) — the file is damaged",
            Fail(EarlierTensors.Read(Genret1(-1, header), "t.bin")));
        Assert.Equal($"t.bin: the header length {n + 1} does not fit the file ({12 + n} bytes) — the file is damaged",
            Fail(EarlierTensors.Read(Genret1(n + 1, header), "t.bin")));
        // a header that fills the file exactly: no tensors
        var read = Ok(EarlierTensors.Read(Genret1(n, header), "t.bin"));
        Assert.Empty(read.Tensors);
        Assert.Equal(1, (int)read.Meta["k"]!);
    }

    // ------------------------------------------------------------------ weights

    [Fact]
    public void A_weights_bin_left_beside_current_weights_is_removed_alone()
    {
        var dir = Copy(Golden("softmax-tiny"));
        var bin = File.ReadAllBytes(Path.Combine(dir, "weights.bin"));
        Ok(Migration.Run(dir));
        File.WriteAllBytes(Path.Combine(dir, "weights.bin"), bin);
        Assert.Equal([("weights.bin", "removed: weights.safetensors holds the weights")], Changes(Migration.Run(dir), dir));
        Assert.False(File.Exists(Path.Combine(dir, "weights.bin")));
    }

    [Fact]
    public void Each_change_is_written_under_its_folders_lock_a_checkpoints_under_its_experiment_folders()
    {
        var dir = Copy(Golden("softmax-tiny"));
        Ok(Migration.Run(dir));
        Assert.True(File.Exists(Path.Combine(dir, ".genre.lock")));
        Assert.False(File.Exists(Path.Combine(dir, "checkpoints", ".genre.lock")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(dir)!, ".genre.lock")));
    }

    [Fact]
    public void A_GENRET2_weights_bin_is_checked_against_the_model_json_crc_it_records()
    {
        var dir = Copy(Golden("softmax-tiny"));
        Directory.Delete(Path.Combine(dir, "checkpoints"), true);
        var path = Path.Combine(dir, "weights.bin");
        var tensors = Ok(EarlierTensors.Read(File.ReadAllBytes(path), path)).Tensors;
        var crc = Crc32c.Hex(Crc32c.Compute(File.ReadAllBytes(Path.Combine(dir, "model.json"))));
        var wrong = crc == "00000000" ? "00000001" : "00000000";
        Ok(TensorFile.Write(path, new JsonObject { ["model_json_crc32c"] = wrong }, tensors));
        Assert.Equal($"{Path.Combine(dir, "model.json")}: checksum mismatch (weights.bin records crc32c {wrong} for it) — " +
                     "the file is damaged", Fail(Migration.Run(dir)));
        Ok(TensorFile.Write(path, new JsonObject { ["model_json_crc32c"] = crc }, tensors));
        Assert.Equal([
            ("weights.safetensors", "written from weights.bin (the same tensors, with their sha256 and the spec)"),
            ("weights.bin", "removed: weights.safetensors holds the weights"),
        ], Changes(Migration.Run(dir), dir));
    }

    [Fact]
    public void A_model_json_that_is_not_an_object_is_refused_naming_it()
    {
        var dir = Copy(Golden("softmax-tiny"));
        File.WriteAllText(Path.Combine(dir, "model.json"), "[]");
        Assert.Equal($"{Path.Combine(dir, "model.json")}: not a JSON object", Fail(Migration.Run(dir)));
    }

    /// <summary>model.json and weights.safetensors of the committed softmax, the weights rewritten with other metadata.</summary>
    static string Weights(params (string Key, string Value)[] metadata)
    {
        var source = Path.Combine(Inputs.RepoRoot, "results", "kaggle", "fast", "softmax");
        var dir = GenreCli.TempDir("migrate");
        File.Copy(Path.Combine(source, "model.json"), Path.Combine(dir, "model.json"));
        var tensors = Ok(SafeTensors.Read(Path.Combine(source, "weights.safetensors"))).Tensors;
        Ok(SafeTensors.Write(Path.Combine(dir, "weights.safetensors"), toSeq(metadata), tensors));
        return dir;
    }

    [Fact]
    public void Weights_without_the_spec_get_it_and_weights_for_another_model_are_refused()
    {
        var bare = Weights();
        Assert.Equal([("weights.safetensors", "the sha256 of its tensors and the spec added")], Changes(Migration.Run(bare), bare));
        Assert.Empty(Ok(Migration.Run(bare)));
        var other = Weights(("model", "{}"));
        Assert.Equal($"{Path.Combine(other, "weights.safetensors")}: written for another model than " +
                     $"{Path.Combine(other, "model.json")} describes", Fail(Migration.Run(other)));
    }

    /// <summary>"GENRET1\n", int32 length, header, tensors: the layout before checksums.</summary>
    static byte[] Genret1Checkpoint()
    {
        var json = Encoding.UTF8.GetBytes("""{"meta":{"epoch":1,"adam_step":3},"tensors":[{"name":"p/0","shape":[2]}]}""");
        return "GENRET1\n"u8.ToArray().Concat(BitConverter.GetBytes(json.Length)).Concat(json)
            .Concat(BitConverter.GetBytes(1f)).Concat(BitConverter.GetBytes(2f)).ToArray();
    }

    [Fact]
    public void A_GENRET1_checkpoint_without_training_settings_reports_both_changes()
    {
        var dir = Copy(Golden("experiment", "softmax"), "reproduce-fast");
        Directory.CreateDirectory(Path.Combine(dir, "checkpoints"));
        File.WriteAllBytes(Path.Combine(dir, "checkpoints", "epoch-00001.ckpt"), Genret1Checkpoint());
        Assert.Contains((Path.Combine("checkpoints", "epoch-00001.ckpt"),
            "GENRET1 → GENRET2 (checksums), the training settings (from settings.json) added"), Changes(Migration.Run(dir), dir));
    }

    [Fact]
    public void A_checkpoint_takes_the_settings_of_a_current_marker_in_a_folder_not_named_after_an_experiment()
    {
        var dir = CurrentSoftmax("my-net");
        var ckpt = Path.Combine(dir, "checkpoints", "epoch-00001.ckpt");
        Directory.CreateDirectory(Path.GetDirectoryName(ckpt)!);
        Ok(TensorFile.Write(ckpt, new JsonObject { ["epoch"] = 1 }, Seq1(new NamedTensor("p/0", Seq1(2), [1f, 2f]))));
        Assert.Equal([(Path.Combine("checkpoints", "epoch-00001.ckpt"), "the training settings (from settings.json) added")],
            Changes(Migration.Run(dir), dir));
        Assert.Equal(256, (int)Ok(TensorFile.Read(ckpt)).Meta["training"]!["batch_size"]!);
    }

    // ------------------------------------------------------------------ the other files

    [Fact]
    public void Folders_under_the_given_one_are_migrated_and_hidden_ones_at_any_depth_left_alone()
    {
        var root = GenreCli.TempDir("migrate");
        foreach (var d in new[] { "sub", Path.Combine("sub", ".hidden"), ".git" })
        {
            Directory.CreateDirectory(Path.Combine(root, d));
            File.WriteAllText(Path.Combine(root, d, "metrics.json"), """{"profile":"fast","accuracy":0.5}""");
        }
        Assert.Equal([(Path.Combine("sub", "metrics.json"), "its checksum added")], Changes(Migration.Run(root), root));
        // indented, with its checksum
        var text = File.ReadAllText(Path.Combine(root, "sub", "metrics.json"));
        Assert.StartsWith("{\n  \"profile\": \"fast\",\n", text);
        Assert.Equal(0.5, (double)Ok(ChecksummedJson.Parse(text, "metrics.json"))["accuracy"]!);
        Assert.Empty(Ok(Migration.Run(root)));
    }

    [Fact]
    public void An_experiment_folders_metrics_without_a_profile_is_left_to_its_marker()
    {
        var root = GenreCli.TempDir("migrate");
        File.WriteAllText(Path.Combine(root, "metrics.json"), """{"accuracy":0.5}""");
        Assert.Empty(Ok(Migration.Run(root)));
    }

    [Fact]
    public void A_current_preprocessing_file_without_its_checksum_gets_it_read_by_the_registry_given()
    {
        var dir = Copy(Golden("preprocessing-1"));
        var path = Path.Combine(dir, Preprocessing.FileName);
        Ok(Migration.Run(dir));
        Assert.StartsWith("{\n  \"format\": \"genre-preprocessing/3\",\n", File.ReadAllText(path)); // written indented
        var current = Ok(ChecksummedJson.Parse(File.ReadAllText(path), path));
        File.WriteAllText(path, current.ToJsonString());
        Assert.StartsWith(path, Fail(Migration.Run(dir, registry: new StageRegistry(HashMap<string, StageKind>()))));
        Assert.Equal([(Preprocessing.FileName, "its checksum added")], Changes(Migration.Run(dir), dir));
        Assert.StartsWith("{\n  \"format\": \"genre-preprocessing/3\",\n", File.ReadAllText(path));
    }

    static JsonObject Trials(Option<int> seed)
    {
        JsonObject Settings() =>
            new() { ["learning_rate"] = 0.05, ["leaves"] = 15, ["min_leaf"] = 50, ["max_rounds"] = 400, ["early_stop"] = 10 };
        var o = new JsonObject();
        foreach (var s in seed) o["seed"] = s;
        o["chosen"] = Settings();
        o["seconds"] = 1.5;
        o["test_accuracy"] = 0.3;
        o["trials"] = new JsonArray(new JsonObject { ["settings"] = Settings(), ["val_accuracy"] = 0.31, ["seconds"] = 1.5 });
        return o;
    }

    [Fact]
    public void A_gbdt_file_with_a_seed_and_no_checksum_or_a_checksum_and_no_seed_is_completed()
    {
        var root = GenreCli.TempDir("migrate");
        var seeded = Path.Combine(root, "beyond", "gbdt", Gbdt.TrialsFile);
        var stamped = Path.Combine(root, "seed-3", "gbdt", Gbdt.TrialsFile);
        Directory.CreateDirectory(Path.GetDirectoryName(seeded)!);
        Directory.CreateDirectory(Path.GetDirectoryName(stamped)!);
        File.WriteAllText(seeded, Trials(Some(4)).ToJsonString());
        Ok(ChecksummedJson.Write(stamped, Trials(None)));
        Assert.Equal([
            (Path.Combine("beyond", "gbdt", Gbdt.TrialsFile), "its checksum added"),
            (Path.Combine("seed-3", "gbdt", Gbdt.TrialsFile), "seed 3 (from the folder seed-3) and its checksum added"),
        ], Changes(Migration.Run(root), root));
        Assert.StartsWith("{\n  \"seed\": 4,\n  \"chosen\": {\n", File.ReadAllText(seeded));
        Assert.StartsWith("{\n  \"seed\": 3,\n  \"chosen\": {\n", File.ReadAllText(stamped));
        Assert.Empty(Ok(Migration.Run(root)));
    }

    [Fact]
    public void An_ensemble_file_gets_its_checksum_and_one_of_another_format_is_refused()
    {
        var dir = GenreCli.TempDir("migrate");
        var path = Path.Combine(dir, "ensemble.json");
        File.WriteAllText(path, """{"format":"genre-ensemble-0","members":2}""");
        Assert.Equal($"{path}: not a genre-ensemble-1 file — the file is damaged", Fail(Migration.Run(dir)));
        File.WriteAllText(path, """{"format":"genre-ensemble-1","members":2}""");
        Assert.Equal([("ensemble.json", "its checksum added")], Changes(Migration.Run(dir), dir));
        Assert.StartsWith("{\n  \"format\": \"genre-ensemble-1\",\n", File.ReadAllText(path));
        Assert.Empty(Ok(Migration.Run(dir)));
    }

    // ------------------------------------------------------------------ the experiment marker

    static string Marker(string dir) => Path.Combine(dir, ExperimentFolder.MarkerFile);

    /// <summary>The marker as it is on disk, without its checksum member.</summary>
    static JsonObject MarkerObject(string dir)
    {
        var o = Read(Marker(dir));
        o.Remove("crc32c");
        return o;
    }

    [Fact]
    public void A_current_marker_without_its_own_checksum_gets_it_alone()
    {
        var dir = CurrentSoftmax();
        File.WriteAllText(Marker(dir), MarkerObject(dir).ToJsonString());
        Assert.Equal([("settings.json", "its own checksum added")], Changes(Migration.Run(dir), dir));
    }

    /// <summary>The committed softmax with weights lacking the spec, the marker vouching for them as they are.</summary>
    static string WithBareWeights(bool stamped)
    {
        var dir = CurrentSoftmax();
        var weights = Path.Combine(dir, "weights.safetensors");
        Ok(SafeTensors.Write(weights, Seq<(string, string)>(), Ok(SafeTensors.Read(weights)).Tensors));
        var marker = MarkerObject(dir);
        marker["files"]!["weights.safetensors"] = Crc32c.Hex(Crc32c.Compute(File.ReadAllBytes(weights)));
        if (stamped) Ok(ChecksummedJson.Write(Marker(dir), marker));
        else File.WriteAllText(Marker(dir), marker.ToJsonString());
        return dir;
    }

    [Theory]
    [InlineData(true, "the checksums of its rewritten files updated")]
    [InlineData(false, "its own checksum added; the checksums of its rewritten files updated")]
    public void A_marker_whose_files_are_rewritten_records_their_new_checksums(bool stamped, string what)
    {
        var dir = WithBareWeights(stamped);
        Assert.Equal([("weights.safetensors", "the sha256 of its tensors and the spec added"), ("settings.json", what)],
            Changes(Migration.Run(dir), dir));
        var crc = Crc32c.Hex(Crc32c.Compute(File.ReadAllBytes(Path.Combine(dir, "weights.safetensors"))));
        Assert.Equal(crc, (string)Ok(ChecksummedJson.Parse(File.ReadAllText(Marker(dir)), "m"))["files"]!["weights.safetensors"]!);
    }

    [Fact]
    public void A_marker_that_records_checksums_still_needs_a_readable_history()
    {
        var dir = CurrentSoftmax();
        var marker = MarkerObject(dir);
        marker["files"]!.AsObject().Remove("history.json");
        Ok(ChecksummedJson.Write(Marker(dir), marker));
        File.WriteAllText(Path.Combine(dir, "history.json"), "{}");
        Assert.Equal($"{Path.Combine(dir, "history.json")}: not a list of epochs — the file is damaged", Fail(Migration.Run(dir)));
    }

    [Fact]
    public void A_marker_with_an_unreadable_experiment_or_checksum_is_refused_naming_it()
    {
        var dir = CurrentSoftmax();
        var marker = MarkerObject(dir);
        marker["experiment"] = new JsonObject();
        Ok(ChecksummedJson.Write(Marker(dir), marker));
        Assert.StartsWith($"{Marker(dir)}: experiment", Fail(Migration.Run(dir)));

        marker = MarkerObject(CurrentSoftmax());
        dir = CurrentSoftmax("softmax2");
        marker["files"]!["history.json"] = 5;
        Ok(ChecksummedJson.Write(Marker(dir), marker));
        Assert.Equal($"{Marker(dir)}: no checksum for history.json — the file is damaged", Fail(Migration.Run(dir)));
    }

    [Fact]
    public void An_old_marker_without_model_json_is_refused_naming_it()
    {
        var dir = Copy(Golden("experiment", "softmax"), "reproduce-fast");
        File.Delete(Path.Combine(dir, "model.json"));
        File.Delete(Path.Combine(dir, "weights.bin"));
        Assert.Equal($"{Path.Combine(dir, "model.json")}: missing, though {Marker(dir)} marks the experiment finished",
            Fail(Migration.Run(dir)));
    }

    static string Said(string dir) => Changes(Migration.Run(dir), dir).Single(c => c.Path == "settings.json").What;

    [Fact]
    public void An_old_marker_in_a_track_aware_folder_is_of_the_track_aware_experiment()
    {
        var dir = Copy(Golden("experiment", "softmax"), "track-aware");
        Assert.Equal("the experiment (softmax, track-aware, from the folder's name), the checksums of its files and its own checksum added",
            Said(dir));
        Assert.Equal("track-aware", (string)Ok(ChecksummedJson.Parse(File.ReadAllText(Marker(dir)), "m"))["experiment"]!["split"]!);
    }

    [Fact]
    public void An_old_marker_in_a_member_folder_is_of_that_member_of_the_ensemble_its_parent_names()
    {
        var ensemble = Experiments.Beyond.Find(e => e.Name == "tabular-ensemble").IfNone(() => throw new Xunit.Sdk.XunitException("?"));
        var member = Folders.CopyTree(Golden("experiment", "softmax"),
            Path.Combine(GenreCli.TempDir("migrate"), "tabular-ensemble", "member-1"));
        Assert.Equal($"the experiment ({Ensembles.Member(ensemble, 1).Name}, from the folder's name), the checksums of its files " +
                     "and its own checksum added", Said(member));

        var beyond = Folders.CopyTree(Golden("experiment", "softmax"),
            Path.Combine(GenreCli.TempDir("migrate"), "tabular-ensemble", "member-6"));
        Assert.Equal($"{Marker(beyond)} has no experiment, and tabular-ensemble has no member 6", Fail(Migration.Run(beyond)));
    }

    [Fact]
    public void An_old_marker_keeps_the_learning_rate_it_records_and_one_without_gets_adams_default()
    {
        var dir = Copy(Golden("experiment", "softmax"), "reproduce-fast");
        var marker = Read(Marker(dir));
        marker["learning_rate"] = 0.01;
        File.WriteAllText(Marker(dir), marker.ToJsonString());
        Ok(Migration.Run(dir));
        Assert.Equal(0.01, (double)Ok(ChecksummedJson.Parse(File.ReadAllText(Marker(dir)), "m"))["learning_rate"]!);

        dir = Copy(Golden("experiment", "softmax"), "reproduce-fast");
        marker = Read(Marker(dir));
        marker.Remove("learning_rate");
        File.WriteAllText(Marker(dir), marker.ToJsonString());
        Ok(Migration.Run(dir));
        Assert.Equal(0.001, (double)Ok(ChecksummedJson.Parse(File.ReadAllText(Marker(dir)), "m"))["learning_rate"]!);
    }
}
