
namespace Genre.Models;

/// <summary>Keras activation names (as in a layer's config).</summary>
public enum Activation
{
    /// <summary>Keras "linear": the identity.</summary>
    Linear,
    /// <summary>Keras "relu": max(0, x).</summary>
    Relu,
    /// <summary>Keras "softmax" over the last axis: exp(x) / Σ exp(x).</summary>
    Softmax,
    /// <summary>Keras "tanh".</summary>
    Tanh,
    /// <summary>Keras "sigmoid": 1 / (1 + exp(−x)).</summary>
    Sigmoid,
}

/// <summary>A Keras layer spec: a value, not a module. Backends turn specs into computation. Each concrete layer lives in
/// <c>Layers/</c> with its kind (see <see cref="LayerKinds"/>).</summary>
public abstract record Layer;

/// <summary>
/// keras.Sequential: an input shape without the batch axis (e.g. [15] or [15, 1]) and the layers in order.
/// </summary>
public sealed record Sequential(Seq<int> InputShape, Seq<Layer> Layers, string Name = "sequential");
