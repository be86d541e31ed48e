using Genre.Data;
using Genre.Models.Import;

namespace Genre.Models;

/// <summary>A model as read from disk: spec, weights, and — when the folder has it — the preprocessing it was trained with.</summary>
public sealed record StoredModel(Sequential Spec, ModelWeights Weights, Option<Preprocessing> Preprocessing);

/// <summary>A model ready to classify raw tracks: its spec, weights and preprocessing.</summary>
public sealed record PortableModel(Sequential Spec, ModelWeights Weights, Preprocessing Preprocessing);

/// <summary>
/// A self-contained model folder: <c>model.json</c> (the spec), <c>weights.safetensors</c> (<see cref="SafeTensors"/>, tensors
/// named "layer/weight" in Keras layout, with the sha256 of their data and the spec in its metadata) and, when the training data
/// was at hand, <c>preprocessing.json</c> (<see cref="Data.Preprocessing"/>), so the folder alone classifies tracks. Every file is
/// written atomically. A folder an earlier genre wrote (<c>weights.bin</c>, weights without their checksum) is refused
/// (<see cref="EarlierFormat"/>) until <c>genre migrate</c> rewrites it.
/// </summary>
public static class ModelFolder
{
    /// <summary>The weights' file name in a model folder: <c>weights.safetensors</c>.</summary>
    public const string WeightsFile = "weights.safetensors";

    /// <summary>The spec's file name in a model folder: <c>model.json</c>.</summary>
    public const string SpecFile = "model.json";

    /// <summary>The weights' file before <see cref="WeightsFile"/>, which only <c>genre migrate</c> reads.</summary>
    public const string EarlierWeightsFile = "weights.bin";

    /// <summary>Writes preprocessing.json, model.json and weights.safetensors (the spec also in its metadata, with the data's
    /// sha256).</summary>
    public static Fin<Unit> Save(string dir, Sequential spec, ModelWeights weights, Option<Preprocessing> preprocessing) =>
        from _1 in preprocessing.Match(p => p.Save(dir), () => FinSucc(unit))
        from _2 in AtomicFile.WriteAllText(Path.Combine(dir, SpecFile), SpecText(spec))
        from _3 in AtomicFile.WriteAllBytes(Path.Combine(dir, WeightsFile), WeightsBytes(spec, weights))
        select unit;

    /// <summary>model.json's text.</summary>
    internal static string SpecText(Sequential spec) => SpecJson.ToJson(spec).ToJsonString(new() { WriteIndented = true });

    /// <summary>weights.safetensors' bytes: the tensors, their sha256 and the spec.</summary>
    internal static byte[] WeightsBytes(Sequential spec, ModelWeights weights) =>
        SafeTensors.ToBytes(Seq(("format", "genre"), ("model", SpecJson.ToJson(spec).ToJsonString())), ModelStore.Flatten(weights));

    /// <summary>
    /// model.json with weights.safetensors; preprocessing.json when present. An ensemble folder (<see cref="EnsembleFolder"/>) is
    /// not one model: a usage error naming it and its first member.
    /// </summary>
    public static Fin<StoredModel> Load(string dir, Data.Stages.StageRegistry? registry = null) =>
        from _e in EnsembleFolder.Is(dir)
            ? FinFail<Unit>(GenreError.Usage($"{dir}: an ensemble of models ({EnsembleFolder.FileName}); this command reads one model — " +
                                             $"name a member folder such as {Path.Combine(dir, EnsembleFolder.MemberName(1))}"))
            : FinSucc(unit)
        from stored in LoadSafeTensors(dir)
        from preprocessing in Preprocessing.LoadIfPresent(dir, registry)
        from _ in preprocessing.Match(p => Matches(stored.Spec, p, Path.Combine(dir, Preprocessing.FileName)), () => FinSucc(unit))
        select new StoredModel(stored.Spec, stored.Weights, preprocessing);

    /// <summary>A folder written by <c>genre train</c> (it has <c>model.json</c>) or a TF2 SavedModel (no preprocessing).</summary>
    public static Fin<StoredModel> LoadAny(string dir)
    {
        if (!Directory.Exists(dir)) return GenreError.Io($"{dir}: model folder not found");
        if (File.Exists(Path.Combine(dir, "model.json")) || EnsembleFolder.Is(dir)) return Load(dir);
        if (File.Exists(Path.Combine(dir, "keras_metadata.pb")) || File.Exists(Path.Combine(dir, "saved_model.pb")))
            return SavedModel.Load(dir).Map(m => new StoredModel(m.Spec, m.Weights, None));
        return GenreError.Model($"{dir}: neither a model folder (model.json) nor a TF2 SavedModel (keras_metadata.pb)");
    }

    static Fin<(Sequential Spec, ModelWeights Weights)> LoadSafeTensors(string dir)
    {
        var specPath = Path.Combine(dir, SpecFile);
        var weightsPath = Path.Combine(dir, WeightsFile);
        var earlier = Path.Combine(dir, EarlierWeightsFile);
        if (!File.Exists(weightsPath) && File.Exists(earlier))
            return EarlierFormat.Refused(earlier, $"holds the weights in place of {WeightsFile}");
        if (!File.Exists(specPath)) return GenreError.Io($"{specPath}: not found");
        return from json in Json.ReadObject(specPath, GenreError.Model)
               from spec in SpecJson.FromJson(json, specPath)
               from file in SafeTensors.Read(weightsPath)
               from _1 in file.Metadata.ContainsKey(SafeTensors.ChecksumKey)
                   ? FinSucc(unit) : FinFail<Unit>(EarlierFormat.Refused(weightsPath, "has no checksum"))
               from _2 in file.Metadata.Find("model").Match(
                   m => m == SpecJson.ToJson(spec).ToJsonString()
                       ? FinSucc(unit)
                       : FinFail<Unit>(GenreError.Model($"{weightsPath}: written for another model than {specPath} describes")),
                   () => FinFail<Unit>(EarlierFormat.Refused(weightsPath, "does not record its model")))
               from weights in ByName(spec, file.Tensors, weightsPath)
               select (spec, weights);
    }

    /// <summary>The spec's weights looked up by name ("layer/weight"), so any writer's tensor order is read alike.</summary>
    internal static Fin<ModelWeights> ByName(Sequential spec, Seq<NamedTensor> tensors, string origin)
    {
        var byName = tensors.ToDictionary(t => t.Name);
        return WeightShapes.Of(spec).Bind(expected =>
        {
            var extra = tensors.Map(t => t.Name).Except(expected.Map(w => $"{w.LayerIndex}/{w.Name}")).ToList();
            if (extra.Count > 0) return FinFail<ModelWeights>(GenreError.Model(
                $"{origin}: tensor {extra[0]} is not a weight of model {spec.Name}"));
            var ordered = new List<NamedTensor>();
            foreach (var w in expected)
            {
                var name = $"{w.LayerIndex}/{w.Name}";
                if (!byName.TryGetValue(name, out var t)) return GenreError.Model(
                    $"{origin}: tensor {name} is missing (layer {w.LayerIndex} {Shapes.LayerType(spec.Layers[w.LayerIndex])})");
                ordered.Add(t);
            }
            return ModelStore.Unflatten(spec, toSeq(ordered), origin);
        });
    }

    /// <summary>The preprocessing's genres are the model's outputs, one for one, and its pipeline writes the model's input
    /// width.</summary>
    public static Fin<Unit> Matches(Sequential spec, Preprocessing p, string origin) =>
        spec.Classes() != Some(p.Genres.Count)
            ? GenreError.Model($"{origin}: {p.Genres.Count} genres, but model {spec.Name} predicts " +
                               $"{spec.Classes().Map(c => c.ToString()).IfNone("no")} classes")
            : p.InputWidth != spec.InputShape.Fold(1, (a, n) => a * n)
                ? GenreError.Model($"{origin}: the pipeline writes {p.InputWidth} columns, but model {spec.Name} reads " +
                                   $"({string.Join(", ", spec.InputShape)})")
                : FinSucc(unit);
}
