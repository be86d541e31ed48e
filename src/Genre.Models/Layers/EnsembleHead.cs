using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>
/// TabM's output (see <see cref="EnsembleScale"/>): on (None, k, d), one softmax Dense head per member — member i's logits
/// h_i·kernel_i + bias_i — and the mean of the k members' probabilities as the model's output (None, classes). Training takes
/// the mean of the members' cross-entropies, each from its own logits, as the paper trains its members (not the loss of the
/// mean); accuracy, prediction and export take the mean of probabilities.
/// </summary>
public sealed record EnsembleHead(int Classes) : Layer;

/// <summary>EnsembleHead: kernel (k, d, classes) and bias (k, classes).</summary>
internal sealed class EnsembleHeadKind : ILayerKind<EnsembleHead>
{
    public static string ClassName => "EnsembleHead";

    public static Seq<string> Problems(EnsembleHead layer) => LayerKinds.SizeProblems("classes", layer.Classes);

    public static Fin<Seq<int>> Output(EnsembleHead layer, Seq<int> input, string where) => input.Count == 2
        ? FinSucc(Seq1(layer.Classes))
        : FinFail<Seq<int>>(GenreError.Model(
            $"{where}: needs the members' input (None, members, features) of an EnsembleScale, got rank {input.Count + 1}"));

    public static Seq<WeightSpec> Weights(int index, EnsembleHead layer, Seq<int> input) =>
        Seq(new WeightSpec(index, "kernel", Seq(input[0], input[1], layer.Classes)),
            new WeightSpec(index, "bias", Seq(input[0], layer.Classes)));

    public static JsonObject Config(EnsembleHead layer) => new() { ["classes"] = layer.Classes };

    public static Fin<EnsembleHead> Read(ILayerConfig config) => config.Int("classes").Map(c => new EnsembleHead(c));

    public static Seq<string> ObjectPath(string weight) => Seq1(weight);

    public static string Describe(EnsembleHead layer) => $"EnsembleHead({layer.Classes})";
}
