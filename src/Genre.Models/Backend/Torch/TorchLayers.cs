namespace Genre.Models.Backend.Torch;

/// <summary>
/// The TorchSharp code of every layer kind (see <see cref="LayerKinds"/> for adding a layer): to add one, write a static class
/// implementing <see cref="ITorchLayer{TLayer}"/> and list it in <see cref="All"/>.
/// </summary>
internal static class TorchLayers
{
    /// <summary>Every kind's TorchSharp code, explicitly.</summary>
    public static readonly Seq<TorchLayer> All = Seq(
        TorchLayer.Of<DenseTorch, Dense>(),
        TorchLayer.Of<LstmTorch, Lstm>(),
        TorchLayer.Of<DropoutTorch, Dropout>(),
        TorchLayer.Of<BatchNormalizationTorch, BatchNormalization>(),
        TorchLayer.Of<EnsembleScaleTorch, EnsembleScale>(),
        TorchLayer.Of<EnsembleHeadTorch, EnsembleHead>(),
        TorchLayer.Of<PeriodicEmbeddingTorch, PeriodicEmbedding>());

    /// <summary>The TorchSharp code of <paramref name="layer"/>'s kind (layers of a validated spec always have one).</summary>
    public static TorchLayer Of(Layer layer) =>
        All.Find(k => k.Type == layer.GetType()).IfNone(() => throw new ArgumentException($"no TorchSharp code for layer {layer}"));

    /// <summary>The flat parameters <paramref name="p"/> (Keras order) cut into each layer's weights.</summary>
    public static IReadOnlyList<T>[] PerLayer<T>(Sequential spec, IReadOnlyList<T> p)
    {
        var counts = WeightShapes.Of(spec).Map(ws => ws.GroupBy(w => w.LayerIndex).ToDictionary(g => g.Key, g => g.Count()))
            .IfFail(e => throw new ArgumentException(e.Message));
        var layers = new IReadOnlyList<T>[spec.Layers.Count];
        var k = 0;
        for (var i = 0; i < layers.Length; i++)
        {
            var n = counts.GetValueOrDefault(i);
            layers[i] = p.Skip(k).Take(n).ToArray();
            k += n;
        }
        return layers;
    }
}
