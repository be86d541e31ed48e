using Genre.Data;

namespace Genre.Models;

/// <summary>
/// A model's weights as named tensors, the form every weights file holds ("layerIndex/name", Keras layout): flattened, read back
/// against a spec's shapes, and checked finite. (<c>weights.bin</c>, the file that held them before <c>weights.safetensors</c>, is
/// read only by <c>genre migrate</c>.)
/// </summary>
public static class ModelStore
{
    /// <summary>Weights with a NaN or an infinity cannot come from training (it stops first): the file is damaged.</summary>
    public static Fin<ModelWeights> Finite(ModelWeights weights, string origin) =>
        weights.Layers.Bind(l => l.Tensors.Map(t => (l.LayerIndex, t))).Find(p => !AllFinite(p.t.Values)).Match(
            p => FinFail<ModelWeights>(
                GenreError.Model($"{origin}: layer {p.LayerIndex} {p.t.Name} holds a value that is not a finite number — the file is " +
                    $"damaged")),
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
            if (expected.Count != tensors.Count) return FinFail<ModelWeights>(
                GenreError.Model($"{origin}: expected {expected.Count} tensors, found {tensors.Count}"));
            var list = new List<(int, NamedTensor)>();
            foreach (var (w, t) in expected.Zip(tensors))
            {
                if (t.Name != $"{w.LayerIndex}/{w.Name}" || !t.Shape.SequenceEqual(w.Shape))
                    return GenreError.Model(
                        $"{origin}: layer {w.LayerIndex} {w.Name}: expected ({string.Join(", ", w.Shape)}), got " +
                            $"{GenreError.Show(t.Name)} ({string.Join(", ", t.Shape)})");
                list.Add((w.LayerIndex, t with { Name = w.Name }));
            }
            return FinSucc(new ModelWeights(toSeq(list.GroupBy(p => p.Item1)
                .Select(g => new LayerWeights(g.Key, toSeq(g.Select(p => p.Item2)).Strict()))).Strict()));
        });
}
