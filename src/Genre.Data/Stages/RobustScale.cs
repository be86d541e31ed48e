using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// RealMLP's robust scaling (Holzmüller, Grinsztajn, Steinwart, "Better by Default: Strong Pre-Tuned MLPs and Boosted Trees on
/// Tabular Data", NeurIPS 2024; pytabkit's <c>median_center</c> then <c>robust_scale</c>) on every column of its input:
/// (x − median) · f, with f = 1 / (q₇₅ − q₂₅), or 1 / (½ (max − min)) where the quartiles tie, and 0 for a constant column.
/// Quantiles are numpy's linear ones; NaN values are left out of the fit and stay NaN.
/// </summary>
public sealed record RobustScale : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "robust-scale";
    /// <inheritdoc/>
    public override string Kind => KindName;
    /// <inheritdoc/>
    public override JsonObject Config() => new();

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) =>
        from cols in ColumnWise.ForFit(train, Where)
        from _ in cols.Find(c => c.Values.All(double.IsNaN)).Case is NumericColumn nan
            ? FinFail<Unit>(GenreError.Data($"{Where}: column '{nan.Name}' has no numbers to fit (all NaN)")) : FinSucc(unit)
        let sorted = cols.Map(c => Sorted(c.Values)).ToArray()
        select (FittedStage)new Fitted(cols.Map(c => c.Name).Strict(),
            sorted.Select(s => NumpyQuantile.Of(s, 0.5)).ToArray(), sorted.Select(Factor).ToArray());

    static double[] Sorted(double[] v)
    {
        var s = v.Where(x => !double.IsNaN(x)).ToArray();
        System.Array.Sort(s);
        return s;
    }

    /// <summary>pytabkit's factor: 1 / (spread + 1e-30), the spread the interquartile range or half the range where that is 0,
    /// and 0 when both are (the column carries nothing, so it is zeroed rather than divided by 0).</summary>
    static double Factor(double[] sorted)
    {
        var spread = NumpyQuantile.Of(sorted, 0.75) - NumpyQuantile.Of(sorted, 0.25);
        if (spread == 0) spread = 0.5 * (sorted[^1] - sorted[0]);
        return spread == 0 ? 0 : 1 / (spread + 1e-30);
    }

    /// <summary>The columns it was fitted on, their medians and factors.</summary>
    public sealed record Fitted(Seq<string> Columns, double[] Median, double[] Factor) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => new RobustScale();

        /// <inheritdoc/>
        public override JsonObject State() => new()
        {
            ["columns"] = StageJson.ToJson(Columns),
            ["median"] = StageJson.ToJson(Median),
            ["factor"] = StageJson.ToJson(Factor),
        };

        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) =>
            ColumnWise.Map(input, Columns, Declared.Where, (c, v) => FinSucc(ColumnWise.Each(v, x => (x - Median[c]) * Factor[c])));

        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => ColumnWise.SameNames(input, Columns, Declared.Where);

        /// <summary>Same columns, medians and factors (records would compare the arrays by reference).</summary>
        public bool Equals(Fitted? other) => other is not null && Columns == other.Columns &&
            ArrayValues.Equal(Median, other.Median) && ArrayValues.Equal(Factor, other.Factor);

        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(Columns, ArrayValues.Hash(Median), ArrayValues.Hash(Factor));
    }

    static Fin<FittedStage> Read(JsonObject s, string at) =>
        from columns in StageJson.Texts(s, "columns", at)
        from median in StageJson.Numbers(s, "median", at)
        from factor in StageJson.Numbers(s, "factor", at)
        from _ in median.Length == columns.Count && factor.Length == columns.Count && median.All(double.IsFinite) &&
                  factor.All(f => double.IsFinite(f) && f >= 0)
            ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model($"{at}: median and factor must hold a finite number per column, factors ≥ 0"))
        select (FittedStage)new Fitted(columns, median, factor);

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, _) => StageJson.Only(c, Empty, w).Map(_ => (Stage)new RobustScale()),
        (_, s, w, _) => Read(s, w));
}
