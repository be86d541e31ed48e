using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Data.Stages;
using Genre.Models;
using Genre.Models.Backend.Torch;

namespace Genre.Eval;

/// <summary>
/// The tensor files of earlier genres, read only by <see cref="Migration"/>: <c>weights.bin</c> (a tensor file of the model's
/// weights, GENRET1 without checksums or GENRET2 with them and model.json's crc32c), weights.safetensors without its sha256 or
/// spec, and checkpoints in the GENRET1 layout or without the training settings a resumed run is checked against.
/// </summary>
internal static class EarlierTensors
{
    /// <summary>
    /// weights.bin as weights.safetensors (then removed), or weights.safetensors given its sha256 and spec; a current one is
    /// verified and left. A folder without weights has nothing to migrate here.
    /// </summary>
    public static Fin<Seq<Migration.Step>> PlanWeights(string folder)
    {
        var safetensors = Path.Combine(folder, ModelFolder.WeightsFile);
        var bin = Path.Combine(folder, ModelFolder.EarlierWeightsFile);
        var hasBin = File.Exists(bin);
        if (File.Exists(safetensors))
            return PlanSafeTensors(folder, safetensors).Map(steps => hasBin
                ? steps.Add(Migration.Step.Remove(bin, $"removed: {ModelFolder.WeightsFile} holds the weights"))
                : steps);
        if (!hasBin) return Seq<Migration.Step>();
        return from spec in Spec(folder)
               from bytes in Files.ReadBytes(bin)
               from file in Read(bytes, bin)
               from _ in Json.String(file.Meta, "model_json_crc32c").Match(
                   stored => spec.Crc == stored
                       ? FinSucc(unit)
                       : FinFail<Unit>(GenreError.Model($"{spec.Path}: checksum mismatch ({ModelFolder.EarlierWeightsFile} " +
                                                        $"records crc32c {stored} for it) — the file is damaged")),
                   () => FinSucc(unit))
               from weights in ModelStore.Unflatten(spec.Spec, file.Tensors, bin).Bind(w => ModelStore.Finite(w, bin))
               select Seq(
                   Migration.Step.Write(safetensors, ModelFolder.WeightsBytes(spec.Spec, weights),
                       $"written from {ModelFolder.EarlierWeightsFile} (the same tensors, with their sha256 and the spec)"),
                   Migration.Step.Remove(bin, $"removed: {ModelFolder.WeightsFile} holds the weights"));
    }

    static Fin<Seq<Migration.Step>> PlanSafeTensors(string folder, string path) =>
        from spec in Spec(folder)
        from file in SafeTensors.Read(path)
        from _ in file.Metadata.Find("model").Match(
            m => m == SpecJson.ToJson(spec.Spec).ToJsonString()
                ? FinSucc(unit)
                : FinFail<Unit>(GenreError.Model($"{path}: written for another model than {spec.Path} describes")),
            () => FinSucc(unit))
        from weights in ModelFolder.ByName(spec.Spec, file.Tensors, path).Bind(w => ModelStore.Finite(w, path))
        select file.Metadata.ContainsKey(SafeTensors.ChecksumKey) && file.Metadata.ContainsKey("model")
            ? Seq<Migration.Step>()
            : Seq1(Migration.Step.Write(path, ModelFolder.WeightsBytes(spec.Spec, weights),
                "the sha256 of its tensors and the spec added"));

    sealed record SpecFile(string Path, Sequential Spec, string Crc);

    static Fin<SpecFile> Spec(string folder)
    {
        var path = Path.Combine(folder, ModelFolder.SpecFile);
        return from bytes in Files.ReadBytes(path)
               from node in Json.Parse(bytes, path, GenreError.Model)
               from o in Json.Object(node).ToFin(GenreError.Model($"{path}: not a JSON object"))
               from spec in SpecJson.FromJson(o, path)
               select new SpecFile(path, spec, Crc32c.Hex(Crc32c.Compute(bytes)));
    }

    /// <summary>The checkpoints in <paramref name="folder"/> (a damaged one set aside is not read again).</summary>
    public static Seq<string> CheckpointsIn(string folder) => Checkpoints.List(folder).ToSeq().Strict();

    /// <summary>
    /// A GENRET1 checkpoint rewritten as GENRET2; one without training settings given those of the finished experiment whose
    /// folder holds it (its marker's); else refused naming what is missing.
    /// </summary>
    public static Fin<Seq<Migration.Step>> PlanCheckpoint(string path, StageRegistry registry) =>
        from bytes in Files.ReadBytes(path)
        from file in Read(bytes, path)
        from training in TrainingOf(path, file.Meta, registry)
        let old = IsGenret1(bytes)
        let said = Seq(old ? Some("GENRET1 → GENRET2 (checksums)") : None, training.Said.Map(s => s + " added")).Somes().ToSeq()
        select said.IsEmpty
            ? Seq<Migration.Step>()
            : Seq1(Migration.Step.Write(path, TensorFile.ToBytes(WithTraining(file.Meta, training.Json), file.Tensors),
                string.Join(", ", said)));

    /// <summary>The checkpoint's training settings, or those of the marker beside its folder (and where they came from).</summary>
    static Fin<(JsonObject Json, Option<string> Said)> TrainingOf(string path, JsonObject meta, StageRegistry registry) =>
        meta["training"] is JsonObject recorded
            ? (recorded, None)
            : Migration.SettingsBeside(Path.GetDirectoryName(path)!, registry).Bind(found => found.Match(
                settings => FinSucc((Checkpoints.Training(settings.ToConfig()),
                    Some($"the training settings (from {ExperimentFolder.MarkerFile})"))),
                () => FinFail<(JsonObject, Option<string>)>(GenreError.Model(
                    $"{path} has no training settings, and no {ExperimentFolder.MarkerFile} beside its folder records them: " +
                    "genre migrate cannot derive them (delete the checkpoint to train from the start)"))));

    static bool IsGenret1(byte[] bytes) => bytes.Length >= 8 && bytes.AsSpan(0, 8).SequenceEqual(TensorFile.EarlierMagic);

    static JsonObject WithTraining(JsonObject meta, JsonObject training)
    {
        var copy = (JsonObject)meta.DeepClone();
        copy["training"] = training.DeepClone();
        return copy;
    }

    /// <summary>A tensor file of either layout: GENRET2 verified by its checksums, GENRET1 by its structure alone.</summary>
    internal static Fin<TensorFileContent> Read(byte[] bytes, string path) =>
        IsGenret1(bytes) ? ReadGenret1(bytes, path) : TensorFile.Parse(bytes, path);

    /// <summary>"GENRET1\n", int32 header length, the JSON header {meta, tensors:[{name, shape}]}, the tensors' bytes.</summary>
    static Fin<TensorFileContent> ReadGenret1(byte[] bytes, string path)
    {
        const int start = 12;
        if (bytes.Length < start) return Damaged(path, $"truncated in the header ({bytes.Length} bytes)");
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (length <= 0 || length > bytes.Length - start)
            return Damaged(path, $"the header length {length} does not fit the file ({bytes.Length} bytes)");
        return TensorFile.Body(bytes, start, length, path, checksummed: false);
    }

    static LanguageExt.Common.Error Damaged(string path, string what) => GenreError.Model($"{path}: {what} — the file is damaged");
}
