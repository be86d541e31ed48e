using Genre.Data;

namespace Genre.Models;

/// <summary>
/// What a <see cref="Sequential"/> says about itself, each fact computed in one place: the classes it predicts, the same spec
/// for another number of classes, whether its output layer is what training and export need, and whether a set of weights
/// is its own. Callers ask the spec instead of looking at its last layer.
/// </summary>
public static class SpecFacts
{
    /// <summary>The number of classes the spec predicts: the units of its final Dense layer or the classes of its final
    /// <see cref="EnsembleHead"/>; None when it ends otherwise.</summary>
    public static Option<int> Classes(this Sequential spec) =>
        spec.Layers.IsEmpty ? None
        : spec.Layers.Last switch { Dense d => Some(d.Units), EnsembleHead e => Some(e.Classes), _ => None };

    /// <summary>
    /// The spec predicting <paramref name="classes"/> classes: its final Dense (or ensemble head) resized, its activation kept
    /// (a model trained on 66 merged genres is the 114-genre model with a narrower output). A spec that ends otherwise is
    /// returned as it is (<see cref="OutputLayer"/> refuses it where it matters).
    /// </summary>
    public static Sequential WithClasses(this Sequential spec, int classes) =>
        spec.Layers.IsEmpty || spec.Classes() == Some(classes) ? spec
        : spec.Layers.Last switch
        {
            Dense d => spec with { Layers = spec.Layers.Init.Add(d with { Units = classes }) },
            EnsembleHead e => spec with { Layers = spec.Layers.Init.Add(e with { Classes = classes }) },
            _ => spec,
        };

    /// <summary>
    /// The one output-layer check: a final Dense(…, softmax) (or an <see cref="EnsembleHead"/>, a mean of softmaxes) whose
    /// output is (None, classes) — what training needs (Keras computes categorical cross-entropy from its logits) and what ONNX
    /// export and prediction return as probabilities. The number of classes, or a model error naming the spec,
    /// <paramref name="purpose"/> and what its output is.
    /// </summary>
    public static Fin<int> OutputLayer(this Sequential spec, string purpose) =>
        from outputs in Shapes.Infer(spec)
        from classes in !spec.Layers.IsEmpty && outputs.Last.Count == 1 && spec.Layers.Last is
                            Dense { Activation: Activation.Softmax } or EnsembleHead
            ? FinSucc(spec.Classes().IfNone(0))
            : FinFail<int>(GenreError.Model($"{spec.Name}: {purpose} needs a final Dense(…, softmax) with output (None, classes), got " +
                                            (spec.Layers.IsEmpty ? "no layers" : $"{LayerKinds.Describe(spec.Layers.Last)} with output " +
                                             Shapes.Show(outputs.Last))))
        select classes;

    /// <summary>
    /// The spec predicts as many classes as <paramref name="genres"/>; else a model error naming <paramref name="origin"/>,
    /// both counts and <paramref name="hint"/> (what to do about it, if anything).
    /// </summary>
    public static Fin<Unit> PredictsClasses(this Sequential spec, int genres, string origin, string hint = "") =>
        spec.Classes() == Some(genres)
            ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model(
                $"{origin}: the model predicts {spec.Classes().Map(c => c.ToString()).IfNone("no")} classes but the data has {genres}" +
                hint));

    /// <summary>
    /// The one weight check: <paramref name="weights"/> are the spec's own — its weights in Keras order, each with the name and
    /// shape <see cref="WeightShapes"/> gives (a model error naming the layer, its type, the tensor and both shapes).
    /// </summary>
    public static Fin<Unit> CheckWeights(this Sequential spec, ModelWeights weights) =>
        WeightShapes.Of(spec).Bind(expected =>
        {
            var flat = weights.Layers.Bind(l => l.Tensors.Map(t => (l.LayerIndex, t))).ToArray();
            if (flat.Length != expected.Count)
                return GenreError.Model($"{spec.Name}: expected {expected.Count} weight tensors, got {flat.Length}");
            foreach (var (w, (layer, t)) in expected.Zip(flat))
                if (layer != w.LayerIndex || t.Name != w.Name || !t.Shape.SequenceEqual(w.Shape) || t.Values.Length != w.Size)
                    return GenreError.Model($"{spec.Name}: layer {w.LayerIndex} ({Shapes.LayerType(spec.Layers[w.LayerIndex])}) " +
                                            $"{w.Name}: expected ({string.Join(", ", w.Shape)}), got {GenreError.Show(t.Name)} " +
                                            $"({string.Join(", ", t.Shape)})");
            return FinSucc(unit);
        });
}
