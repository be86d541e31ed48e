using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>
/// TabM's multiplicative adapter (Gorishniy, Kotelnikov, Babenko, "TabM: Advancing Tabular Deep Learning with
/// Parameter-Efficient Ensembling", ICLR 2025, arXiv:2410.24210): the input row repeated for <paramref name="Members"/> ensemble
/// members, member i's copy multiplied element-wise by its own vector r_i, so (None, d) becomes (None, k, d). The layers after
/// it act on the last axis and are shared by every member; with an <see cref="EnsembleHead"/> last this is the paper's
/// TabM-mini (only the first adapter is per member). Not a Keras layer: genre's own, stored in <c>model.json</c> like one.
/// </summary>
public sealed record EnsembleScale(int Members) : Layer;

/// <summary>EnsembleScale: r (members, d), on a flat input.</summary>
internal sealed class EnsembleScaleKind : ILayerKind<EnsembleScale>
{
    public static string ClassName => "EnsembleScale";

    public static Seq<string> Problems(EnsembleScale layer) => LayerKinds.SizeProblems("members", layer.Members);

    public static Fin<Seq<int>> Output(EnsembleScale layer, Seq<int> input, string where) => input.Count == 1
        ? FinSucc(Seq(layer.Members, input[0]))
        : FinFail<Seq<int>>(GenreError.Model($"{where}: needs a flat input (None, features), got rank {input.Count + 1}"));

    public static Seq<WeightSpec> Weights(int index, EnsembleScale layer, Seq<int> input) =>
        Seq1(new WeightSpec(index, "r", Seq(layer.Members, input.Last)));

    public static JsonObject Config(EnsembleScale layer) => new() { ["members"] = layer.Members };

    public static Fin<EnsembleScale> Read(ILayerConfig config) => config.Int("members").Map(k => new EnsembleScale(k));

    public static Seq<string> ObjectPath(string weight) => Seq1(weight);

    public static string Describe(EnsembleScale layer) => $"EnsembleScale({layer.Members})";
}
