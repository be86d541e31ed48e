using System.Text.Json.Nodes;
using Genre.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Models;

/// <summary>A trained model on disk: <c>model.json</c> (the spec) + <c>weights.bin</c> (Keras-layout tensors), each written atomically.</summary>
public static class ModelStore
{
    public static Fin<Unit> Save(string dir, Sequential spec, ModelWeights weights) =>
        from _1 in AtomicFile.WriteAllText(Path.Combine(dir, "model.json"), SpecJson.ToJson(spec).ToJsonString(new() { WriteIndented = true }))
        from _2 in TensorFile.Write(Path.Combine(dir, "weights.bin"), new JsonObject { ["model"] = spec.Name }, Flatten(weights))
        select unit;

    public static Fin<(Sequential Spec, ModelWeights Weights)> Load(string dir)
    {
        var specPath = Path.Combine(dir, "model.json");
        if (!File.Exists(specPath)) return GenreError.Io($"{specPath}: not found");
        return from json in ParseSpec(specPath)
               from spec in SpecJson.FromJson(json, specPath)
               from file in TensorFile.Read(Path.Combine(dir, "weights.bin"))
               from weights in Unflatten(spec, file.Tensors, Path.Combine(dir, "weights.bin"))
               select (spec, weights);
    }

    static Fin<JsonObject> ParseSpec(string path)
    {
        try { return JsonNode.Parse(File.ReadAllText(path)) is JsonObject o ? o : GenreError.Model($"{path}: not a JSON object"); }
        catch (System.Text.Json.JsonException e) { return GenreError.Model($"{path}: invalid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return GenreError.Io($"{path}: cannot read ({e.Message})"); }
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
                    return GenreError.Model($"{origin}: layer {w.LayerIndex} {w.Name}: expected ({string.Join(", ", w.Shape)}), got {t.Name} ({string.Join(", ", t.Shape)})");
                list.Add((w.LayerIndex, t with { Name = w.Name }));
            }
            return FinSucc(new ModelWeights(toSeq(list.GroupBy(p => p.Item1).Select(g => new LayerWeights(g.Key, toSeq(g.Select(p => p.Item2)).Strict()))).Strict()));
        });
}
