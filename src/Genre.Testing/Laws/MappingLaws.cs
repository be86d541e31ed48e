using FsCheck;
using FsCheck.Fluent;
using Genre.Data;

namespace Genre.Testing.Laws;

/// <summary>
/// Laws a genre mapping (label reduction) obeys, as FsCheck properties: the reduced labels cover every track, merging can only
/// raise accuracy, and two merges in a row are one composed merge.
/// </summary>
public static class MappingLaws
{
    /// <summary>Every track's reduced genre is one of the reduced classes, and reducing twice changes nothing.</summary>
    public static Property ReducedLabelsCoverEveryTrack() =>
        Prop.ForAll(GenreArb.TracksWithMapping(), x =>
        {
            var reduced = x.Tracks.Map(t => x.Mapping.Apply(t.TrackGenre)).Strict();
            var classes = LabelEncoding.Fit(reduced);
            return reduced.ForAll(g => classes.Encode(g).IsSucc && x.Mapping.Apply(g) == g && !x.Mapping.MergedAway.Contains(g));
        });

    /// <summary>
    /// <paramref name="accuracy"/>(labels, predictions, classes, mapping) is never below the same accuracy under no merges: a
    /// merge can only forgive a confusion.
    /// </summary>
    public static Property AccuracyIsMonotoneUnderMerges(Func<int[], int[], Seq<string>, GenreMapping, double> accuracy) =>
        Prop.ForAll(Scored(), x =>
            accuracy(x.Labels, x.Predictions, x.Classes, x.Mapping) >= accuracy(x.Labels, x.Predictions, x.Classes, GenreMapping.Identity)
                - 1e-12);

    /// <summary>
    /// For one mapping of your own: over generated tracks of the genres it names (and others), every reduced genre is a class, none
    /// was merged away, reducing twice changes nothing, and genre's merge-aware accuracy under it is never below plain accuracy.
    /// </summary>
    public static Property For(GenreMapping mapping)
    {
        var named = mapping.Merges.Bind(p => new[] { p.Key, p.Value }).Distinct().ToSeq();
        var genres = (named + KaggleGenres.Sorted.Take(3)).Distinct().ToSeq().Strict();
        return Prop.ForAll(GenreArb.Tracks(genres), Arb.From(Gen.Choose(0, genres.Count - 1).ArrayOf()), (tracks, guesses) =>
        {
            var reduced = tracks.Map(t => mapping.Apply(t.TrackGenre)).Strict();
            var covered = reduced.ForAll(g => mapping.Apply(g) == g && !mapping.MergedAway.Contains(g));
            var classes = genres.OrderBy(g => g, StringComparer.Ordinal).ToSeq().Strict();
            var labels = tracks.Map(t => classes.ToList().IndexOf(t.TrackGenre)).ToArray();
            var predictions = labels.Select((_, i) => guesses.Length == 0 ? 0 : guesses[i % guesses.Length]).ToArray();
            var monotone = labels.Length == 0
                || Eval.MergeAware.Accuracy(labels, predictions, classes, mapping) >= Eval.Metrics.Accuracy(labels, predictions);
            return covered && monotone;
        });
    }

    /// <summary>Applying <c>first</c> then <c>second</c> equals applying their composition, whenever it composes.</summary>
    public static Property TwoMergesEqualOneComposed() =>
        Prop.ForAll(Arb.From(from genres in GenreGen.Genres
                             from first in GenreGen.Mapping(genres)
                             from second in GenreGen.Mapping(genres)
                             select (Genres: genres, First: first, Second: second)), x =>
            GenreMapping.Compose(x.First, x.Second).Match(
                composed => x.Genres.ForAll(g => composed.Apply(g) == x.Second.Apply(x.First.Apply(g))),
                _ => true));

    /// <summary>Labels and predictions over a few genres (indices into them) with a valid mapping of those genres.</summary>
    public sealed record ScoredCase(Seq<string> Classes, int[] Labels, int[] Predictions, GenreMapping Mapping)
    {
        /// <summary>The case on one line, arrays' values included (a record would print an array's type name).</summary>
        public override string ToString() =>
            $"{Classes.Count} genre(s) [{string.Join(", ", Classes)}], {Labels.Length} row(s): labels [{string.Join(", ", Labels)}], " +
            $"predictions [{string.Join(", ", Predictions)}], " +
            $"merges {{{string.Join(", ", Mapping.Merges.Map(p => $"{p.Key}→{p.Value}"))}}}";
    }

    /// <summary>Generated <see cref="ScoredCase"/>s, shrinking to fewer rows and fewer genres.</summary>
    public static Arbitrary<ScoredCase> Scored(int maxRows = 30) =>
        Arb.From(
            from genres in GenreGen.Genres
            let classes = genres.OrderBy(g => g, StringComparer.Ordinal).ToSeq().Strict()
            from n in Gen.Choose(1, maxRows)
            from labels in Gen.Choose(0, classes.Count - 1).ArrayOf(n)
            from predictions in Gen.Choose(0, classes.Count - 1).ArrayOf(n)
            from mapping in GenreGen.Mapping(classes)
            select new ScoredCase(classes, labels, predictions, mapping),
            Shrink);

    static IEnumerable<ScoredCase> Shrink(ScoredCase c)
    {
        if (c.Labels.Length > 1)
        {
            yield return c with { Labels = c.Labels[..(c.Labels.Length / 2)], Predictions = c.Predictions[..(c.Labels.Length / 2)] };
            yield return c with { Labels = c.Labels[1..], Predictions = c.Predictions[1..] };
        }
        // rows that name one genre the mapping merges, so the genres it does not name can go (once rows name one such genre,
        // no other is tried: shrinking must not go round in circles)
        var named = c.Mapping.Merges.Bind(p => new[] { p.Key, p.Value }).ToHashSet();
        var codes = c.Labels.Concat(c.Predictions).Distinct().ToArray();
        var settled = codes.Length == 1 && named.Contains(c.Classes[codes[0]]);
        for (var k = 0; k < c.Classes.Count && !settled; k++)
            if (named.Contains(c.Classes[k]))
                yield return c with { Labels = c.Labels.Select(_ => k).ToArray(), Predictions = c.Predictions.Select(_ => k).ToArray() };
        // drop a genre: rows that name it go, merges that name it go, the later genres' indices move down
        for (var k = c.Classes.Count - 1; k >= 0 && c.Classes.Count > 1; k--)
        {
            var gone = c.Classes[k];
            var keep = Enumerable.Range(0, c.Labels.Length).Where(i => c.Labels[i] != k && c.Predictions[i] != k).ToArray();
            if (keep.Length == 0) continue;
            int Down(int code) => code > k ? code - 1 : code;
            yield return new ScoredCase(c.Classes.Filter(g => g != gone).Strict(), keep.Select(i => Down(c.Labels[i])).ToArray(),
                keep.Select(i => Down(c.Predictions[i])).ToArray(),
                new GenreMapping(c.Mapping.Merges.Filter((s, t) => s != gone && t != gone)));
        }
    }
}
