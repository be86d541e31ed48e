using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// numpy's <c>log1p</c> on every column of its input (scikit-learn's <c>FunctionTransformer(np.log1p)</c>), for skewed columns
/// such as <c>duration_ms</c> or <c>speechiness</c>; nothing to learn. A value below −1 has no logarithm: a data error naming the
/// column and row.
/// </summary>
public sealed record Log1p : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "log1p";
    /// <inheritdoc/>
    public override string Kind => KindName;
    /// <inheritdoc/>
    public override JsonObject Config() => new();

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) =>
        train.Columns.Map(c => train.Numeric(c.Name, Where)).Sequence()
            .Map(cols => (FittedStage)new Fitted(cols.Map(c => c.Name).Strict()));

    /// <summary>log1p(x) to full precision also for tiny x (the correction of Goldberg's "What every computer scientist…").</summary>
    public static double Of(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>The columns it was fitted on (log1p learns nothing else).</summary>
    public sealed record Fitted(Seq<string> Columns) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => new Log1p();
        /// <inheritdoc/>
        public override JsonObject State() => new() { ["columns"] = StageJson.ToJson(Columns) };

        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) =>
            ColumnWise.Map(input, Columns, Declared.Where, (c, v) =>
            {
                var bad = System.Array.FindIndex(v, x => x < -1);
                return bad >= 0
                    ? GenreError.Data($"row {input.RowLabel(bad)}: column '{Columns[c]}': {v[bad]} is below −1, " +
                        "where log1p is undefined " +
                                      $"({Declared.Where})")
                    : FinSucc(ColumnWise.Each(v, Of));
            });

        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => ColumnWise.SameNames(input, Columns, Declared.Where);
    }

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, _) => StageJson.Only(c, Empty, w).Map(_ => (Stage)new Log1p()),
        (_, s, w, _) => StageJson.Texts(s, "columns", w).Map(c => (FittedStage)new Fitted(c)));
}
