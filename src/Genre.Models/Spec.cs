
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
    /// <summary>Keras "selu": λ·x for x &gt; 0, λ·α·(exp(x) − 1) otherwise (λ ≈ 1.0507, α ≈ 1.6733; Klambauer et al.
    /// 2017).</summary>
    Selu,
}

/// <summary>One row of the activation table: the activation, its name (Keras' and <c>model.json</c>'s), its ONNX operator (None
/// for the identity).</summary>
public sealed record ActivationInfo(Activation Activation, string Name, Option<string> OnnxOp);

/// <summary>
/// The activation table: every activation's names in one place, read by <c>model.json</c>, the Keras import, summaries and the
/// ONNX export (the TorchSharp ops are the backend's, <c>DenseTorch</c>).
/// </summary>
public static class Activations
{
    /// <summary>Every activation, one row each.</summary>
    public static readonly Seq<ActivationInfo> All = Seq(
        new ActivationInfo(Activation.Linear, "linear", None),
        new ActivationInfo(Activation.Relu, "relu", "Relu"),
        new ActivationInfo(Activation.Softmax, "softmax", "Softmax"),
        new ActivationInfo(Activation.Tanh, "tanh", "Tanh"),
        new ActivationInfo(Activation.Sigmoid, "sigmoid", "Sigmoid"),
        new ActivationInfo(Activation.Selu, "selu", "Selu"));

    /// <summary>The row of <paramref name="activation"/> (every value of the enum has one; a test checks it).</summary>
    public static ActivationInfo Of(Activation activation) =>
        All.Find(a => a.Activation == activation).IfNone(() => throw new ArgumentOutOfRangeException(nameof(activation)));

    /// <summary>The activation a name stands for, in any letter case (<c>relu</c>, <c>ReLU</c>); None for an unknown name.</summary>
    public static Option<Activation> Parse(string name) =>
        All.Find(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Map(a => a.Activation);
}

/// <summary>A Keras layer spec: a value, not a module. Backends turn specs into computation. Each concrete layer lives in
/// <c>Layers/</c> with its kind (see <see cref="LayerKinds"/>).</summary>
public abstract record Layer;

/// <summary>
/// keras.Sequential: an input shape without the batch axis (e.g. [15] or [15, 1]) and the layers in order.
/// </summary>
public sealed record Sequential(Seq<int> InputShape, Seq<Layer> Layers, string Name = "sequential");
