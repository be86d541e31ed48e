namespace Genre.Eval;

/// <summary>
/// Two models' probabilities mixed, w·first + (1 − w)·second, with w the grid point of best validation accuracy (the
/// smallest such w on ties, so a blend is chosen over the second model alone only when it does better on validation).
/// </summary>
/// <param name="Weight">The first model's weight, chosen on validation.</param>
/// <param name="ValAccuracy">Validation accuracy at that weight.</param>
/// <param name="Grid">Every weight tried, with its validation accuracy.</param>
public sealed record Blend(double Weight, double ValAccuracy, Seq<(double Weight, double ValAccuracy)> Grid)
{
    /// <summary>The weights tried: 0, 0.05, …, 1.</summary>
    public static readonly Seq<double> Weights = Enumerable.Range(0, 21).Select(i => i / 20.0).ToSeq().Strict();

    /// <summary>Choose the weight on validation (rows × classes probabilities of each model, and the labels).</summary>
    public static Blend Choose(float[] firstVal, float[] secondVal, int[] labels, int classes)
    {
        var grid = Weights.Map(w =>
            (Weight: w, ValAccuracy: Metrics.Accuracy(labels, Metrics.Argmax(Mix(firstVal, secondVal, w), classes)))).Strict();
        var best = grid.Fold(grid.Head, (b, g) => g.ValAccuracy > b.ValAccuracy ? g : b);
        return new Blend(best.Weight, best.ValAccuracy, grid);
    }

    /// <summary>w·first + (1 − w)·second, element by element (in float32, as the models' outputs).</summary>
    public static float[] Mix(float[] first, float[] second, double weight)
    {
        if (first.Length != second.Length)
            throw new ArgumentException($"the two models gave {first.Length} and {second.Length} probabilities");
        var w = (float)weight;
        var mixed = new float[first.Length];
        for (var i = 0; i < mixed.Length; i++) mixed[i] = w * first[i] + (1 - w) * second[i];
        return mixed;
    }

    /// <summary>This blend applied to another pair (the test rows).</summary>
    public float[] Apply(float[] first, float[] second) => Mix(first, second, Weight);
}
