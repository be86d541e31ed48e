
namespace Genre.Models;

/// <summary>The name and shape of one weight tensor in Keras layout; <paramref name="Trainable"/> is false for state that
/// training updates without gradients (BatchNormalization's moving statistics).</summary>
public sealed record WeightSpec(int LayerIndex, string Name, Seq<int> Shape, bool Trainable = true)
{
    /// <summary>Number of values: the product of the shape's sizes.</summary>
    public long Size => Shape.Fold(1L, (a, b) => a * b);
}

/// <summary>Which weights each layer owns (Keras <c>model.weights</c> order) and how many parameters that is.</summary>
public static class WeightShapes
{
    /// <summary>
    /// The weights of layer <paramref name="index"/> given its <paramref name="input"/> shape, as its kind lists them (e.g. Dense
    /// kernel (in, units) and bias; LSTM kernel (in, 4·units), recurrent_kernel (units, 4·units) and bias (4·units), gates in Keras'
    /// i, f, c, o order; none for Dropout); none for a layer no kind describes.
    /// </summary>
    public static Seq<WeightSpec> Of(int index, Layer layer, Seq<int> input) =>
        LayerKinds.Find(layer).Map(kind => kind.Weights(index, layer, input)).IfNone(Seq<WeightSpec>());

    /// <summary>All weights of the model in Keras order (layer by layer).</summary>
    public static Fin<Seq<WeightSpec>> Of(Sequential model) =>
        Shapes.Inputs(model).Map(inputs => toSeq(Enumerable.Range(0, model.Layers.Count).SelectMany(i => Of(i, model.Layers[i], inputs[i])))
            .Strict());

    /// <summary>Number of weights of the model, summed over <see cref="Of(Sequential)"/>; 0 when its shapes do not chain.</summary>
    public static long ParamCount(Sequential model) => Of(model).Map(ws => ws.Sum(w => w.Size)).IfFail(0L);
}
