namespace Genre.Data.Stages;

/// <summary>
/// The laws every stage obeys, as functions a user's test calls on a stage of their own (Genre.Testing runs them over generated
/// frames): each is a success, or a failure naming the law, the stage and what differed. A stage that refuses to fit the given
/// frame satisfies each law vacuously except <see cref="FitIsDeterministic"/>, which also asks that it refuse alike.
/// </summary>
public static class StageLaws
{
    static LanguageExt.Common.Error Broken(string law, Stage s, string what) =>
        LanguageExt.Common.Error.New($"law '{law}' broken by {s.Where}: {what}");

    /// <summary>Fitting twice on the same frame learns equal values (and refuses alike).</summary>
    public static Fin<Unit> FitIsDeterministic(Stage stage, Frame train)
    {
        var (a, b) = (stage.Fit(train), stage.Fit(train));
        return (a.Case, b.Case) switch
        {
            (FittedStage x, FittedStage y) when x == y && x.ToJson().ToJsonString() == y.ToJson().ToJsonString() => unit,
            (LanguageExt.Common.Error x, LanguageExt.Common.Error y) when x.Message == y.Message => unit,
            _ => Broken("fit is deterministic", stage, "two fits on one frame differ"),
        };
    }

    /// <summary>A row-wise stage's transform of some rows is those rows of its transform.</summary>
    public static Fin<Unit> RowWise(Stage stage, Frame train, Frame input, int[] rows)
    {
        if (stage.Fit(train).Case is not FittedStage f || !f.RowWise) return unit;
        if (f.Transform(input).Case is not Frame whole) return unit;
        return f.Transform(input.Take(rows)).Case is Frame part && part == whole.Take(rows)
            ? unit : Broken("row-wise", stage, $"transforming rows [{string.Join(", ", rows.Take(6))}…] alone gave other values");
    }

    /// <summary>A fitted stage written as JSON and read back (by <paramref name="registry"/>) is equal, and transforms equally.</summary>
    public static Fin<Unit> RoundTrips(Stage stage, Frame train, Frame input, StageRegistry? registry = null)
    {
        if (stage.Fit(train).Case is not FittedStage f) return unit;
        var json = System.Text.Json.Nodes.JsonNode.Parse(f.ToJson().ToJsonString());
        var read = (registry ?? StageRegistry.BuiltIn).ReadFitted(json, "law");
        if (read.Case is LanguageExt.Common.Error e) return Broken("save → load is the identity", stage, e.Message);
        var back = (FittedStage)read;
        if (back != f) return Broken("save → load is the identity", stage, "the stage read back is not the stage written");
        var config = System.Text.Json.Nodes.JsonNode.Parse(stage.ToJson().ToJsonString());
        var unfitted = (registry ?? StageRegistry.BuiltIn).ReadStage(config, "law");
        if (unfitted.Case is not Stage u || u != stage)
            return Broken("save → load is the identity", stage, "its config does not read back equal");
        return (f.Transform(input).Case, back.Transform(input).Case) switch
        {
            (Frame x, Frame y) when x == y => unit,
            (LanguageExt.Common.Error x, LanguageExt.Common.Error y) when x.Message == y.Message => unit,
            _ => Broken("save → load is the identity", stage, "the stage read back transforms otherwise"),
        };
    }

    /// <summary>
    /// Fitting a pipeline inside
    /// <see cref="ReportPipeline.Prepare(Seq{Track}, Option{GenreMapping}, Pipeline, Fin{ValueTuple{int[], int[], int[]}})"/>
    /// reads the training rows only: changing every validation and test track (by <paramref name="change"/>) leaves the fitted
    /// pipeline and the training split's features as they were.
    /// </summary>
    public static Fin<Unit> FitReadsTrainingRowsOnly(Pipeline pipeline, Seq<Track> tracks, (int[] Train, int[] Val, int[] Test) split,
                                                     Func<Track, Track> change) =>
        FitReadsTrainingRowsOnly(t => ReportPipeline.Prepare(t, None, pipeline, FinSucc(split)), tracks,
            split.Val.Concat(split.Test).ToArray(), change, pipeline.Where);

    /// <summary>As above for any preparation of tracks (<paramref name="heldOut"/>: the positions it must not learn from).</summary>
    public static Fin<Unit> FitReadsTrainingRowsOnly(Func<Seq<Track>, Fin<PreparedData>> prepare, Seq<Track> tracks, int[] heldOut,
                                                     Func<Track, Track> change, string name = "a preparation")
    {
        var held = heldOut.ToHashSet();
        var changed = tracks.Select((t, i) => held.Contains(i) ? change(t) : t).ToSeq().Strict();
        return (prepare(tracks).Case, prepare(changed).Case) switch
        {
            (PreparedData x, PreparedData y) when x.Pipeline == y.Pipeline && x.Scaled.Train.X == y.Scaled.Train.X => unit,
            (PreparedData, PreparedData) => LanguageExt.Common.Error.New(
                $"law 'fit reads the training rows only' broken by {name}: changing validation and test tracks changed what was fitted"),
            _ => unit,
        };
    }

    /// <summary>Every law above that needs no split, in order; the first broken one.</summary>
    public static Fin<Unit> All(Stage stage, Frame train, Frame input, int[] rows, StageRegistry? registry = null) =>
        from _1 in FitIsDeterministic(stage, train)
        from _2 in RowWise(stage, train, input, rows)
        from _3 in RoundTrips(stage, train, input, registry)
        select unit;
}
