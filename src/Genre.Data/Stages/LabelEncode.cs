using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// scikit-learn's <c>LabelEncoder</c> on one text column (the report encodes <c>explicit</c> so): fitted, the column's distinct
/// training values sorted ordinally are its classes and each value becomes its class index. A value the training split never had,
/// or a missing one, is a data error naming the column, the row and the classes known.
/// </summary>
public sealed record LabelEncode(string Column) : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "label-encode";
    /// <inheritdoc/>
    public override string Kind => KindName;
    /// <inheritdoc/>
    public override JsonObject Config() => new() { ["column"] = Column };

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) =>
        from col in Text(train, Column, Where)
        from _ in col.Values.Any(v => v.IsNone)
            ? FinFail<Unit>(GenreError.Data($"{Where}: column '{Column}' has a missing value")) : FinSucc(unit)
        from __ in train.Rows == 0 ? FinFail<Unit>(GenreError.Data($"{Where}: nothing to fit (no rows)")) : FinSucc(unit)
        select (FittedStage)new Fitted(Column, LabelEncoding.Fit(col.Values.Somes()));

    static Fin<TextColumn> Text(Frame f, string column, string at) =>
        f.Column(column, at).Bind(c => c is TextColumn t
            ? FinSucc(t) : FinFail<TextColumn>(GenreError.Data($"{at}: column '{column}' holds numbers, not text")));

    /// <summary>The column and its classes (index = code).</summary>
    public sealed record Fitted(string Column, LabelEncoding Classes) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => new LabelEncode(Column);
        /// <inheritdoc/>
        public override JsonObject State() => new() { ["classes"] = StageJson.ToJson(Classes.Classes) };

        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) =>
            from col in Text(input, Column, Declared.Where)
            from codes in Codes(col, input)
            select input with { Columns = input.Columns.Map(c => c.Name == Column ? new NumericColumn(Column, codes) : c).Strict() };

        Fin<double[]> Codes(TextColumn col, Frame frame)
        {
            var codes = new double[col.Count];
            for (var r = 0; r < codes.Length; r++)
            {
                if (col.Values[r].Case is not string v)
                    return GenreError.Data($"row {frame.RowLabel(r)}: column '{Column}': missing value ({Declared.Where})");
                if (Classes.Encode(v).Case is not int code)
                    return GenreError.Data($"row {frame.RowLabel(r)}: column '{Column}': '{GenreError.Show(v)}' never occurred in the " +
                                           $"model's training data (it knows {string.Join(", ", Classes.Classes)}; {Declared.Where})");
                codes[r] = code;
            }
            return codes;
        }

        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) =>
            input.Contains(Column) ? FinSucc(input) : FinFail<Seq<string>>(GenreError.Data($"{Declared.Where}: no column '{Column}'"));
    }

    static Fin<FittedStage> ReadFitted(JsonObject config, JsonObject state, string at) =>
        from column in StageJson.Text(config, "column", at)
        from classes in StageJson.Texts(state, "classes", at)
        from _ in !classes.IsEmpty && classes.Distinct().Count() == classes.Count ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model($"{at}: 'classes' must list distinct values — the file is damaged"))
        select (FittedStage)new Fitted(column, new LabelEncoding(classes));

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, _) => StageJson.Text(c, "column", w).Map(n => (Stage)new LabelEncode(n)), (c, s, w, _) => ReadFitted(c, s, w));
}
