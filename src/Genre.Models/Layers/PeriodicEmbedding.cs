using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>
/// RealMLP's PBLD numerical embeddings (Holzmüller, Grinsztajn, Steinwart, "Better by Default: Strong Pre-Tuned MLPs and Boosted
/// Trees on Tabular Data", NeurIPS 2024; after Gorishniy, Rubachev, Babenko, "On Embeddings for Numerical Features in Tabular
/// Deep Learning", NeurIPS 2022): each input column x_j on its own through <paramref name="Frequencies"/> periodic features
/// cos(2π·w_j·x_j + b_j), a linear map of those to <paramref name="Width"/> values, and x_j itself kept beside them (the
/// "densenet" part), so (None, d) becomes (None, d·Width + d): the d embeddings column by column, then the d inputs.
/// Not a Keras layer: genre's own, stored in <c>model.json</c> like one.
/// </summary>
public sealed record PeriodicEmbedding(int Frequencies = 16, int Width = 3) : Layer;

/// <summary>PeriodicEmbedding: frequencies and phases (d, f), kernel (d, f, width), bias (d, width), on a flat input.</summary>
internal sealed class PeriodicEmbeddingKind : ILayerKind<PeriodicEmbedding>
{
    public static string ClassName => "PeriodicEmbedding";

    public static Seq<string> Problems(PeriodicEmbedding layer) =>
        LayerKinds.SizeProblems("frequencies", layer.Frequencies) + LayerKinds.SizeProblems("width", layer.Width);

    public static Fin<Seq<int>> Output(PeriodicEmbedding layer, Seq<int> input, string where) => input.Count == 1
        ? FinSucc(Seq1(input[0] * (layer.Width + 1)))
        : FinFail<Seq<int>>(GenreError.Model($"{where}: needs a flat input (None, features), got rank {input.Count + 1}"));

    public static Seq<WeightSpec> Weights(int index, PeriodicEmbedding layer, Seq<int> input) => Seq(
        new WeightSpec(index, "frequencies", Seq(input.Last, layer.Frequencies)),
        new WeightSpec(index, "phases", Seq(input.Last, layer.Frequencies)),
        new WeightSpec(index, "kernel", Seq(input.Last, layer.Frequencies, layer.Width)),
        new WeightSpec(index, "bias", Seq(input.Last, layer.Width)));

    public static JsonObject Config(PeriodicEmbedding layer) => new() { ["frequencies"] = layer.Frequencies, ["width"] = layer.Width };

    public static Fin<PeriodicEmbedding> Read(ILayerConfig config) =>
        from f in config.Int("frequencies")
        from w in config.Int("width")
        select new PeriodicEmbedding(f, w);

    public static Seq<string> ObjectPath(string weight) => Seq1(weight);

    public static string Describe(PeriodicEmbedding layer) => $"PeriodicEmbedding({layer.Frequencies}, {layer.Width})";
}
