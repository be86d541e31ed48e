using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// An unfitted preprocessing stage: a value (record equality) that says what to learn, like a scikit-learn estimator before
/// <c>fit</c>. <see cref="Config"/> and <see cref="StageKind.ReadConfig"/> are Keras' <c>get_config</c>/<c>from_config</c>.
/// Fitting reads only the frame it is given (the training split); it never throws: bad input is a one-line error naming the stage.
/// </summary>
public abstract record Stage
{
    /// <summary>The stage's kind in JSON (<c>min-max</c>, <c>one-hot</c>, …): the key of its <see cref="StageKind"/>.</summary>
    public abstract string Kind { get; }

    /// <summary>What the stage was declared with (no learned values).</summary>
    public abstract JsonObject Config();

    /// <summary>Learns from <paramref name="train"/> (and only from it).</summary>
    public abstract Fin<FittedStage> Fit(Frame train);

    /// <summary>The stage as JSON: <c>{"kind": …, "config": …}</c>.</summary>
    public JsonObject ToJson() => new() { ["kind"] = Kind, ["config"] = Config() };

    /// <summary>"stage 'kind'": how messages name a stage.</summary>
    public string Where => $"stage '{Kind}'";
}

/// <summary>
/// What a <see cref="Stage"/> learned, as a value: its <see cref="Transform"/> is pure and total over valid input (a missing or
/// mistyped column is a data error naming the stage and column, never an exception).
/// </summary>
public abstract record FittedStage
{
    /// <summary>The unfitted stage this was fitted from.</summary>
    public abstract Stage Declared { get; }

    /// <summary>Whether each output row depends on its input row alone (so a subset's transform is the transform's subset).
    /// Every built-in stage is row-wise; a stage that is not says so here.</summary>
    public virtual bool RowWise => true;

    /// <summary>The learned values as JSON (with <see cref="Declared"/>'s config, the fitted stage round-trips).</summary>
    public abstract JsonObject State();

    /// <summary>Applies what was learned.</summary>
    public abstract Fin<Frame> Transform(Frame input);

    /// <summary>The fitted stage as JSON: <c>{"kind": …, "config": …, "state": …}</c>.</summary>
    public JsonObject ToJson() => new() { ["kind"] = Declared.Kind, ["config"] = Declared.Config(), ["state"] = State() };

    /// <summary>The columns this stage writes given the columns it reads (for widths and names before any data).</summary>
    public abstract Fin<Seq<string>> OutputNames(Seq<string> input);
}

/// <summary>
/// How to read one kind of stage back from JSON: its config (an unfitted stage) and its config + state (a fitted one). A user's
/// stage class becomes readable by adding its kind to a <see cref="StageRegistry"/> (Keras' <c>custom_objects</c>).
/// </summary>
/// <param name="Name">The kind's name in JSON.</param>
/// <param name="ReadConfig">Config → unfitted stage; the string names the place for messages; the registry reads nested stages.</param>
/// <param name="ReadFitted">Config + state → fitted stage.</param>
public sealed record StageKind(
    string Name,
    Func<JsonObject, string, StageRegistry, Fin<Stage>> ReadConfig,
    Func<JsonObject, JsonObject, string, StageRegistry, Fin<FittedStage>> ReadFitted);

/// <summary>
/// The stage kinds a reader knows, by name: a value passed to whatever reads stages (no process-wide registry). <see cref="BuiltIn"/>
/// holds genre's own; <c>BuiltIn.With(kind)</c> adds a user's. Reading a kind it does not hold is a one-line error naming it.
/// </summary>
public sealed record StageRegistry(HashMap<string, StageKind> Kinds)
{
    /// <summary>Genre's built-in stages.</summary>
    public static readonly StageRegistry BuiltIn = new(toHashMap(Seq(
        SelectColumns.Definition, DropColumns.Definition, LabelEncode.Definition, MinMax.Definition, Standardize.Definition,
        QuantileNormal.Definition, OneHot.Definition, Log1p.Definition, RobustScale.Definition, SmoothClip.Definition,
        ColumnTransformer.Definition, Pipeline.Definition)
        .Map(k => (k.Name, k))));

    /// <summary>This registry with <paramref name="kind"/> added (replacing one of the same name).</summary>
    public StageRegistry With(StageKind kind) => new(Kinds.AddOrUpdate(kind.Name, kind));

    Fin<StageKind> Find(JsonObject o, string at) =>
        StageJson.Text(o, "kind", at).Bind(k => Kinds.Find(k).ToFin(
            GenreError.Model($"{at}: unknown stage kind '{k}' (known: {string.Join(", ", Kinds.Keys.OrderBy(x => x))})")));

    /// <summary>An unfitted stage from <c>{"kind", "config"}</c>.</summary>
    public Fin<Stage> ReadStage(JsonNode? node, string at) =>
        from o in StageJson.Object(node, at)
        from kind in Find(o, at)
        from config in StageJson.Object(o, "config", at)
        from stage in kind.ReadConfig(config, $"{at} ({kind.Name})", this)
        select stage;

    /// <summary>A fitted stage from <c>{"kind", "config", "state"}</c>.</summary>
    public Fin<FittedStage> ReadFitted(JsonNode? node, string at) =>
        from o in StageJson.Object(node, at)
        from kind in Find(o, at)
        from config in StageJson.Object(o, "config", at)
        from state in StageJson.Object(o, "state", at)
        from stage in kind.ReadFitted(config, state, $"{at} ({kind.Name})", this)
        select stage;
}
