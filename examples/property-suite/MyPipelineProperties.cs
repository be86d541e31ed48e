using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Xunit;
using Genre.Data;
using Genre.Data.Stages;
using Genre.Testing.Laws;
using LanguageExt;
using static LanguageExt.Prelude;

namespace PropertySuite;

/// <summary>A user's own stage and mapping, property-tested with Genre.Testing's law suites.</summary>
public class MyPipelineProperties
{
    /// <summary>The laws every stage obeys, on my stage inside a pipeline, over generated tracks (shrinking on failure).</summary>
    [Property(MaxTest = 50)]
    public Property My_stage_obeys_the_stage_laws() =>
        StageLawSuite.All(Pipeline.Of(new SelectColumns(Seq("tempo", "loudness")), new Clip(100)),
            StageRegistry.BuiltIn.With(Clip.Definition));

    /// <summary>My genre mapping (rock's family into rock) is a reduction that covers every track and only forgives.</summary>
    [Property(MaxTest = 100)]
    public Property My_mapping_obeys_the_mapping_laws() =>
        MappingLaws.For(GenreMapping.Create(Seq(("punk-rock", "rock"), ("hard-rock", "rock"), ("alt-rock", "rock")))
            .Match(m => m, e => throw new Exception(e.Head.Message)));
}

/// <summary>My stage: every column clipped to [−Limit, Limit]; it learns the columns it was fitted on.</summary>
public sealed record Clip(double Limit) : Stage
{
    public override string Kind => "my-clip";
    public override JsonObject Config() => new() { ["limit"] = Limit };

    public override Fin<FittedStage> Fit(Frame train) =>
        train.Columns.Map(c => train.Numeric(c.Name, Where)).Sequence()
            .Map(cs => (FittedStage)new Fitted(this, cs.Map(c => c.Name).Strict()));

    public sealed record Fitted(Clip Stage, Seq<string> Columns) : FittedStage
    {
        public override Stage Declared => Stage;
        public override JsonObject State() => new() { ["columns"] = StageJson.ToJson(Columns) };
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => input;

        public override Fin<Frame> Transform(Frame input) =>
            input.Columns.Map(c => input.Numeric(c.Name, Stage.Where)
                    .Map(n => (FrameColumn)(n with { Values = n.Values.Select(v => Math.Clamp(v, -Stage.Limit, Stage.Limit)).ToArray() })))
                .Sequence().Map(cs => input with { Columns = cs.Strict() });
    }

    public static readonly StageKind Definition = new("my-clip",
        (config, at, _) => StageJson.Number(config, "limit", at).Map(l => (Stage)new Clip(l)),
        (config, state, at, _) =>
            from limit in StageJson.Number(config, "limit", at)
            from columns in StageJson.Texts(state, "columns", at)
            select (FittedStage)new Fitted(new Clip(limit), columns));
}
