using System.Text.Json.Nodes;

namespace Genre.Models;

/// <summary>keras.layers.Dropout(rate): inverted dropout, active only in training.</summary>
public sealed record Dropout(double Rate) : Layer;

/// <summary>Dropout: no weights, the shape unchanged.</summary>
internal sealed class DropoutKind : ILayerKind<Dropout>
{
    public static string ClassName => "Dropout";

    public static Seq<string> Problems(Dropout layer) =>
        layer.Rate >= 0 && layer.Rate < 1 ? Seq<string>() : Seq1($"rate must be in [0, 1), got {layer.Rate}");

    public static Fin<Seq<int>> Output(Dropout layer, Seq<int> input, string where) => FinSucc(input);

    public static Seq<WeightSpec> Weights(int index, Dropout layer, Seq<int> input) => Seq<WeightSpec>();

    public static JsonObject Config(Dropout layer) => new() { ["rate"] = layer.Rate };

    public static Fin<Dropout> Read(ILayerConfig config) => config.Double("rate").Map(rate => new Dropout(rate));

    public static Seq<string> ObjectPath(string weight) => Seq1(weight);

    public static string Describe(Dropout layer) => $"Dropout({layer.Rate})";
}
