using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// scikit-learn's <c>QuantileTransformer(n_quantiles, output_distribution="normal")</c> on every column of its input: each column
/// through its training quantiles to a standard normal value, clipped at about ±5.2, with scikit-learn's float arithmetic (equal
/// to it within 1e-9, checked against committed scikit-learn output). NaN stays NaN.
/// </summary>
/// <param name="QuantileCount">scikit-learn's <c>n_quantiles</c> (default 1000; at most the training rows are used).</param>
public sealed record QuantileNormal(int QuantileCount = 1000) : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "quantile-normal";
    /// <inheritdoc/>
    public override string Kind => KindName;
    /// <inheritdoc/>
    public override JsonObject Config() => new() { ["n_quantiles"] = QuantileCount };

    /// <summary>scikit-learn's <c>BOUNDS_THRESHOLD</c>: values this close to the training extremes map to them.</summary>
    internal const double BoundsThreshold = 1e-7;

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) =>
        QuantileCount < 2 ? GenreError.Usage($"{Where}: n_quantiles must be at least 2, got {QuantileCount}")
        : from cols in ColumnWise.ForFit(train, Where)
          from _ in cols.Find(c => c.Values.All(double.IsNaN)).Case is NumericColumn nan
              ? FinFail<Unit>(GenreError.Data($"{Where}: column '{nan.Name}' has no numbers to fit (all NaN)")) : FinSucc(unit)
          select (FittedStage)new Fitted(QuantileCount, cols.Map(c => new Quantiled(c.Name, Quantiles(c.Values, QuantileCount))).Strict());

    /// <summary>A column and its training quantiles at <c>references_</c> (non-decreasing).</summary>
    public sealed record Quantiled(string Column, double[] Quantiles)
    {
        /// <summary>Same column and quantile values (records would compare the array by reference).</summary>
        public bool Equals(Quantiled? other) =>
            other is not null && Column == other.Column && ArrayValues.Equal(Quantiles, other.Quantiles);
        /// <inheritdoc/>
        public override int GetHashCode() => HashCode.Combine(Column, ArrayValues.Hash(Quantiles));
    }

    /// <summary>The columns it was fitted on and their quantiles.</summary>
    public sealed record Fitted(int QuantileCount, Seq<Quantiled> Columns) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => new QuantileNormal(QuantileCount);
        Seq<string> Names => Columns.Map(c => c.Column);

        /// <inheritdoc/>
        public override JsonObject State() => new()
        {
            ["columns"] = StageJson.ToJson(Names),
            ["quantiles"] = new JsonArray(Columns.Map(c => (JsonNode)StageJson.ToJson(c.Quantiles)).ToArray()),
        };

        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input)
        {
            // the interpolation tables every row reads, built once
            var curves = Columns.Map(c => Curve.Of(c.Quantiles)).ToArray();
            return ColumnWise.Map(input, Names, Declared.Where, (c, v) => FinSucc(ColumnWise.Each(v, x => Normal(x, curves[c]))));
        }

        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => ColumnWise.SameNames(input, Names, Declared.Where);
    }

    static Fin<FittedStage> Read(JsonObject config, JsonObject s, string at) =>
        from n in StageJson.Int(config, "n_quantiles", at)
        from columns in StageJson.Texts(s, "columns", at)
        from quantiles in StageJson.NumberLists(s, "quantiles", at)
        from _ in quantiles.Count == columns.Count && quantiles.ForAll(q => Valid(q, n))
            ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model($"{at}: 'quantiles' must hold a non-decreasing list of at most {n} numbers per column"))
        select (FittedStage)new Fitted(n, columns.Zip(quantiles).Select(p => new Quantiled(p.Item1, p.Item2)).ToSeq().Strict());

    static bool Valid(double[] q, int n)
    {
        if (q.Length == 0 || q.Length > n) return false;
        for (var k = 0; k < q.Length; k++)
            if (!double.IsFinite(q[k]) || (k > 0 && q[k] < q[k - 1])) return false;
        return true;
    }

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, _) => StageJson.Int(c, "n_quantiles", w).Map(n => (Stage)new QuantileNormal(n)),
        (c, s, w, _) => Read(c, s, w));

    /// <summary><c>np.nanpercentile(column, references_·100)</c> (numpy's linear method, its rounding included: the index
    /// (n − 1)·(r·100 / 100), then <c>_lerp</c>) made non-decreasing, as scikit-learn's fit does.</summary>
    internal static double[] Quantiles(double[] column, int quantileCount)
    {
        var sorted = column.Where(v => !double.IsNaN(v)).ToArray(); // nanpercentile
        System.Array.Sort(sorted);
        var references = References(Math.Min(quantileCount, sorted.Length));
        var q = new double[references.Length];
        for (var k = 0; k < q.Length; k++)
        {
            q[k] = NumpyQuantile.AtIndex(sorted, (sorted.Length - 1) * (references[k] * 100 / 100));
            if (k > 0 && q[k] < q[k - 1]) q[k] = q[k - 1];
        }
        return q;
    }


    /// <summary>scikit-learn's <c>references_</c>: <c>np.linspace(0, 1, n)</c>, as numpy computes it (k · (1 / (n − 1)), the
    /// last one exactly 1).</summary>
    public static double[] References(int n)
    {
        var step = n > 1 ? 1.0 / (n - 1) : 0;
        var r = Enumerable.Range(0, n).Select(k => k * step).ToArray();
        if (n > 1) r[^1] = 1;
        return r;
    }

    /// <summary>scikit-learn's <c>_transform_col</c> for a normal output: the mean of the forward and backward interpolations
    /// (so tied quantiles map to their middle), the extremes pinned, then the standard normal quantile, clipped.</summary>
    internal static double Normal(double x, Curve c)
    {
        if (double.IsNaN(x)) return double.NaN;
        double p;
        if (x - BoundsThreshold < c.Quantiles[0]) p = 0;
        else if (x + BoundsThreshold > c.Quantiles[^1]) p = 1;
        else p = 0.5 * (Interp(x, c.Quantiles, c.References) - Interp(-x, c.NegatedQuantiles, c.NegatedReferences));
        return Math.Clamp(p <= 0 ? -Clip : p >= 1 ? Clip : NormalDistribution.Probit(p), -Clip, Clip);
    }

    /// <summary>scikit-learn's clip of the normal output: Φ⁻¹(1 − (BOUNDS_THRESHOLD − ε)), about 5.2.</summary>
    /// <summary>The output's bound (the clip below), for an exported graph.</summary>
    public static double ClipValue => Clip;

    static readonly double Clip = NormalDistribution.Probit(1 - (BoundsThreshold - Math.Pow(2, -52)));

    /// <summary>A quantile column's interpolation tables: forward, and negated in reverse order for the backward pass.</summary>
    internal sealed record Curve(double[] Quantiles, double[] References, double[] NegatedQuantiles, double[] NegatedReferences)
    {
        public static Curve Of(double[] quantiles)
        {
            var references = QuantileNormal.References(quantiles.Length);
            return new(quantiles, references, Negated(quantiles), Negated(references));
        }

        /// <summary>The values negated, in reverse order (so still increasing).</summary>
        static double[] Negated(double[] v) => v.Reverse().Select(x => -x).ToArray();
    }

    /// <summary><c>np.interp</c> for x inside [xp₀, xpₙ₋₁]: the last j with xp[j] ≤ x, then the straight line to j + 1.</summary>
    static double Interp(double x, double[] xp, double[] fp)
    {
        int a = 0, b = xp.Length;
        while (a < b) { var m = (a + b) / 2; if (xp[m] <= x) a = m + 1; else b = m; }
        var j = a - 1;
        if (j < 0) return fp[0];
        if (j >= xp.Length - 1) return fp[^1];
        return (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]) * (x - xp[j]) + fp[j];
    }
}
