using Genre.Data;

namespace Genre.Models;

/// <summary>Keras shape inference for <see cref="Sequential"/> (shapes without the batch axis).</summary>
public static class Shapes
{
    /// <summary>Keras' way of printing a shape with its batch axis: <c>(None, 15, 1)</c>.</summary>
    public static string Show(Seq<int> shape) => "(None, " + string.Join(", ", shape) + ")";

    static string Describe(int index, Layer layer) => $"layer {index} ({LayerType(layer)})";

    /// <summary>The Keras class name of a layer (<c>Dense</c>, <c>LSTM</c>, …): <see cref="LayerKinds.ClassName"/>.</summary>
    public static string LayerType(Layer layer) => LayerKinds.ClassName(layer);

    /// <summary>The output shape of one layer given its input shape.</summary>
    public static Fin<Seq<int>> Output(int index, Layer layer, Seq<int> input) =>
        LayerKinds.Find(layer).Match(
            kind => kind.Output(layer, input, Describe(index, layer)),
            () => FinFail<Seq<int>>(GenreError.Model($"{Describe(index, layer)}: unsupported layer")));

    /// <summary>Output shape of every layer, in order.</summary>
    public static Fin<Seq<Seq<int>>> Infer(Sequential model)
    {
        var shapes = Seq<Seq<int>>();
        var current = model.InputShape;
        for (var i = 0; i < model.Layers.Count; i++)
        {
            var next = Output(i, model.Layers[i], current);
            if (next.IsFail) return next.Map(_ => shapes);
            current = (Seq<int>)next;
            shapes = shapes.Add(current);
        }
        return shapes;
    }

    /// <summary>The input shape each layer sees.</summary>
    public static Fin<Seq<Seq<int>>> Inputs(Sequential model) =>
        Infer(model).Map(outs => Seq1(model.InputShape).Concat(outs.Take(outs.Count - 1)).Strict());

    /// <summary>Values per row for an input of this shape (the product of its sizes): 15 for both (15) and (15, 1).</summary>
    public static int Features(Seq<int> shape) => shape.Fold(1, (a, b) => a * b);
}
