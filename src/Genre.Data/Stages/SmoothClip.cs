using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// RealMLP's smooth clipping (Holzmüller et al., NeurIPS 2024; pytabkit's <c>smooth_clip_func</c>) on every column of its input:
/// x / √(1 + x² / m²), close to x near 0 and bounded by ±<paramref name="MaxAbs"/>, so the outliers robust scaling leaves
/// cannot dominate a layer; nothing to learn. NaN stays NaN.
/// </summary>
/// <param name="MaxAbs">The bound m (pytabkit's <c>smooth_clip_max_abs_value</c>, 3).</param>
public sealed record SmoothClip(double MaxAbs = 3.0) : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "smooth-clip";
    /// <inheritdoc/>
    public override string Kind => KindName;
    /// <inheritdoc/>
    public override JsonObject Config() => new() { ["max_abs"] = MaxAbs };

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) =>
        !(double.IsFinite(MaxAbs) && MaxAbs > 0)
            ? GenreError.Usage($"{Where}: max_abs must be a finite number > 0, got {MaxAbs}")
            : train.Columns.Map(c => train.Numeric(c.Name, Where)).Sequence()
                .Map(cols => (FittedStage)new Fitted(MaxAbs, cols.Map(c => c.Name).Strict()));

    /// <summary>pytabkit's arithmetic: x / sqrt(1 + (1 / m²) · x²).</summary>
    public static double Of(double x, double maxAbs) => x / Math.Sqrt(1 + 1 / (maxAbs * maxAbs) * (x * x));

    /// <summary>The bound and the columns it was fitted on (it learns nothing else).</summary>
    public sealed record Fitted(double MaxAbs, Seq<string> Columns) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => new SmoothClip(MaxAbs);
        /// <inheritdoc/>
        public override JsonObject State() => new() { ["columns"] = StageJson.ToJson(Columns) };

        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) =>
            ColumnWise.Map(input, Columns, Declared.Where, (_, v) => FinSucc(ColumnWise.Each(v, x => Of(x, MaxAbs))));

        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => ColumnWise.SameNames(input, Columns, Declared.Where);
    }

    static Fin<double> Bound(JsonObject c, string at) =>
        from _ in StageJson.Only(c, Seq1("max_abs"), at)
        from m in StageJson.Number(c, "max_abs", at)
        from ok in double.IsFinite(m) && m > 0 ? FinSucc(m) : FinFail<double>(GenreError.Model($"{at}: max_abs must be > 0, got {m}"))
        select ok;

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, _) => Bound(c, w).Map(m => (Stage)new SmoothClip(m)),
        (c, s, w, _) => from m in Bound(c, w) from cols in StageJson.Texts(s, "columns", w) select (FittedStage)new Fitted(m, cols));
}
