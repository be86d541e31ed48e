using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>
/// keras.layers.BatchNormalization(axis, momentum, epsilon) on the last axis, with gamma and beta (center and scale on): in
/// training, y = γ·(x − μ_B)/√(σ²_B + ε) + β with the batch's mean and biased variance over every other axis, and the moving
/// statistics updated as moving ← moving·momentum + batch·(1 − momentum); at inference the moving statistics stand in for the
/// batch's. <paramref name="Axis"/> counts the batch axis as Keras does: −1, or the input's rank (1 for (None, 15)).
/// </summary>
public sealed record BatchNormalization(int Axis = -1, double Momentum = 0.99, double Epsilon = 1e-3) : Layer;

/// <summary>BatchNormalization: gamma and beta (trainable), moving_mean and moving_variance (not trained, updated in training),
/// each of the last axis' size.</summary>
internal sealed class BatchNormalizationKind : ILayerKind<BatchNormalization>
{
    public static string ClassName => "BatchNormalization";

    public static Seq<string> Problems(BatchNormalization layer) =>
        (layer.Momentum is >= 0 and <= 1 ? Seq<string>() : Seq1($"momentum must be in [0, 1], got {layer.Momentum}"))
        .Concat(layer.Epsilon > 0 && double.IsFinite(layer.Epsilon) ? Seq<string>() : Seq1($"epsilon must be > 0, got {layer.Epsilon}"))
        .Strict();

    public static Fin<Seq<int>> Output(BatchNormalization layer, Seq<int> input, string where) =>
        !input.IsEmpty && (layer.Axis == -1 || layer.Axis == input.Count)
            ? FinSucc(input)
            : FinFail<Seq<int>>(GenreError.Model(input.IsEmpty
                ? $"{where}: needs an input of rank ≥ 1"
                : $"{where}: normalizes the last axis only (−1 or {input.Count}), got axis {layer.Axis}"));

    public static Seq<WeightSpec> Weights(int index, BatchNormalization layer, Seq<int> input) =>
        Seq(new WeightSpec(index, "gamma", Seq1(input.Last)),
            new WeightSpec(index, "beta", Seq1(input.Last)),
            new WeightSpec(index, "moving_mean", Seq1(input.Last), Trainable: false),
            new WeightSpec(index, "moving_variance", Seq1(input.Last), Trainable: false));

    public static JsonObject Config(BatchNormalization layer) =>
        new() { ["axis"] = layer.Axis, ["momentum"] = layer.Momentum, ["epsilon"] = layer.Epsilon };

    /// <summary>Keras writes the axis as a list after building the layer ([1] for a (None, 15) input); center and scale, when
    /// present, must be on.</summary>
    public static Fin<BatchNormalization> Read(ILayerConfig config) =>
        from axes in config.Ints("axis")
        from axis in axes.Count == 1 ? FinSucc(axes[0]) : FinFail<int>(config.Invalid("axis", "must be one axis"))
        from momentum in config.Double("momentum")
        from epsilon in config.Double("epsilon")
        from center in config.Bool("center", true)
        from scale in config.Bool("scale", true)
        from _ in center && scale ? FinSucc(unit) : FinFail<Unit>(config.Invalid(center ? "scale" : "center", "must be true"))
        select new BatchNormalization(axis, momentum, epsilon);

    public static Seq<string> ObjectPath(string weight) => Seq1(weight);

    public static string Describe(BatchNormalization layer) =>
        $"BatchNormalization({(layer.Axis == -1 ? "" : $"axis={layer.Axis}, ")}momentum={layer.Momentum}, epsilon={layer.Epsilon})";
}
