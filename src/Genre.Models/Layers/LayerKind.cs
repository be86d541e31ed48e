using System.Text.Json.Nodes;

namespace Genre.Models;

/// <summary>
/// Everything about one kind of layer that does not depend on a backend: its Keras class name, its checks, its output shape, its
/// weights, its config (as <c>model.json</c> and Keras store it) and where TF2 checkpoints keep its weights. Its TorchSharp code
/// (<c>TorchLayers</c>) and its ONNX nodes (<c>OnnxLayers</c>) live with their backend and file format.
/// One static class per kind implements it; <see cref="LayerKinds"/> lists them.
/// </summary>
internal interface ILayerKind<TLayer> where TLayer : Layer
{
    /// <summary>The Keras class name (<c>Dense</c>, <c>LSTM</c>, …): the <c>type</c> in <c>model.json</c>, the <c>class_name</c> in a
    /// Keras config, the summary's type column; lower-cased, Keras' automatic layer name.</summary>
    static abstract string ClassName { get; }

    /// <summary>What is wrong with the layer's own settings (none when it is valid), each without the layer's name.</summary>
    static abstract Seq<string> Problems(TLayer layer);

    /// <summary>The output shape for an <paramref name="input"/> shape (without the batch axis); a model error starting with
    /// <paramref name="where"/> when the layer cannot take that input.</summary>
    static abstract Fin<Seq<int>> Output(TLayer layer, Seq<int> input, string where);

    /// <summary>The weights of layer <paramref name="index"/> for an <paramref name="input"/> shape, in Keras' <c>model.weights</c>
    /// order.</summary>
    static abstract Seq<WeightSpec> Weights(int index, TLayer layer, Seq<int> input);

    /// <summary>The layer's settings as config members (Keras' names), without the <c>type</c>.</summary>
    static abstract JsonObject Config(TLayer layer);

    /// <summary>The layer from its config members, read through <paramref name="config"/> (which words the errors for its
    /// source).</summary>
    static abstract Fin<TLayer> Read(ILayerConfig config);

    /// <summary>The path from the layer's node to weight <paramref name="weight"/> in a TF2 checkpoint's object graph.</summary>
    static abstract Seq<string> ObjectPath(string weight);

    /// <summary>A short description, as Keras code would write the layer: <c>Dense(100, relu)</c>.</summary>
    static abstract string Describe(TLayer layer);
}

/// <summary>A layer's config members as one source stores them; a read fails with the source's own wording.</summary>
internal interface ILayerConfig
{
    /// <summary>A whole number.</summary>
    Fin<int> Int(string key);

    /// <summary>A number.</summary>
    Fin<double> Double(string key);

    /// <summary>true or false.</summary>
    Fin<bool> Bool(string key);

    /// <summary>true or false; <paramref name="absent"/> when the member is missing.</summary>
    Fin<bool> Bool(string key, bool absent);

    /// <summary>A whole number, or a list of them (a number is a list of one).</summary>
    Fin<Seq<int>> Ints(string key);

    /// <summary>The source's error for a member that was read but is not supported: <paramref name="what"/> says why.</summary>
    LanguageExt.Common.Error Invalid(string key, string what);

    /// <summary>An activation name.</summary>
    Fin<Activation> Activation(string key);
}

/// <summary>An <see cref="ILayerKind{TLayer}"/> for any <see cref="Layer"/>: what <see cref="LayerKinds"/> holds and layer-generic
/// code calls.</summary>
internal sealed record LayerKind(
    Type Type,
    string ClassName,
    Func<Layer, Seq<string>> Problems,
    Func<Layer, Seq<int>, string, Fin<Seq<int>>> Output,
    Func<int, Layer, Seq<int>, Seq<WeightSpec>> Weights,
    Func<Layer, JsonObject> Config,
    Func<ILayerConfig, Fin<Layer>> Read,
    Func<string, Seq<string>> ObjectPath,
    Func<Layer, string> Describe)
{
    /// <summary>The kind <typeparamref name="TKind"/> of layer <typeparamref name="TLayer"/>.</summary>
    public static LayerKind Of<TKind, TLayer>() where TKind : ILayerKind<TLayer> where TLayer : Layer =>
        new(typeof(TLayer), TKind.ClassName,
            l => TKind.Problems((TLayer)l),
            (l, input, where) => TKind.Output((TLayer)l, input, where),
            (index, l, input) => TKind.Weights(index, (TLayer)l, input),
            l => TKind.Config((TLayer)l),
            c => TKind.Read(c).Map(l => (Layer)l),
            TKind.ObjectPath,
            l => TKind.Describe((TLayer)l));
}
