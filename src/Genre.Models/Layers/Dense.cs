using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models.Onnx;

namespace Genre.Models;

/// <summary>keras.layers.Dense(units, activation): kernel glorot_uniform, bias zeros. Applies to the last axis.</summary>
public sealed record Dense(int Units, Activation Activation = Activation.Linear) : Layer;

/// <summary>Dense: kernel (in, units) and bias (units) on the last axis.</summary>
internal sealed class DenseKind : ILayerKind<Dense>
{
    public static string ClassName => "Dense";

    public static Seq<string> Problems(Dense layer) => LayerKinds.SizeProblems("units", layer.Units);

    public static Fin<Seq<int>> Output(Dense layer, Seq<int> input, string where) => input.IsEmpty
        ? FinFail<Seq<int>>(GenreError.Model($"{where}: needs an input of rank ≥ 1"))
        : FinSucc(input.Take(input.Count - 1).ToSeq().Add(layer.Units));

    public static Seq<WeightSpec> Weights(int index, Dense layer, Seq<int> input) =>
        Seq(new WeightSpec(index, "kernel", Seq(input.Last, layer.Units)), new WeightSpec(index, "bias", Seq1(layer.Units)));

    public static JsonObject Config(Dense layer) => new() { ["units"] = layer.Units, ["activation"] = LayerKinds.Name(layer.Activation) };

    public static Fin<Dense> Read(ILayerConfig config) =>
        from units in config.Int("units")
        from activation in config.Activation("activation")
        select new Dense(units, activation);

    public static Seq<string> ObjectPath(string weight) => Seq1(weight);

    public static string Describe(Dense layer) => $"Dense({layer.Units}, {LayerKinds.Name(layer.Activation)})";

    /// <summary>MatMul + Add (per time step on a time-major sequence), then the activation.</summary>
    public static string Onnx(Dense layer, string input, OnnxLayer at)
    {
        var (g, i, w) = (at.Graph, at.Index, at.Weights);
        var h = g.Node("MatMul", [input, g.Floats($"layer{i}_kernel", w["kernel"].Values, w["kernel"].Shape.Map(x => (long)x).ToArray())]);
        h = g.Node("Add", [h, g.Floats($"layer{i}_bias", w["bias"].Values, [layer.Units])]);
        return layer.Activation switch
        {
            Activation.Relu => g.Node("Relu", [h]),
            Activation.Tanh => g.Node("Tanh", [h]),
            Activation.Sigmoid => g.Node("Sigmoid", [h]),
            Activation.Softmax => g.Node("Softmax", [h], at.Output, axis: -1),
            _ => h,
        };
    }
}
