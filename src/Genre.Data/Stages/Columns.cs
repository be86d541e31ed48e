using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>Keeps the named columns, in the order given (pandas' <c>df[names]</c>); nothing to learn.</summary>
public sealed record SelectColumns(Seq<string> Names) : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "select";
    /// <inheritdoc/>
    public override string Kind => KindName;
    /// <inheritdoc/>
    public override JsonObject Config() => new() { ["columns"] = StageJson.ToJson(Names) };
    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) => train.Select(Names, Where).Map(_ => (FittedStage)new Fitted(this));

    /// <summary>Select has nothing to learn: fitted, it is its declaration.</summary>
    public sealed record Fitted(SelectColumns Stage) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => Stage;
        /// <inheritdoc/>
        public override JsonObject State() => new();
        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) => input.Select(Stage.Names, Stage.Where);
        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) =>
            Stage.Names.Find(n => !input.Contains(n)).Case is string missing
                ? GenreError.Data($"{Stage.Where}: no column '{missing}'") : FinSucc(Stage.Names);
    }

    internal static Fin<SelectColumns> Read(JsonObject config, string at) =>
        from _ in StageJson.Only(config, Seq1("columns"), at)
        from names in StageJson.Texts(config, "columns", at)
        select new SelectColumns(names);

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, _) => Read(c, w).Map(s => (Stage)s),
        (c, _, w, _) => Read(c, w).Map(s => (FittedStage)new Fitted(s)));
}

/// <summary>Drops the named columns (pandas' <c>df.drop(columns=names)</c>); each must be there when fitted.</summary>
public sealed record DropColumns(Seq<string> Names) : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "drop";
    /// <inheritdoc/>
    public override string Kind => KindName;
    /// <inheritdoc/>
    public override JsonObject Config() => new() { ["columns"] = StageJson.ToJson(Names) };
    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) => train.Select(Names, Where).Map(_ => (FittedStage)new Fitted(this));

    /// <summary>Drop has nothing to learn: fitted, it is its declaration.</summary>
    public sealed record Fitted(DropColumns Stage) : FittedStage
    {
        /// <inheritdoc/>
        public override Stage Declared => Stage;
        /// <inheritdoc/>
        public override JsonObject State() => new();
        /// <inheritdoc/>
        public override Fin<Frame> Transform(Frame input) => input.Select(Stage.Names, Stage.Where).Map(_ => input.Without(Stage.Names));
        /// <inheritdoc/>
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => input.Filter(n => !Stage.Names.Contains(n)).Strict();
    }

    internal static Fin<DropColumns> Read(JsonObject config, string at) =>
        from _ in StageJson.Only(config, Seq1("columns"), at)
        from names in StageJson.Texts(config, "columns", at)
        select new DropColumns(names);

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName,
        (c, w, _) => Read(c, w).Map(s => (Stage)s),
        (c, _, w, _) => Read(c, w).Map(s => (FittedStage)new Fitted(s)));
}
