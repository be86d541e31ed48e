using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models.Onnx;

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

    /// <summary>
    /// ONNX's LSTM on the time-major input, with Keras' gates i, f, c, o reordered to ONNX's i, o, f, c and Keras' single bias as
    /// ONNX's input bias (see <see cref="OnnxExport.LstmWeights"/>); the output squeezed to (T, N, H) or (N, H).
    /// </summary>
    public static string Onnx(Lstm layer, string input, OnnxLayer at)
    {
        var (g, i, w) = (at.Graph, at.Index, at.Weights);
        var units = layer.Units;
        var inputs = w["kernel"].Shape[0];
        var (wOnnx, rOnnx, bOnnx) =
            OnnxExport.LstmWeights(w["kernel"].Values, w["recurrent_kernel"].Values, w["bias"].Values, inputs, units);
        var names = g.Outputs("LSTM", [input, g.Floats($"layer{i}_W", wOnnx, [1, 4 * units, inputs]),
            g.Floats($"layer{i}_R", rOnnx, [1, 4 * units, units]), g.Floats($"layer{i}_B", bOnnx, [1, 8 * units])], 2, hiddenSize: units);
        // Y: (T, 1, N, H); Y_h: (1, N, H)
        return layer.ReturnSequences
            ? g.Node("Squeeze", [names[0], g.Int64s($"layer{i}_axis", [1], [1])])
            : g.Node("Squeeze", [names[1], g.Int64s($"layer{i}_axis", [0], [1])]);
    }
}
