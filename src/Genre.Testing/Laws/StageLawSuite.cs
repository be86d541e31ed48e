using FsCheck;
using FsCheck.Fluent;
using Genre.Data;
using Genre.Data.Stages;

namespace Genre.Testing.Laws;

/// <summary>
/// The laws every stage obeys (<see cref="StageLaws"/>: fit is deterministic, a row-wise transform of some rows is those rows of
/// the transform, save → load is the identity), as FsCheck properties over frames of generated tracks — run them on a stage or
/// pipeline of your own, with your <see cref="StageRegistry"/> when it holds kinds of your own.
/// </summary>
public static class StageLawSuite
{
    /// <summary>Two frames of tracks (a training one and another) and some rows of the other.</summary>
    public sealed record FramesCase(Seq<Track> Train, Seq<Track> Other, int[] Rows)
    {
        /// <summary>The case on one line, arrays' values included (a record would print an array's type name).</summary>
        public override string ToString() => $"train {Train.Count} track(s), other {Other.Count}, rows [{string.Join(", ", Rows)}]";
    }

    /// <summary>Generated <see cref="FramesCase"/>s (training frames of 2–<paramref name="maxRows"/> tracks), shrinking to fewer
    /// tracks.</summary>
    public static Arbitrary<FramesCase> Frames(int maxRows = 16) =>
        Arb.From(
            from train in GenreGen.Tracks(KaggleGenres.Sorted, maxRows).Where(t => t.Count >= 2)
            from other in GenreGen.Tracks(KaggleGenres.Sorted, maxRows).Where(t => t.Count >= 1)
            from rows in Gen.Choose(0, other.Count - 1).ArrayOf()
            select new FramesCase(train, other, rows.Distinct().ToArray()),
            c => GenreArb.ShrinkTracks(c.Train).Where(t => t.Count >= 2).Select(t => c with { Train = t })
                .Concat(GenreArb.ShrinkTracks(c.Other).Where(t => t.Count >= 1)
                    .Select(t => c with { Other = t, Rows = c.Rows.Where(r => r < t.Count).ToArray() })));

    /// <summary>Every law of <see cref="StageLaws.All"/> for <paramref name="stage"/> on generated frames of tracks.</summary>
    public static Property All(Stage stage, StageRegistry? registry = null, int maxRows = 16) =>
        Prop.ForAll(Frames(maxRows), c =>
            StageLaws.All(stage, Frame.Of(c.Train), Frame.Of(c.Other), c.Rows, registry)
                .Match(_ => true.ToProperty(), e => false.Label(e.Message)));

    /// <summary>Fitting <paramref name="stage"/> succeeds on every generated training frame (so the laws are not vacuous).</summary>
    public static Property Fits(Stage stage, int maxRows = 16) =>
        Prop.ForAll(Frames(maxRows), c => stage.Fit(Frame.Of(c.Train)).Match(_ => true.ToProperty(), e => false.Label(e.Message)));

    /// <summary>Every law of <see cref="StageLaws.All"/> for every generated pipeline (<paramref name="pipelines"/>, e.g.
    /// <see cref="GenreArb.Pipelines"/>) on generated frames of tracks; a failure shrinks the frames.</summary>
    public static Property Generated(Arbitrary<Pipeline> pipelines, StageRegistry? registry = null, int maxRows = 16) =>
        Prop.ForAll(pipelines, Frames(maxRows), (p, c) =>
            StageLaws.All(p, Frame.Of(c.Train), Frame.Of(c.Other), c.Rows, registry)
                .Match(_ => true.ToProperty(), e => false.Label($"{p.ToJson().ToJsonString()}: {e.Message}")));
}
