using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>
/// The layer kinds the library knows, one module each, and the lookups every layer-generic place goes through (shapes, weights,
/// validation, <c>model.json</c>, Keras import, summary, ONNX export).
/// <para>To add a layer:</para>
/// <list type="number">
/// <item>In <c>Layers/</c>, one file with the spec record (a sealed record deriving from <see cref="Layer"/>) and its kind, a static
/// class implementing <c>ILayerKind&lt;TLayer&gt;</c> (class name, checks, output shape, weights in Keras order, config read/write
/// with Keras' member names, checkpoint object path, description).</item>
/// <item>List the kind in <see cref="All"/> below.</item>
/// <item>Its TorchSharp code: one file in <c>Backend/Torch/</c> implementing <c>ITorchLayer&lt;TLayer&gt;</c> (initial weights,
/// training and inference forward, prediction step, activation width, whether training needs the whole batch), listed in
/// <c>TorchLayers.All</c>.</item>
/// <item>Its ONNX nodes: a class in <c>Onnx/OnnxLayers.cs</c> implementing <c>IOnnxLayer&lt;TLayer&gt;</c>, listed in
/// <c>OnnxLayers.All</c>.</item>
/// </list>
/// <c>Layers/BatchNormalization.cs</c> with <c>Backend/Torch/BatchNormalizationTorch.cs</c> is a complete example: weights that
/// training updates without gradients are <see cref="WeightSpec.Trainable"/> false.
/// Tests fail while either list misses a concrete <see cref="Layer"/> type.
/// </summary>
public static class LayerKinds
{
    /// <summary>Every kind, explicitly: no reflection, nothing registered at run time.</summary>
    internal static readonly Seq<LayerKind> All = Seq(
        LayerKind.Of<DenseKind, Dense>(),
        LayerKind.Of<LstmKind, Lstm>(),
        LayerKind.Of<DropoutKind, Dropout>(),
        LayerKind.Of<BatchNormalizationKind, BatchNormalization>(),
        LayerKind.Of<EnsembleScaleKind, EnsembleScale>(),
        LayerKind.Of<EnsembleHeadKind, EnsembleHead>(),
        LayerKind.Of<PeriodicEmbeddingKind, PeriodicEmbedding>());

    /// <summary>The kind of <paramref name="layer"/>; None for a <see cref="Layer"/> type no kind describes.</summary>
    internal static Option<LayerKind> Find(Layer layer) => All.Find(k => k.Type == layer.GetType());

    /// <summary>The kind of <paramref name="layer"/>, for layers of a validated spec (an unknown type fails validation).</summary>
    internal static LayerKind Of(Layer layer) => Find(layer).IfNone(() => throw new ArgumentException($"unknown layer {layer}"));

    /// <summary>The kind whose Keras class name is <paramref name="className"/>.</summary>
    internal static Option<LayerKind> Named(string className) => All.Find(k => k.ClassName == className);

    /// <summary>The Keras class name of a layer (<c>Dense</c>, <c>LSTM</c>, …); its .NET type name when no kind describes it.</summary>
    public static string ClassName(Layer layer) => Find(layer).Map(k => k.ClassName).IfNone(layer.GetType().Name);

    /// <summary>The layer as Keras code would write it (<c>Dense(100, relu)</c>, <c>LSTM(80, sequences)</c>, <c>Dropout(0.2)</c>);
    /// its .NET type name when no kind describes it.</summary>
    public static string Describe(Layer layer) => Find(layer).Map(k => k.Describe(layer)).IfNone(layer.GetType().Name);

    /// <summary>The problems of a layer size: not positive, or above <see cref="SpecValidation.MaxSize"/>.</summary>
    internal static Seq<string> SizeProblems(string what, int size) =>
        size <= 0 ? Seq1($"{what} must be > 0, got {size}")
        : size > SpecValidation.MaxSize ? Seq1($"{what} must be at most {SpecValidation.MaxSize:N0}")
        : Seq<string>();

    /// <summary>A whole number as a list of one, or a list of whole numbers.</summary>
    internal static Option<Seq<int>> Ints(JsonNode node) =>
        Json.Int(node).Match(
            i => Some(Seq1(i)),
            () => Json.Array(node).Bind(a => a.Select(Json.Int).ToSeq().Sequence()).Map(s => s.Strict()));

    /// <summary>Keras' lower-case name of an activation (<c>relu</c>).</summary>
    internal static string Name(Activation activation) => Activations.Of(activation).Name;
}
