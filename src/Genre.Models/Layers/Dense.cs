using System.Text.Json.Nodes;
using Genre.Data;

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
}
