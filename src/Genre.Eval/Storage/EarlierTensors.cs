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
        return from node in Json.Parse(bytes.AsMemory(start, length), $"{path}: header",
                   m => GenreError.Model($"{m} — the file is damaged"))
               from meta in Json.Object(node, "meta").ToFin(Damaged(path, "the header has no meta object"))
               from entries in Json.Array(node, "tensors").ToFin(Damaged(path, "the header has no tensor list"))
               from tensors in Tensors(bytes, start + length, entries, path)
               select new TensorFileContent(meta, tensors);
    }

    /// <summary>The tensors after the header, every size checked against the file's length before anything is allocated.</summary>
    static Fin<Seq<NamedTensor>> Tensors(byte[] bytes, int offset, JsonArray entries, string path)
    {
        var tensors = new List<NamedTensor>(entries.Count);
        var names = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (Json.String(entry, "name").Case is not string raw)
                return Damaged(path, $"tensor {tensors.Count} of the header has no name");
            var name = GenreError.Show(raw, 80);
            if (!names.Add(raw)) return Damaged(path, $"tensor '{name}' appears twice");
            var shape = Json.Array(entry, "shape").Bind(a => a.Select(Json.Int).ToSeq().Sequence()).Filter(s => s.ForAll(d => d >= 0));
            if (shape.Case is not Seq<int> dims) return Damaged(path, $"tensor '{name}': the shape is not a list of sizes ≥ 0");
            var available = (bytes.Length - offset) / 4;
            var count = dims.Fold(1L, (acc, d) => acc > available ? acc : acc * d);
            if (count > available)
                return Damaged(path, $"truncated: tensor '{name}' ({string.Join(", ", dims)}) needs more bytes than the file's " +
                                     $"{bytes.Length - offset} after offset {offset}");
            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(offset, (int)count * 4)).ToArray();
            tensors.Add(new NamedTensor(raw, dims.Strict(), values));
            offset += (int)count * 4;
        }
        if (offset != bytes.Length) return Damaged(path, $"{bytes.Length - offset} unexpected bytes after the last tensor");
        return toSeq(tensors).Strict();
    }

    static LanguageExt.Common.Error Damaged(string path, string what) => GenreError.Model($"{path}: {what} — the file is damaged");
}
