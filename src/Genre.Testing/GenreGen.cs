using FsCheck;
using FsCheck.Fluent;
using Genre.Data;

namespace Genre.Testing;

/// <summary>
/// FsCheck generators over genre's domain, built from FsCheck's combinators (no System.Random): tracks over the Kaggle file's
/// columns with each column's edge values, text with the hazards a CSV writer must survive, genre mappings valid by construction
/// and each kind of invalid one. <see cref="GenreArb"/> pairs them with shrinkers.
/// </summary>
public static class GenreGen
{
    /// <summary>A value in [0, 1] as Spotify's audio features hold them: the bounds, halves, and three-decimal values.</summary>
    public static readonly Gen<double> UnitInterval =
        Gen.Frequency((1, Gen.Elements(0.0, 1.0, 0.5)), (4, Gen.Choose(0, 1000).Select(i => i / 1000.0)));

    /// <summary>
    /// Text a CSV writer must survive (RFC 4180): plain words, quotes, commas, line breaks (LF and CRLF), leading and trailing
    /// spaces, non-ASCII letters and symbols outside the BMP.
    /// </summary>
    public static readonly Gen<string> Text = Gen.OneOf(
        Gen.Elements("a", "Song", "The Beatles", "AC/DC", "Sigur Rós", "Beyoncé", "東京事変", "Μίκης", "🎵 mix", "x"),
        Gen.Elements("Hello, World", "He said \"hi\"", "\"quoted\"", "line\nbreak", "crlf\r\nbreak", " padded ", ",", "\"", "a;b\tc"),
        Gen.Choose(1, 12).SelectMany(n => Gen.Elements('a', 'z', ' ', ',', '"', '\n', 'é', '字').ArrayOf(n)).Select(c => new string(c))
            .Where(s => s.Length > 0));

    /// <summary>An optional text column: missing (pandas' NaN, an empty cell) or hazardous text.</summary>
    public static readonly Gen<Option<string>> OptionalText =
        Gen.Frequency((1, Gen.Constant(Option<string>.None)), (5, Text.Select(Some)));

    /// <summary>
    /// A track over the Kaggle domain, its genre one of <paramref name="genres"/>: popularity 0–100, duration ≥ 0 (0 and the
    /// file's longest, 5,237,295 ms, among them), key −1 (no key) to 11, loudness −49.531 to 4.532 dB, mode 0/1, tempo 0–243,
    /// time_signature 0–5, and the rest in [0, 1].
    /// </summary>
    public static Gen<Track> Track(Seq<string> genres) =>
        from rowId in Gen.Choose(0, 113_999)
        from id in Gen.Elements("5SuOikwiRyPMVoIQDJUgSV", "4qPNDBW1i3p13qLCt0Ki3A", "1iJBSr7s7jYXzM8EGcbK5b", "6lfxq3CG4xtTiEg7opyCyx")
        from artists in OptionalText
        from album in OptionalText
        from name in OptionalText
        from popularity in Gen.Frequency((1, Gen.Elements(0, 100)), (4, Gen.Choose(0, 100)))
        from duration in Gen.Frequency((1, Gen.Elements(0, 5_237_295)), (4, Gen.Choose(8_586, 600_000)))
        from isExplicit in Gen.Elements(false, true)
        from danceability in UnitInterval
        from energy in UnitInterval
        from key in Gen.Choose(-1, 11)
        from loudness in Gen.Frequency((1, Gen.Elements(-49.531, 4.532, 0.0)), (4, Gen.Choose(-49_531, 4_532).Select(i => i / 1000.0)))
        from mode in Gen.Elements(0, 1)
        from speechiness in UnitInterval
        from acousticness in UnitInterval
        from instrumentalness in UnitInterval
        from liveness in UnitInterval
        from valence in UnitInterval
        from tempo in Gen.Frequency((1, Gen.Elements(0.0, 243.372)), (4, Gen.Choose(30_000, 243_372).Select(i => i / 1000.0)))
        from timeSignature in Gen.Choose(0, 5)
        from genre in Gen.Elements(genres.ToArray())
        select new Track(rowId, id, artists, album, name, popularity, duration, isExplicit, danceability, energy, key, loudness, mode,
            speechiness, acousticness, instrumentalness, liveness, valence, tempo, timeSignature, genre);

    /// <summary>Up to <paramref name="maxRows"/> tracks (distinct row ids, as a file's index) over <paramref name="genres"/>.</summary>
    public static Gen<Seq<Track>> Tracks(Seq<string> genres, int maxRows = 20) =>
        Gen.Choose(0, maxRows).SelectMany(n => Track(genres).ArrayOf(n))
            .Select(ts => ts.Select((t, i) => t with { RowId = i }).ToSeq().Strict());

    /// <summary>A few of the Kaggle file's genres (at least one).</summary>
    public static readonly Gen<Seq<string>> Genres =
        Gen.Choose(1, 6).SelectMany(n => Gen.Shuffle(KaggleGenres.Sorted.ToArray()).Select(g => g.Take(n).ToSeq().Strict()));

    /// <summary>
    /// A valid mapping over <paramref name="genres"/> by construction: some genres are targets, some of the others merge into
    /// one of them, none twice, none into itself, no target merged away.
    /// </summary>
    public static Gen<GenreMapping> Mapping(Seq<string> genres) =>
        from order in Gen.Shuffle(genres.ToArray())
        from targets in Gen.Choose(1, Math.Max(1, order.Length))
        from merged in Gen.Choose(0, order.Length - targets)
        from choice in Gen.Choose(0, targets - 1).ArrayOf(merged)
        let pairs = choice.Select((t, i) => (order[targets + i], order[t]))
        select GenreMapping.Create(pairs).Match(m => m, _ => GenreMapping.Identity);

    /// <summary>The ways a mapping can be invalid (<see cref="GenreMapping.Create"/> refuses each).</summary>
    public enum Invalid
    {
        /// <summary>A source mapped to two targets.</summary>
        MappedTwice,
        /// <summary>A genre mapped to itself.</summary>
        MappedToItself,
        /// <summary>A target that is itself merged into another genre.</summary>
        TargetMergedAway,
    }

    /// <summary>(source, target) pairs over at least three genres that are invalid in the given way, and that way.</summary>
    public static Gen<(Seq<(string Source, string Target)> Pairs, Invalid Kind)> InvalidMapping(Seq<string> genres) =>
        from kind in Gen.Elements(Invalid.MappedTwice, Invalid.MappedToItself, Invalid.TargetMergedAway)
        from order in Gen.Shuffle(genres.Count >= 3 ? genres.ToArray() : KaggleGenres.Sorted.Take(3).ToArray())
        select (kind switch
        {
            Invalid.MappedTwice => Seq((order[0], order[1]), (order[0], order[2])),
            Invalid.MappedToItself => Seq1((order[0], order[0])),
            _ => Seq((order[0], order[1]), (order[1], order[2])),
        }, kind);

    /// <summary>A split of <paramref name="rows"/> positions into train, validation and test (each position in exactly one, at
    /// least one in train), as <c>train_test_split</c> twice or a track-aware split would give.</summary>
    public static Gen<(int[] Train, int[] Val, int[] Test)> Split(int rows) =>
        from subset in Gen.Elements(0, 0, 0, 1, 2).ArrayOf(rows)
        let train = Enumerable.Range(0, rows).Where(i => subset[i] == 0 || i == 0).ToArray()
        select (train,
                Enumerable.Range(1, Math.Max(0, rows - 1)).Where(i => subset[i] == 1).ToArray(),
                Enumerable.Range(1, Math.Max(0, rows - 1)).Where(i => subset[i] == 2).ToArray());

    /// <summary>A dataset: tracks over the Kaggle genres (1–<paramref name="maxRows"/>) and a split of them.</summary>
    public static Gen<(Seq<Track> Tracks, (int[] Train, int[] Val, int[] Test) Split)> Dataset(int maxRows = 20) =>
        from tracks in Tracks(KaggleGenres.Sorted, maxRows).Where(t => t.Count >= 1)
        from split in Split(tracks.Count)
        select (tracks, split);
}
