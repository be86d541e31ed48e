using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// scikit-learn's <c>Pipeline</c> of transformers: stages in order, each fitted on the previous one's output of the training
/// frame. A pipeline is itself a stage, so pipelines nest (inside a <see cref="ColumnTransformer"/> group, say); the empty
/// pipeline passes its input through.
/// </summary>
public sealed record Pipeline(Seq<Stage> Stages) : Stage
{
    /// <summary>The stage's <see cref="Kind"/>: its name in JSON.</summary>
    public const string KindName = "pipeline";
    /// <inheritdoc/>
    public override string Kind => KindName;

    /// <summary>The stages, in order.</summary>
    public static Pipeline Of(params Stage[] stages) => new(stages.ToSeq().Strict());

    /// <summary>The identity: no stages.</summary>
    public static readonly Pipeline Identity = new(Empty);

    /// <summary>This pipeline, then <paramref name="next"/>.</summary>
    public Pipeline Then(Stage next) => new(Stages.Add(next).Strict());

    /// <inheritdoc/>
    public override JsonObject Config() => new() { ["stages"] = new JsonArray(Stages.Map(s => (JsonNode)s.ToJson()).ToArray()) };

    /// <inheritdoc/>
    public override Fin<FittedStage> Fit(Frame train) => FitPipeline(train).Map(p => (FittedStage)p);

    /// <summary>Fits each stage on the previous stage's output of <paramref name="train"/> (and on nothing else).</summary>
    public Fin<FittedPipeline> FitPipeline(Frame train) =>
        Stages.Fold(FinSucc((Fitted: Seq<FittedStage>(), Frame: train)), (acc, stage) =>
                from a in acc
                from fitted in stage.Fit(a.Frame)
                from next in fitted.Transform(a.Frame)
                select (a.Fitted.Add(fitted), next))
            .Map(a => new FittedPipeline(this, a.Fitted.Strict()));

    static Fin<Pipeline> ReadConfig(JsonObject config, string at, StageRegistry registry) =>
        StageJson.Array(config, "stages", at)
            .Bind(a => a.Select((node, k) => registry.ReadStage(node, $"{at} stages[{k}]")).ToSeq().Sequence())
            .Map(s => new Pipeline(s.Strict()));

    static Fin<FittedStage> ReadFitted(JsonObject config, JsonObject state, string at, StageRegistry registry) =>
        from stage in ReadConfig(config, at, registry)
        from stages in StageJson.Array(state, "stages", at)
            .Bind(a => a.Select((node, k) => registry.ReadFitted(node, $"{at} stages[{k}]")).ToSeq().Sequence())
        from _ in stages.Count == stage.Stages.Count && stages.Zip(stage.Stages).ForAll(p => p.Item1.Declared == p.Item2)
            ? FinSucc(unit) : FinFail<Unit>(GenreError.Model($"{at}: the fitted stages are not the declared ones — the file is damaged"))
        select (FittedStage)new FittedPipeline(stage, stages.Strict());

    /// <summary>How to read this stage back from JSON (its entry in <see cref="StageRegistry.BuiltIn"/>).</summary>
    public static readonly StageKind Definition = new(KindName, (c, w, r) => ReadConfig(c, w, r).Map(s => (Stage)s), ReadFitted);
}

/// <summary>A fitted <see cref="Pipeline"/>: each stage's fitted value, applied in order.</summary>
public sealed record FittedPipeline(Pipeline Stage, Seq<FittedStage> Stages) : FittedStage
{
    /// <inheritdoc/>
    public override Stage Declared => Stage;
    /// <inheritdoc/>
    public override bool RowWise => Stages.ForAll(s => s.RowWise);

    /// <inheritdoc/>
    public override JsonObject State() => new() { ["stages"] = new JsonArray(Stages.Map(s => (JsonNode)s.ToJson()).ToArray()) };

    /// <inheritdoc/>
    public override Fin<Frame> Transform(Frame input) => Stages.Fold(FinSucc(input), (acc, s) => acc.Bind(s.Transform));

    /// <inheritdoc/>
    public override Fin<Seq<string>> OutputNames(Seq<string> input) =>
        Stages.Fold(FinSucc(input), (acc, s) => acc.Bind(s.OutputNames));

    /// <summary>The model's input: the frame transformed, as a row-major matrix (every output column must be numbers).</summary>
    public Fin<Matrix> Matrix(Frame input) => Transform(input).Bind(f => f.ToMatrix("pipeline output"));

    /// <summary>Every fitted stage, nested ones included, depth first (for a reader looking for one kind, or for ONNX).</summary>
    public Seq<FittedStage> Flatten() => Stages.Bind(Flat).Strict();

    /// <summary>The first fitted stage of type <typeparamref name="T"/>, nested ones included (scikit-learn's <c>named_steps</c>, by
    /// kind): <c>fitted.Find&lt;MinMax.Fitted&gt;()</c> is the report pipeline's scaler.</summary>
    public Option<T> Find<T>() where T : FittedStage => Flatten().Find(s => s is T).Map(s => (T)s);

    static Seq<FittedStage> Flat(FittedStage s) => s switch
    {
        FittedPipeline p => p.Stages.Bind(Flat),
        ColumnTransformer.Fitted c => c.Groups.Bind(Flat),
        _ => Seq1(s),
    };

    /// <summary>The fitted pipeline from its JSON (<see cref="FittedStage.ToJson"/>), every stage kind read by
    /// <paramref name="registry"/>.</summary>
    public static Fin<FittedPipeline> FromJson(JsonNode? node, string at, StageRegistry registry) =>
        registry.ReadFitted(node, at).Bind(s => s is FittedPipeline p
            ? FinSucc(p) : FinFail<FittedPipeline>(GenreError.Model($"{at}: a pipeline was expected, found a '{s.Declared.Kind}' stage")));
}
