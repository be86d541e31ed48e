
namespace Genre.Data;

/// <summary>Rows read, rows dropped as incomplete, rows dropped as duplicates, rows kept.</summary>
public sealed record CleaningCounts(int RowsRead, int MissingDropped, int DuplicatesDropped)
{
    /// <summary>Rows left after both drops: <see cref="RowsRead"/> − <see cref="MissingDropped"/> − <see
    /// cref="DuplicatesDropped"/>.</summary>
    public int RowsKept => RowsRead - MissingDropped - DuplicatesDropped;
}

/// <summary>The notebooks' cleaning with pandas semantics: <c>dropna()</c> then <c>drop_duplicates()</c> (keep first).</summary>
public static class Cleaning
{
    /// <summary>pandas <c>dropna()</c>: drops rows with no artists, album name or track name (the only columns that can be empty); order is
    /// kept.</summary>
    public static Seq<Track> DropMissing(Seq<Track> tracks) =>
        tracks.Filter(t => t.Artists.IsSome && t.AlbumName.IsSome && t.TrackName.IsSome).Strict();

    /// <summary>
    /// Drops rows equal to an earlier row in all 20 data columns (the unnamed index is pandas' index, not a column,
    /// so it takes no part), keeping the first.
    /// </summary>
    public static Seq<Track> DropDuplicates(Seq<Track> tracks)
    {
        // a set local to this call, filled in one eager pass: no lambda with state, and faster than an immutable set in a fold
        var seen = new System.Collections.Generic.HashSet<Track>(RowContent.Comparer);
        var kept = new List<Track>(tracks.Count);
        foreach (var t in tracks)
            if (seen.Add(t)) kept.Add(t);
        return kept.ToSeq().Strict();
    }

    /// <summary>The notebooks' cleaning: <see cref="DropMissing"/> then <see cref="DropDuplicates"/>, with the count of rows each step
    /// dropped.</summary>
    public static (Seq<Track> Tracks, CleaningCounts Report) Clean(Seq<Track> tracks)
    {
        var complete = DropMissing(tracks);
        var unique = DropDuplicates(complete);
        return (unique, new CleaningCounts(tracks.Count, tracks.Count - complete.Count, complete.Count - unique.Count));
    }

    /// <summary>Equality of two rows over every column except <see cref="Track.RowId"/>.</summary>
    public sealed class RowContent : IEqualityComparer<Track>
    {
        /// <summary>The single instance (the comparer has no state).</summary>
        public static readonly RowContent Comparer = new();
        /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> agree in all 20 data columns (floats compared exactly, missing
        /// names equal only to missing).</summary>
        public bool Equals(Track? a, Track? b) =>
            ReferenceEquals(a, b) || (a is not null && b is not null
                && a.TrackId == b.TrackId && a.TrackGenre == b.TrackGenre && a.Popularity == b.Popularity && a.DurationMs == b.DurationMs
                && a.Explicit == b.Explicit && a.Danceability.Equals(b.Danceability) && a.Energy.Equals(b.Energy) && a.Key == b.Key
                && a.Loudness.Equals(b.Loudness) && a.Mode == b.Mode && a.Speechiness.Equals(b.Speechiness)
                && a.Acousticness.Equals(b.Acousticness) && a.Instrumentalness.Equals(b.Instrumentalness) && a.Liveness.Equals(b.Liveness)
                && a.Valence.Equals(b.Valence) && a.Tempo.Equals(b.Tempo) && a.TimeSignature == b.TimeSignature
                && SameText(a.Artists, b.Artists) && SameText(a.AlbumName, b.AlbumName) && SameText(a.TrackName, b.TrackName));

        // Compares the options' contents directly: Option's own == resolves LanguageExt's Eq class on first use, which costs
        // about a second of reflection in a fresh process.
        static bool SameText(Option<string> x, Option<string> y) => x.Case is string s ? y.Case is string t && s == t : y.IsNone;
        /// <summary>A hash of a subset of the columns <see cref="Equals(Track?, Track?)"/> compares, so equal rows hash alike.</summary>
        public int GetHashCode(Track t) => HashCode.Combine(t.TrackId, t.TrackGenre, t.DurationMs, t.Danceability, t.Energy, t.Tempo,
            t.Popularity);
    }
}
