using FsCheck;
using FsCheck.Fluent;
using Genre.Data;

namespace Genre.Testing;

/// <summary>
/// Arbitraries (generator + shrinker) for genre's values: a failing case shrinks to few rows, few genres and plain values, so
/// FsCheck reports a small counterexample rather than a seed.
/// </summary>
public static class GenreArb
{
    /// <summary>Tracks over the Kaggle file's 114 genres (up to <paramref name="maxRows"/>), shrinking rows away and values to
    /// plain ones.</summary>
    public static Arbitrary<Seq<Track>> Tracks(int maxRows = 20) => Tracks(KaggleGenres.Sorted, maxRows);

    /// <summary>Tracks over <paramref name="genres"/>, shrinking as <see cref="Tracks(int)"/>.</summary>
    public static Arbitrary<Seq<Track>> Tracks(Seq<string> genres, int maxRows = 20) =>
        Arb.From(GenreGen.Tracks(genres, maxRows), ShrinkTracks);

    /// <summary>Fewer tracks (each one left out, then the first or second half), then each track made plainer.</summary>
    public static IEnumerable<Seq<Track>> ShrinkTracks(Seq<Track> tracks)
    {
        if (tracks.Count > 1)
        {
            yield return tracks.Take(tracks.Count / 2).ToSeq().Strict();
            yield return tracks.Skip(tracks.Count / 2).ToSeq().Strict();
        }
        for (var i = 0; i < tracks.Count; i++) yield return tracks.Take(i).Concat(tracks.Skip(i + 1)).ToSeq().Strict();
        for (var i = 0; i < tracks.Count; i++)
            foreach (var plainer in ShrinkTrack(tracks[i]))
                yield return tracks.Take(i).Append(plainer).Concat(tracks.Skip(i + 1)).ToSeq().Strict();
    }

    /// <summary>A track with one thing made plainer: a text column to "a" (or missing), the genre to the first of the sorted
    /// genres, a number to zero.</summary>
    public static IEnumerable<Track> ShrinkTrack(Track t)
    {
        if (t.Artists != Some("a")) yield return t with { Artists = "a" };
        if (t.AlbumName != Some("a")) yield return t with { AlbumName = "a" };
        if (t.TrackName != Some("a")) yield return t with { TrackName = "a" };
        if (t.Popularity != 0) yield return t with { Popularity = 0 };
        if (t.Tempo != 0) yield return t with { Tempo = 0 };
        if (t.Loudness != 0) yield return t with { Loudness = 0 };
        if (t.Danceability != 0) yield return t with { Danceability = 0 };
    }

    /// <summary>Genres (1–6 of the Kaggle file's), shrinking to fewer.</summary>
    public static Arbitrary<Seq<string>> Genres() =>
        Arb.From(GenreGen.Genres, g => Enumerable.Range(1, Math.Max(0, g.Count - 1)).Select(n => g.Take(n).ToSeq().Strict()));

    /// <summary>Tracks over a few genres, with a valid mapping of those genres; shrinking drops tracks first.</summary>
    public static Arbitrary<(Seq<Track> Tracks, GenreMapping Mapping)> TracksWithMapping(int maxRows = 20) =>
        Arb.From(
            from genres in GenreGen.Genres
            from tracks in GenreGen.Tracks(genres, maxRows)
            from mapping in GenreGen.Mapping(genres)
            select (Tracks: tracks, Mapping: mapping),
            x => ShrinkTracks(x.Tracks).Select(t => (t, x.Mapping))
                .Concat(x.Mapping.Merges.IsEmpty ? [] : [(x.Tracks, GenreMapping.Identity)]));

    /// <summary>
    /// Kaggle-format CSV text of generated tracks as genre writes it, then written as other tools do: with a UTF-8 byte order
    /// mark, CRLF line ends, or both.
    /// </summary>
    public static Arbitrary<(Seq<Track> Tracks, string Csv)> CsvText(int maxRows = 12) =>
        Arb.From(
            from tracks in GenreGen.Tracks(KaggleGenres.Sorted, maxRows)
            from bom in Gen.Elements(false, true)
            from crlf in Gen.Elements(false, true)
            select (Tracks: tracks, Csv: Dress(TrackCsv.Format(tracks), bom, crlf)),
            x => ShrinkTracks(x.Tracks).Select(t => (t, TrackCsv.Format(t))));

    /// <summary>Line ends outside quoted fields as CRLF; a BOM in front.</summary>
    public static string Dress(string csv, bool bom, bool crlf)
    {
        if (crlf)
        {
            var sb = new System.Text.StringBuilder();
            var quoted = false;
            foreach (var ch in csv)
            {
                if (ch == '"') quoted = !quoted;
                if (ch == '\n' && !quoted) sb.Append('\r');
                sb.Append(ch);
            }
            csv = sb.ToString();
        }
        return bom ? "\uFEFF" + csv : csv;
    }

    /// <summary>Feature pipelines of built-in stages that fit on any frame of tracks (<see cref="ExperimentGen.Features"/>),
    /// shrinking to the report's pipeline.</summary>
    public static Arbitrary<Genre.Data.Stages.Pipeline> Pipelines() =>
        Arb.From(ExperimentGen.Features, p => p == Genre.Data.Pipelines.Report ? [] : new[] { Genre.Data.Pipelines.Report });

    /// <summary>
    /// Experiments (<see cref="ExperimentGen.Experiments"/>), shrinking one part at a time to a plain value: no mapping, the
    /// report's pipeline and split, a softmax network, a plain title, no settings table.
    /// </summary>
    public static Arbitrary<Genre.Eval.Experiment> Experiments() => Arb.From(ExperimentGen.Experiments, ShrinkExperiment);

    /// <summary>One part of <paramref name="e"/> made plainer.</summary>
    public static IEnumerable<Genre.Eval.Experiment> ShrinkExperiment(Genre.Eval.Experiment e)
    {
        if (e.Labels.IsSome) yield return e with { Labels = None };
        if (e.Features != Genre.Data.Pipelines.Report) yield return e with { Features = Genre.Data.Pipelines.Report };
        if (e.Split != Genre.Eval.DataSplit.Report) yield return e with { Split = Genre.Eval.DataSplit.Report };
        var plain = new Genre.Eval.Learner.Net(Genre.Models.Zoo.Softmax());
        if (e.Model != plain) yield return e with { Model = plain };
        if (e.Title != "a") yield return e with { Title = "a" };
        if (!e.Training.IsEmpty) yield return e with { Training = HashMap<string, Genre.Eval.Settings>() };
    }
}
