using System.Globalization;
using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>One column to one-hot encode, with its categories fixed in advance (scikit-learn's <c>categories=[…]</c>) or, when
/// None, learned from the training split (its distinct values, sorted).</summary>
public sealed record OneHotColumn(string Column, Option<Seq<double>> Categories = default);

/// <summary>
/// scikit-learn's <c>OneHotEncoder(handle_unknown="ignore")</c> on the named numeric columns, read as raw values: each column is
/// replaced, where it stands, by one 0/1 column per category (<c>key_0</c> … <c>key_11</c>); a value that is no category (or NaN)
/// encodes as all zeros. Other columns pass through.
/// </summary>
public sealed record OneHot(Seq<OneHotColumn> Columns) : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "one-hot";
    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <summary>One-hot of the named columns, categories learned from the training split.</summary>
    public static OneHot Of(params string[] columns) => new(columns.Select(c => new OneHotColumn(c)).ToSeq().Strict());

    /// <inheritdoc/>
    public override JsonObject Config() => new()
    {
        ["columns"] = new JsonArray(Columns.Map(c =>
        {
            var o = new JsonObject { ["column"] = c.Column };
            c.Categories.IfSome(v => o["categories"] = StageJson.ToJson(v));
            return (JsonNode)o;
        }).ToArray()),
    };

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) =>
        Columns.Map(c => train.Numeric(c.Column, Where).Map(n => (c.Column, Categories: c.Categories.IfNone(() => Learned(n.Values)))))
            .Sequence().Map(cs => (FittedStage)new Fitted(this, cs.Map(c => new Encoded(c.Column, c.Categories.Strict())).Strict()));

    static Seq<double> Learned(double[] v) => v.Where(x => !double.IsNaN(x)).Distinct().OrderBy(x => x).ToSeq().Strict();

    /// <summary>A column and the categories that get a slot, in slot order.</summary>
    public sealed record Encoded(string Column, Seq<double> Categories)
    {
        /// <summary>The output column names: scikit-learn's <c>get_feature_names_out</c> (<c>key_0</c>, …).</summary>
        public Seq<string> Names => Categories.Map(v => $"{Column}_{v.ToString("R", CultureInfo.InvariantCulture)}").Strict();
    }

    /// <summary>The declaration and each column's categories.</summary>
    public sealed record Fitted(OneHot Stage, Seq<Encoded> Columns) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => Stage;

        /// <inheritdoc/>
        public override JsonObject State() => new()
        {
            ["columns"] = new JsonArray(Columns.Map(c => (JsonNode)new JsonObject
            {
                ["column"] = c.Column,
                ["categories"] = StageJson.ToJson(c.Categories),
            }).ToArray()),
        };

        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) =>
            from encoded in input.Columns.Map(col => Columns.Find(c => c.Column == col.Name).Match(
                    e => input.Numeric(col.Name, Stage.Where).Map(n => Slots(e, n.Values)),
                    () => FinSucc(Seq1(col)))).Sequence()
            from _ in Columns.Find(c => !input.Names.Contains(c.Column)).Case is Encoded missing
                ? FinFail<Unit>(GenreError.Data($"{Stage.Where}: no column '{missing.Column}'")) : FinSucc(unit)
            from frame in Frame.Of(encoded.Bind(x => x).Strict()).MapError(e => GenreError.Data($"{Stage.Where}: {e.Message}"))
            select frame with { Index = input.Index };

        static Seq<FrameColumn> Slots(Encoded e, double[] values)
        {
            var categories = e.Categories.ToArray();
            var slots = categories.Select(_ => new double[values.Length]).ToArray();
            for (var r = 0; r < values.Length; r++)
            {
                var k = System.Array.IndexOf(categories, values[r]);
                if (k >= 0) slots[k][r] = 1;
            }
            return e.Names.Zip(slots).Select(p => (FrameColumn)new NumericColumn(p.Item1, p.Item2)).ToSeq().Strict();
        }

        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) =>
            Columns.Find(c => !input.Contains(c.Column)).Case is Encoded missing
                ? FinFail<Seq<string>>(GenreError.Data($"{Stage.Where}: no column '{missing.Column}'"))
                : FinSucc(input.Bind(n => Columns.Find(c => c.Column == n).Match(e => e.Names, () => Seq1(n))).Strict());
    }

    static Fin<OneHot> ReadConfig(JsonObject config, string at) =>
        StageJson.Array(config, "columns", at).Bind(a => a.Select((node, k) =>
            from o in StageJson.Object(node, $"{at} columns[{k}]")
            from column in StageJson.Text(o, "column", $"{at} columns[{k}]")
            from categories in o.ContainsKey("categories")
                ? StageJson.Numbers(o, "categories", $"{at} columns[{k}]").Map(v => Some(v.ToSeq().Strict()))
                : FinSucc(Option<Seq<double>>.None)
            select new OneHotColumn(column, categories)).ToSeq().Sequence()).Map(c => new OneHot(c.Strict()));

    static Fin<FittedStage> ReadFitted(JsonObject config, JsonObject state, string at) =>
        from stage in ReadConfig(config, at)
        from columns in StageJson.Array(state, "columns", at).Bind(a => a.Select((node, k) =>
            from o in StageJson.Object(node, $"{at} state columns[{k}]")
            from column in StageJson.Text(o, "column", $"{at} state columns[{k}]")
            from categories in StageJson.Numbers(o, "categories", $"{at} state columns[{k}]")
            from _ in categories.Distinct().Count() == categories.Length ? FinSucc(unit)
                : FinFail<Unit>(GenreError.Model($"{at}: column '{column}' lists a category twice"))
            select new Encoded(column, categories.ToSeq().Strict())).ToSeq().Sequence())
        from _ in columns.Map(c => c.Column) == stage.Columns.Map(c => c.Column) ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model($"{at}: the fitted columns are not the declared ones — the file is damaged"))
        select (FittedStage)new Fitted(stage, columns.Strict());

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, _) => ReadConfig(c, w).Map(s => (Stage)s), (c, s, w, _) => ReadFitted(c, s, w));
}
