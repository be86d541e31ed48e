using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>A stage applied to some columns of a frame, by name (one entry of a <see cref="ColumnTransformer"/>).</summary>
public sealed record ColumnGroup(Seq<string> Columns, Stage Stage);

/// <summary>
/// scikit-learn's <c>ColumnTransformer</c>: each group's stage on its named columns (a column in at most one group), the outputs
/// side by side in group order, then the columns no group names, passed through in their order (<c>remainder="passthrough"</c>)
/// or dropped (<paramref name="DropRest"/>). A group whose stage is an empty <see cref="Pipeline"/> passes its columns through
/// where it stands.
/// </summary>
public sealed record ColumnTransformer(Seq<ColumnGroup> Groups, bool DropRest = false) : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "column-transformer";
    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <inheritdoc/>
    public override JsonObject Config() => new()
    {
        ["groups"] = new JsonArray(Groups.Map(g => (JsonNode)new JsonObject
        {
            ["columns"] = StageJson.ToJson(g.Columns),
            ["stage"] = g.Stage.ToJson(),
        }).ToArray()),
        ["remainder"] = DropRest ? "drop" : "passthrough",
    };

    Fin<Unit> Disjoint()
    {
        var twice = Groups.Bind(g => g.Columns).GroupBy(c => c).Find(g => g.Count() > 1);
        return twice.Case is IGrouping<string, string> t
            ? GenreError.Usage($"{Where}: column '{t.Key}' is in {t.Count()} groups (each column goes to at most one)")
            : FinSucc(unit);
    }

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) =>
        from _ in Disjoint()
        from fitted in Groups.Map(g => train.Select(g.Columns, Where).Bind(g.Stage.Fit)).Sequence()
        let rest = DropRest ? Empty : train.Names.Filter(n => !Groups.Exists(g => g.Columns.Contains(n))).Strict()
        select (FittedStage)new Fitted(this, fitted.Strict(), rest);

    /// <summary>The declaration, each group's fitted stage and the columns passed through.</summary>
    public sealed record Fitted(ColumnTransformer Stage, Seq<FittedStage> Groups, Seq<string> Rest) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => Stage;
        /// <inheritdoc/>
        public override bool RowWise => Groups.ForAll(g => g.RowWise);

        /// <inheritdoc/>
        public override JsonObject State() => new()
        {
            ["groups"] = new JsonArray(Groups.Map(g => (JsonNode)g.ToJson()).ToArray()),
            ["passthrough"] = StageJson.ToJson(Rest),
        };

        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) =>
            from parts in Stage.Groups.Zip(Groups).Map(p => input.Select(p.Item1.Columns, Stage.Where).Bind(p.Item2.Transform)).Sequence()
            from rest in input.Select(Rest, Stage.Where)
            from frame in Frame.Concat(parts.Add(rest).Strict(), Stage.Where)
            select frame;

        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) =>
            from parts in Stage.Groups.Zip(Groups).Map(p => p.Item1.Columns.Find(c => !input.Contains(c)).Case is string missing
                ? FinFail<Seq<string>>(GenreError.Data($"{Stage.Where}: no column '{missing}'"))
                : p.Item2.OutputNames(p.Item1.Columns)).Sequence()
            select parts.Bind(x => x).Concat(Rest).Strict();
    }

    static Fin<ColumnTransformer> ReadConfig(JsonObject config, string at, StageRegistry registry) =>
        from remainder in StageJson.Text(config, "remainder", at)
        from _ in remainder is "drop" or "passthrough" ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model($"{at}: remainder must be drop or passthrough, got '{GenreError.Show(remainder)}'"))
        from groups in StageJson.Array(config, "groups", at).Bind(a => a.Select((node, k) =>
            from o in StageJson.Object(node, $"{at} groups[{k}]")
            from columns in StageJson.Texts(o, "columns", $"{at} groups[{k}]")
            from stage in registry.ReadStage(o["stage"], $"{at} groups[{k}].stage")
            select new ColumnGroup(columns, stage)).ToSeq().Sequence())
        select new ColumnTransformer(groups.Strict(), remainder == "drop");

    static Fin<FittedStage> ReadFitted(JsonObject config, JsonObject state, string at, StageRegistry registry) =>
        from stage in ReadConfig(config, at, registry)
        from groups in StageJson.Array(state, "groups", at)
            .Bind(a => a.Select((node, k) => registry.ReadFitted(node, $"{at} groups[{k}]")).ToSeq().Sequence())
        from rest in StageJson.Texts(state, "passthrough", at)
        from _ in groups.Count == stage.Groups.Count && groups.Zip(stage.Groups).ForAll(p => p.Item1.Declared == p.Item2.Stage)
            ? FinSucc(unit) : FinFail<Unit>(GenreError.Model($"{at}: the fitted groups are not the declared ones — the file is damaged"))
        select (FittedStage)new Fitted(stage, groups.Strict(), rest);

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, r) => ReadConfig(c, w, r).Map(s => (Stage)s), ReadFitted);
}
