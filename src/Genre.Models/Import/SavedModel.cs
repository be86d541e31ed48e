using Genre.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Models.Import;

/// <summary>A Keras model saved by TF2 <c>model.save(dir)</c>, read without TensorFlow.</summary>
public sealed record SavedModelContent(Sequential Spec, ModelWeights Weights);

public static class SavedModel
{
    /// <summary>
    /// Spec from <c>keras_metadata.pb</c>; weights from the bundle: the k-th weight of <c>model.weights</c> is stored as
    /// <c>variables/k/.ATTRIBUTES/VARIABLE_VALUE</c> or, for layers tracked by attribute, as
    /// <c>layer_with_weights-N/{kernel|bias}/.ATTRIBUTES/VARIABLE_VALUE</c>. Every tensor's dtype, shape and crc32c is checked.
    /// </summary>
    public static Fin<SavedModelContent> Load(string dir)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)));
        if (!Directory.Exists(dir)) return GenreError.Io($"{dir}: SavedModel folder not found");
        return from spec in KerasConfig.FromMetadataFile(Path.Combine(dir, "keras_metadata.pb"), name)
               from bundle in TensorBundle.Open(Path.Combine(dir, "variables"))
               from weights in ReadWeights(spec, bundle, name)
               select new SavedModelContent(spec, weights);
    }

    static Fin<ModelWeights> ReadWeights(Sequential spec, TensorBundle bundle, string name) =>
        WeightShapes.Of(spec).Bind(all =>
        {
            var layersWithWeights = all.Map(w => w.LayerIndex).Distinct().ToList();
            var tensors = new List<(int Layer, NamedTensor Tensor)>();
            for (var k = 0; k < all.Count; k++)
            {
                var w = all[k];
                var what = $"{name}: layer {w.LayerIndex} ({Shapes.LayerType(spec.Layers[w.LayerIndex])}) {w.Name}";
                var byIndex = $"variables/{k}/.ATTRIBUTES/VARIABLE_VALUE";
                var byLayer = $"layer_with_weights-{layersWithWeights.IndexOf(w.LayerIndex)}/{w.Name}/.ATTRIBUTES/VARIABLE_VALUE";
                var key = bundle.Entries.ContainsKey(byIndex) ? byIndex : byLayer;
                var values = bundle.ReadFloat(key, w.Shape, what);
                if (values.IsFail) return values.Map(_ => default(ModelWeights)!);
                tensors.Add((w.LayerIndex, new NamedTensor(w.Name, w.Shape, (float[])values)));
            }
            return FinSucc(new ModelWeights(toSeq(tensors.GroupBy(t => t.Layer)
                .Select(g => new LayerWeights(g.Key, toSeq(g.Select(t => t.Tensor)).Strict()))).Strict()));
        });
}
