using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>
/// A trained model on disk: <c>model.json</c> (the spec) + <c>weights.bin</c> (Keras-layout tensors), each written atomically.
/// weights.bin is a checksummed <see cref="TensorFile"/> whose metadata also records the crc32c of model.json, so a change to
/// either file is found on loading. A folder written before checksums is read as it was (legacy).
/// </summary>
public static class ModelStore
{
    const string SpecChecksum = "model_json_crc32c";

    /// <summary>
    /// Writes <c>model.json</c> then <c>weights.bin</c> (with model.json's crc32c) into <paramref name="dir"/>, each atomically;
    /// an I/O error names the file that could not be written.
    /// </summary>
    public static Fin<Unit> Save(string dir, Sequential spec, ModelWeights weights)
    {
        var json = Encoding.UTF8.GetBytes(SpecJson.ToJson(spec).ToJsonString(new() { WriteIndented = true }));
        return from _1 in AtomicFile.WriteAllBytes(Path.Combine(dir, "model.json"), json)
               from _2 in TensorFile.Write(Path.Combine(dir, "weights.bin"),
                   new JsonObject { ["model"] = spec.Name, [SpecChecksum] = Crc32c.Hex(Crc32c.Compute(json)) }, Flatten(weights))
               select unit;
    }

    /// <summary>
    /// The spec and weights of a folder written by <see cref="Save"/>. An I/O error when a file is missing or unreadable; a model
    /// error when a checksum does not match, the spec is invalid, a tensor's shape differs from the spec's, or a weight is not finite.
    /// </summary>
    public static Fin<(Sequential Spec, ModelWeights Weights)> Load(string dir)
    {
        var specPath = Path.Combine(dir, "model.json");
        var weightsPath = Path.Combine(dir, "weights.bin");
        if (!File.Exists(specPath)) return GenreError.Io($"{specPath}: not found");
        return from file in TensorFile.Read(weightsPath)
               from bytes in Files.ReadBytes(specPath)
               from _ in Json.String(file.Meta, SpecChecksum).Match(
                   stored => stored == Crc32c.Hex(Crc32c.Compute(bytes))
                       ? FinSucc(unit)
                       : FinFail<Unit>(GenreError.Model($"{specPath}: checksum mismatch (weights.bin records crc32c {stored} for it) — the file is damaged")),
                   () => FinSucc(unit))
               from json in Json.Parse(bytes, specPath, GenreError.Model)
               from o in Json.Object(json).ToFin(GenreError.Model($"{specPath}: not a JSON object"))
               from spec in SpecJson.FromJson(o, specPath)
               from weights in Unflatten(spec, file.Tensors, weightsPath)
               from finite in Finite(weights, weightsPath)
               select (spec, finite);
    }

    /// <summary>Weights with a NaN or an infinity cannot come from training (it stops first): the file is damaged.</summary>
    public static Fin<ModelWeights> Finite(ModelWeights weights, string origin) =>
        weights.Layers.Bind(l => l.Tensors.Map(t => (l.LayerIndex, t))).Find(p => !AllFinite(p.t.Values)).Match(
            p => FinFail<ModelWeights>(GenreError.Model($"{origin}: layer {p.LayerIndex} {p.t.Name} holds a value that is not a finite number — the file is damaged")),
            () => FinSucc(weights));

    internal static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values) if (!float.IsFinite(v)) return false;
        return true;
    }

    /// <summary>Tensors named "layerIndex/name" in Keras order.</summary>
    public static Seq<NamedTensor> Flatten(ModelWeights w) =>
        w.Layers.Bind(l => l.Tensors.Map(t => t with { Name = $"{l.LayerIndex}/{t.Name}" })).Strict();

    /// <summary>The inverse of <see cref="Flatten"/>, checked against the spec's weight shapes.</summary>
    public static Fin<ModelWeights> Unflatten(Sequential spec, Seq<NamedTensor> tensors, string origin) =>
        WeightShapes.Of(spec).Bind(expected =>
        {
            if (expected.Count != tensors.Count) return FinFail<ModelWeights>(GenreError.Model($"{origin}: expected {expected.Count} tensors, found {tensors.Count}"));
            var list = new List<(int, NamedTensor)>();
            foreach (var (w, t) in expected.Zip(tensors))
            {
                if (t.Name != $"{w.LayerIndex}/{w.Name}" || !t.Shape.SequenceEqual(w.Shape))
                    return GenreError.Model($"{origin}: layer {w.LayerIndex} {w.Name}: expected ({string.Join(", ", w.Shape)}), got {GenreError.Show(t.Name)} ({string.Join(", ", t.Shape)})");
                list.Add((w.LayerIndex, t with { Name = w.Name }));
            }
            return FinSucc(new ModelWeights(toSeq(list.GroupBy(p => p.Item1).Select(g => new LayerWeights(g.Key, toSeq(g.Select(p => p.Item2)).Strict()))).Strict()));
        });
}
