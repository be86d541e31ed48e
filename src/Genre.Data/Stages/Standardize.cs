using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// scikit-learn's <c>StandardScaler()</c> on every column of its input: (x − mean_) / scale_, with the population variance and a
/// constant column's scale 1 (<c>_is_constant_feature</c>, <c>_handle_zeros_in_scale</c>). NaN values are left out of the fit and stay NaN.
/// </summary>
public sealed record Standardize : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "standardize";
    /// <inheritdoc/>
    public override string Kind => KindName;
    /// <inheritdoc/>
    public override JsonObject Config() => new() { ["with_mean"] = true, ["with_std"] = true };

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) =>
        ColumnWise.ForFit(train, Where).Map(cols =>
        {
            var mean = cols.Map(c => Mean(c.Values)).ToArray();
            var scale = cols.Select((c, i) => Scale(c.Values, mean[i])).ToArray();
            return (FittedStage)new Fitted(cols.Map(c => c.Name).Strict(), mean, scale);
        });

    static double Mean(double[] v)
    {
        double sum = 0; var n = 0;
        foreach (var x in v) if (!double.IsNaN(x)) { sum += x; n++; }
        return n == 0 ? double.NaN : sum / n;
    }

    static double Scale(double[] v, double mean)
    {
        double sum = 0; var n = 0;
        foreach (var x in v) if (!double.IsNaN(x)) { sum += (x - mean) * (x - mean); n++; }
        if (n == 0) return 1;
        var variance = sum / n;
        // scikit-learn's _is_constant_feature: a variance within the two-pass algorithm's rounding error of zero is a constant
        // column (scale 1); a tiny variance of tiny values is not
        var bound = n * MachineEpsilon * variance + Math.Pow(n * mean * MachineEpsilon, 2);
        return variance <= bound || double.IsNaN(variance) ? 1 : Math.Sqrt(variance);
    }

    /// <summary>numpy's <c>finfo(float64).eps</c>, 2⁻⁵²; .NET's <c>double.Epsilon</c> is the smallest subnormal instead.</summary>
    const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>The columns it was fitted on with their means and scales (standard deviations, 1 for a constant column).</summary>
    public sealed record Fitted(Seq<string> Columns, double[] Mean, double[] Scale) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => new Standardize();

        /// <inheritdoc/>
        public override JsonObject State() => new()
        {
            ["columns"] = StageJson.ToJson(Columns),
            ["mean"] = StageJson.ToJson(Mean),
            ["scale"] = StageJson.ToJson(Scale),
        };

        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) =>
            ColumnWise.Map(input, Columns, Declared.Where, (c, v) => FinSucc(ColumnWise.Each(v, x => (x - Mean[c]) / Scale[c])));

        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => ColumnWise.SameNames(input, Columns, Declared.Where);

        /// <summary>Same columns, means and scales (records would compare the arrays by reference).</summary>
        public bool Equals(Fitted? other) =>
            other is not null && Columns == other.Columns && ArrayValues.Equal(Mean, other.Mean) && ArrayValues.Equal(Scale, other.Scale);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(Columns, ArrayValues.Hash(Mean), ArrayValues.Hash(Scale));
    }

    static Fin<FittedStage> Read(JsonObject s, string at) =>
        from columns in StageJson.Texts(s, "columns", at)
        from mean in StageJson.Numbers(s, "mean", at)
        from scale in StageJson.Numbers(s, "scale", at)
        from _ in mean.Length == columns.Count && scale.Length == columns.Count && scale.All(x => x > 0)
            ? FinSucc(unit) : FinFail<Unit>(GenreError.Model($"{at}: mean and scale must hold a number per column, scales > 0"))
        select (FittedStage)new Fitted(columns, mean, scale);

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, _) => StageJson.Only(c, Seq("with_mean", "with_std"), w).Map(_ => (Stage)new Standardize()),
        (_, s, w, _) => Read(s, w));
}
