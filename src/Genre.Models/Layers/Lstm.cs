using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>keras.layers.LSTM(units, return_sequences): tanh / sigmoid, gates i,f,c,o, unit_forget_bias.</summary>
public sealed record Lstm(int Units, bool ReturnSequences = false) : Layer;

/// <summary>
/// LSTM over (timesteps, features): kernel (in, 4·units), recurrent_kernel (units, 4·units) and bias (4·units), gates in Keras'
/// i, f, c, o order; the weights belong to the layer's cell.
/// </summary>
internal sealed class LstmKind : ILayerKind<Lstm>
{
    public static string ClassName => "LSTM";

    public static Seq<string> Problems(Lstm layer) => LayerKinds.SizeProblems("units", layer.Units);

    public static Fin<Seq<int>> Output(Lstm layer, Seq<int> input, string where) => input.Count != 2
        ? FinFail<Seq<int>>(GenreError.Model($"{where}: expects (timesteps, features), got ({string.Join(", ", input)})"))
        : FinSucc(layer.ReturnSequences ? Seq(input[0], layer.Units) : Seq1(layer.Units));

    public static Seq<WeightSpec> Weights(int index, Lstm layer, Seq<int> input) =>
        Seq(new WeightSpec(index, "kernel", Seq(input.Last, 4 * layer.Units)),
            new WeightSpec(index, "recurrent_kernel", Seq(layer.Units, 4 * layer.Units)),
            new WeightSpec(index, "bias", Seq1(4 * layer.Units)));

    public static JsonObject Config(Lstm layer) => new() { ["units"] = layer.Units, ["return_sequences"] = layer.ReturnSequences };

    public static Fin<Lstm> Read(ILayerConfig config) =>
        from units in config.Int("units")
        from sequences in config.Bool("return_sequences")
        select new Lstm(units, sequences);

    public static Seq<string> ObjectPath(string weight) => Seq("cell", weight);

    public static string Describe(Lstm layer) => $"LSTM({layer.Units}{(layer.ReturnSequences ? ", sequences" : "")})";
}
