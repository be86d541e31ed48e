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

/// <summary>
/// Several models' probabilities mixed, Σ wₖ·modelₖ, with the weights the point of a grid over the simplex (steps of 1/20, every
/// weight ≥ 0, summing to 1) of best validation accuracy. Ties go to the point listed first, the grid listed by the first
/// model's weight from 1 down, then the second's, and so on: a blend is chosen over the first model alone only when it does
/// better on validation.
/// </summary>
/// <param name="Weights">Each model's weight, chosen on validation.</param>
/// <param name="ValAccuracy">Validation accuracy at those weights.</param>
/// <param name="Points">How many grid points were tried.</param>
public sealed record WeightedBlend(Seq<double> Weights, double ValAccuracy, int Points)
{
    /// <summary>Grid steps per unit weight (0.05).</summary>
    public const int Steps = 20;

    /// <summary>Every point of the grid for <paramref name="models"/> models, in the tie-breaking order.</summary>
    public static Seq<Seq<double>> Grid(int models) =>
        Compositions(Steps, models).Map(c => c.Map(k => k / (double)Steps).Strict()).Strict();

    /// <summary>Every way to write <paramref name="total"/> as <paramref name="parts"/> ordered non-negative parts, the first part
    /// from largest to smallest.</summary>
    static Seq<Seq<int>> Compositions(int total, int parts) => parts == 1
        ? Seq1(Seq1(total))
        : Enumerable.Range(0, total + 1).Select(k => total - k).ToSeq()
            .Bind(first => Compositions(total - first, parts - 1).Map(rest => first.Cons(rest).Strict())).Strict();

    /// <summary>Choose the weights on validation (rows × classes probabilities of each model, and the labels).</summary>
    public static WeightedBlend Choose(Seq<float[]> val, int[] labels, int classes)
    {
        var grid = Grid(val.Count);
        var scored = grid.Map(w => (Weights: w, ValAccuracy: Metrics.Accuracy(labels, Metrics.Argmax(Mix(val, w), classes)))).Strict();
        var best = scored.Fold(scored.Head, (b, g) => g.ValAccuracy > b.ValAccuracy ? g : b);
        return new WeightedBlend(best.Weights, best.ValAccuracy, grid.Count);
    }

    /// <summary>Σ wₖ·modelₖ element by element, in float32 as the models' outputs, summed in the models' order.</summary>
    public static float[] Mix(Seq<float[]> models, Seq<double> weights)
    {
        if (models.Count != weights.Count || models.Exists(m => m.Length != models.Head.Length))
            throw new ArgumentException("a blend needs one weight per model and the same number of probabilities from each");
        var mixed = new float[models.Head.Length];
        foreach (var (m, w) in models.Zip(weights))
        {
            var f = (float)w;
            if (f == 0) continue;
            for (var i = 0; i < mixed.Length; i++) mixed[i] += f * m[i];
        }
        return mixed;
    }

    /// <summary>This blend applied to the same models' probabilities on other rows (the test rows).</summary>
    public float[] Apply(Seq<float[]> models) => Mix(models, Weights);

    /// <summary>Same weights, validation accuracy and number of grid points.</summary>
    public bool Equals(WeightedBlend? other) =>
        other is not null && Weights == other.Weights && ValAccuracy.Equals(other.ValAccuracy) && Points == other.Points;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Weights, ValAccuracy, Points);
}
