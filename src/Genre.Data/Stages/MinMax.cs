using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// scikit-learn's <c>MinMaxScaler()</c> on every column of its input (all numbers): fitted, each column maps to X·scale_ + min_
/// with <see cref="MinMaxScaler"/>'s exact float arithmetic; values outside the training range extrapolate.
/// </summary>
public sealed record MinMax : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "min-max";
    /// <inheritdoc/>
    public override string Kind => KindName;
    /// <inheritdoc/>
    public override JsonObject Config() => new() { ["feature_range"] = StageJson.ToJson([0.0, 1.0]) };

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) =>
        ColumnWise.ForFit(train, Where).Map(cols =>
        {
            // MinMaxScaler.Fit's arithmetic, column by column (the same min, max, scale and offset)
            var scaler = MinMaxScaler.Fit(ColumnWise.Matrix(cols, train.Rows));
            return (FittedStage)new Fitted(cols.Map(c => c.Name).Strict(), scaler);
        });

    /// <summary>The columns it was fitted on and their fitted scaler (data_min_, data_max_, scale_, min_ per column, in order).</summary>
    public sealed record Fitted(Seq<string> Columns, MinMaxScaler Scaler) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => new MinMax();

        /// <inheritdoc/>
        public override JsonObject State() => new()
        {
            ["columns"] = StageJson.ToJson(Columns),
            ["data_min"] = StageJson.ToJson(Scaler.DataMin),
            ["data_max"] = StageJson.ToJson(Scaler.DataMax),
            ["scale"] = StageJson.ToJson(Scaler.Scale),
            ["min"] = StageJson.ToJson(Scaler.Min),
        };

        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) =>
            ColumnWise.Map(input, Columns, Declared.Where, (c, v) =>
            {
                var (scale, min) = (Scaler.Scale[c], Scaler.Min[c]);
                var o = new double[v.Length];
                for (var i = 0; i < v.Length; i++)
                {
                    var scaled = v[i] * scale; // two roundings, as numpy's X *= scale_; X += min_
                    o[i] = scaled + min;
                }
                return FinSucc(o);
            });

        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => ColumnWise.SameNames(input, Columns, Declared.Where);

        /// <summary>Per column, the training range [data_min, data_max] (values outside extrapolate).</summary>
        public Seq<(string Column, double Min, double Max)> Ranges =>
            Columns.Select((c, i) => (c, Scaler.DataMin[i], Scaler.DataMax[i])).ToSeq().Strict();
    }

    static Fin<FittedStage> Read(JsonObject config, JsonObject s, string at) =>
        from _ in Config(config, at)
        from columns in StageJson.Texts(s, "columns", at)
        from dataMin in Column(s, "data_min", columns.Count, at)
        from dataMax in Column(s, "data_max", columns.Count, at)
        from scale in Column(s, "scale", columns.Count, at)
        from min in Column(s, "min", columns.Count, at)
        select (FittedStage)new Fitted(columns, new MinMaxScaler(dataMin, dataMax, scale, min));

    static Fin<double[]> Column(JsonObject s, string name, int n, string at) =>
        StageJson.Numbers(s, name, at).Bind(v => v.Length == n
            ? FinSucc(v) : FinFail<double[]>(GenreError.Model($"{at}: '{name}' has {v.Length} numbers for {n} columns")));

    static Fin<Stage> Config(JsonObject config, string at) =>
        from range in StageJson.Numbers(config, "feature_range", at)
        from _ in range.SequenceEqual([0.0, 1.0]) ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model($"{at}: only feature_range [0, 1] is supported"))
        select (Stage)new MinMax();

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName, (c, w, _) => Config(c, w), (c, s, w, _) => Read(c, s, w));
}
