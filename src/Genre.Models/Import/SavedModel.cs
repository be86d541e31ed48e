using Genre.Data;

namespace Genre.Models.Import;

/// <summary>A Keras model saved by TF2 <c>model.save(dir)</c>, read without TensorFlow.</summary>
/// <summary>What a TF2 SavedModel holds for Genre: the Keras model's spec and its weights.</summary>
public sealed record SavedModelContent(Sequential Spec, ModelWeights Weights);

/// <summary>Reads a TF2 Keras SavedModel folder (<c>keras_metadata.pb</c>, <c>variables/</c>) without TensorFlow.</summary>
public static class SavedModel
{
    /// <summary>
    /// Spec from <c>keras_metadata.pb</c>; weights from the bundle. Each weight's key comes from the checkpoint's object
    /// graph (model → layer-i → [cell →] kernel|recurrent_kernel|bias → VARIABLE_VALUE), as TensorFlow resolves it; a
    /// bundle without an object graph falls back to Keras' conventions (<c>variables/K</c> for the K-th weight of
    /// <c>model.weights</c>, else <c>layer_with_weights-N/NAME</c>). Every tensor's dtype, shape and crc32c is checked.
    /// </summary>
    public static Fin<SavedModelContent> Load(string dir)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
        if (!Directory.Exists(dir)) return GenreError.Io($"{dir}: SavedModel folder not found");
        return from spec in KerasConfig.FromMetadataFile(Path.Combine(dir, "keras_metadata.pb"), name)
               from bundle in TensorBundle.Open(Path.Combine(dir, "variables"))
               from keys in WeightKeys(spec, bundle, dir)
               from weights in ReadWeights(spec, bundle, keys)
               from finite in ModelStore.Finite(weights, Path.Combine(dir, "variables", TensorBundle.DataFile))
               select new SavedModelContent(spec, finite);
    }

    /// <summary>
    /// Every weight of the spec (Keras order) with its bundle key and a description for error messages, which start with
    /// <paramref name="origin"/> (the SavedModel's folder).
    /// </summary>
    internal static Fin<Seq<(WeightSpec Weight, string Key, string What)>> WeightKeys(
        Sequential spec, TensorBundle bundle, string origin) =>
        from all in WeightShapes.Of(spec)
        from graph in bundle.Entries.ContainsKey(ObjectGraph.BundleKey)
            ? bundle.ReadScalarString(ObjectGraph.BundleKey).Bind(b => Graph(b, bundle)).Map(Some)
            : FinSucc(Option<ObjectGraph>.None)
        from keys in toSeq(all.Select((w, k) =>
        {
            var what = $"{origin}: layer {w.LayerIndex} ({Shapes.LayerType(spec.Layers[w.LayerIndex])}) {w.Name}";
            return graph.Match(
                g => g.WeightKey(w.LayerIndex, spec.Layers[w.LayerIndex], w.Name, what),
                () => FinSucc(ConventionalKey(all, k, w, bundle))).Map(key => (Weight: w, Key: key, What: what));
        })).Sequence()
        select keys;

    static Fin<ObjectGraph> Graph(byte[] proto, TensorBundle bundle)
    {
        try { return ObjectGraph.Parse(proto); }
        catch (InvalidDataException e)
        {
            return GenreError.Model(
                $"{Path.Combine(bundle.Directory, TensorBundle.DataFile)}: tensor '{ObjectGraph.BundleKey}': {e.Message} — the file is " +
                    $"damaged");
        }
    }

    static string ConventionalKey(Seq<WeightSpec> all, int k, WeightSpec w, TensorBundle bundle)
    {
        var byIndex = $"variables/{k}/.ATTRIBUTES/VARIABLE_VALUE";
        var layerOrdinal = all.Map(x => x.LayerIndex).Distinct().ToList().IndexOf(w.LayerIndex);
        return bundle.Entries.ContainsKey(byIndex) ? byIndex : $"layer_with_weights-{layerOrdinal}/{w.Name}/.ATTRIBUTES/VARIABLE_VALUE";
    }

    static Fin<ModelWeights> ReadWeights(Sequential spec, TensorBundle bundle, Seq<(WeightSpec Weight, string Key, string What)> keys) =>
        keys.Map(k => bundle.ReadFloat(k.Key, k.Weight.Shape, k.What).Map(
            v => (k.Weight.LayerIndex, Tensor: new NamedTensor(k.Weight.Name, k.Weight.Shape, v))))
            .Sequence()
            .Map(ts => new ModelWeights(toSeq(ts.GroupBy(t => t.LayerIndex)
                .Select(g => new LayerWeights(g.Key, toSeq(g.Select(t => t.Tensor)).Strict()))).Strict()));
}
