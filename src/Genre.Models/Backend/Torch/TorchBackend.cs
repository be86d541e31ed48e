using Genre.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// The TorchSharp (libtorch CPU) backend. Creating one changes nothing outside it: the thread count and native tuning are the
/// host's, set once with <see cref="TorchRuntime.Configure"/>; each model draws its randomness from its own seeded generators
/// (initial weights from the compile seed, dropout and shuffles from the training seed), never from torch's global one. Its
/// <paramref name="chunking"/> (default <see cref="LaneChunking.Default"/>) is how every model's LSTM lanes cut rows: results
/// depend on it in the last bits, never on the thread count.
/// </summary>
public sealed class TorchBackend(LaneChunking? chunking = null) : IBackend
{
    /// <summary>How the models of this backend cut rows into lanes.</summary>
    public LaneChunking Chunking { get; } = chunking ?? LaneChunking.Default;

    /// <inheritdoc />
    public Fin<ICompiledModel> Compile(Sequential spec, int seed) =>
        from valid in Checked(spec)
        from weights in WeightShapes.Of(valid)
        select (ICompiledModel)Build(valid, weights, seed);

    TorchModel Build(Sequential spec, Seq<WeightSpec> weights, int seed)
    {
        using var g = new Generator((ulong)seed);
        using var scope = NewDisposeScope(); // keeps every temporary alive until the parameters are made (see Scalars)
        return new TorchModel(spec, weights, KerasInit.Initial(weights, spec, g), Chunking);
    }

    /// <inheritdoc />
    public Fin<ICompiledModel> Load(Sequential spec, ModelWeights weights) =>
        from valid in Checked(spec)
        from expected in WeightShapes.Of(valid)
        from _ in CheckWeights(valid, expected, weights)
        select (ICompiledModel)WithWeights(valid, expected, weights);

    TorchModel WithWeights(Sequential spec, Seq<WeightSpec> expected, ModelWeights weights)
    {
        var flat = weights.Layers.Bind(l => l.Tensors).ToArray();
        using var scope = NewDisposeScope();
        return new TorchModel(spec, expected, flat.Select(t => tensor(t.Values, t.Shape.Map(d => (long)d).ToArray())), Chunking);
    }

    /// <summary>Training needs a final Dense softmax (Keras computes the loss from its logits).</summary>
    static Fin<Sequential> Checked(Sequential spec) =>
        SpecValidation.ValidateFin(spec).Bind(s => s.Layers.Last is Dense { Activation: Activation.Softmax }
            ? FinSucc(s)
            : FinFail<Sequential>(GenreError.Model($"{s.Name}: the last layer must be Dense(…, softmax) for categorical cross-entropy")));

    static Fin<Unit> CheckWeights(Sequential spec, Seq<WeightSpec> expected, ModelWeights weights)
    {
        var flat = weights.Layers.Bind(l => l.Tensors.Map(t => (l.LayerIndex, t))).ToArray();
        if (flat.Length != expected.Count) return GenreError.Model($"{spec.Name}: expected {expected.Count} weight tensors, got {flat.Length}");
        foreach (var (w, (layer, t)) in expected.Zip(flat))
            if (layer != w.LayerIndex || t.Name != w.Name || !t.Shape.SequenceEqual(w.Shape) || t.Values.Length != w.Size)
                return GenreError.Model($"{spec.Name}: layer {w.LayerIndex} ({Shapes.LayerType(spec.Layers[w.LayerIndex])}) {w.Name}: expected ({string.Join(", ", w.Shape)}), got {t.Name} ({string.Join(", ", t.Shape)})");
        return unit;
    }
}
