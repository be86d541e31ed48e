using System.Globalization;

namespace Genre.Data;

/// <summary>
/// Synthetic tracks in the real file's shape and quirks, deterministic per seed: the 114 genres in file order with
/// <c>rowsPerGenre</c> rows each, realistic ranges per column, genre-dependent feature distributions (genres of one family
/// — the pop, rock/metal, house, dance, country groups the report merges — sit close together, so the task is learnable
/// but hard), ~10% of rows re-list a track of a related genre with identical features, ~0.4% exact duplicate rows, one row
/// with empty artists/album/track name, and names with commas, quotes, semicolons and non-ASCII.
/// </summary>
public static class Synthetic
{
    /// <summary>Rows per genre of <c>genre synth</c> by default: 1,000, the Kaggle file's count (114,000 rows in all).</summary>
    public const int DefaultRowsPerGenre = 1000;
    /// <summary>The seed of <c>genre synth</c> by default.</summary>
    public const int DefaultSeed = 42;

    /// <summary>Families of related genres (members share a centre and differ by a small offset).</summary>
    static readonly string[][] Families =
    [
        ["pop", "cantopop", "indie-pop", "j-pop", "k-pop", "pop-film", "power-pop", "synth-pop", "mandopop", "mpb", "j-idol"],
        ["country", "honky-tonk", "bluegrass"],
        ["rock", "psych-rock", "punk-rock", "rock-n-roll", "rockabilly", "alt-rock", "j-rock", "grunge", "hard-rock", "punk", "emo",
            "garage"],
        ["metal", "black-metal", "death-metal", "grindcore", "hardcore", "heavy-metal", "metalcore", "industrial", "goth"],
        ["house", "chicago-house", "progressive-house", "deep-house"],
        ["dance", "club", "dancehall", "disco", "groove", "party", "j-dance", "edm", "electro", "hardstyle", "trance", "techno",
         "detroit-techno", "minimal-techno", "dubstep", "dub", "drum-and-bass", "breakbeat"],
        ["hip-hop", "r-n-b", "reggaeton", "latino", "latin"],
        ["salsa", "samba", "tango", "pagode", "sertanejo", "forro", "brazil"],
        ["ambient", "sleep", "study", "chill", "new-age", "piano", "classical", "opera"],
        ["kids", "children", "disney", "show-tunes"],
        ["acoustic", "singer-songwriter", "songwriter", "folk", "guitar", "sad", "romance"],
    ];

    sealed record Profile(string Genre, double[] Centre, double ExplicitRate, double MajorRate, int KeyBias);

    // popularity, duration, danceability, energy, loudness, speechiness, acousticness, instrumentalness, liveness, valence, tempo
    const int Latent = 11;

    /// <summary>
    /// <paramref name="rowsPerGenre"/> tracks for each of the 114 genres, the same for the same <paramref name="seed"/>; throws
    /// <see cref="ArgumentOutOfRangeException"/> when <paramref name="rowsPerGenre"/> is below 1.
    /// </summary>
    public static Seq<Track> Generate(int seed = DefaultSeed, int rowsPerGenre = DefaultRowsPerGenre)
    {
        if (rowsPerGenre < 1) throw new ArgumentOutOfRangeException(nameof(rowsPerGenre), "rows per genre must be ≥ 1");
        var r = new SyntheticRandom((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + 0x5EED);
        var profiles = Profiles(r);
        var total = rowsPerGenre * KaggleGenres.FileOrder.Count;
        var rows = new List<Track>(total);
        var byFamily = new Dictionary<int, List<Track>>();
        var relisted = new System.Collections.Generic.HashSet<(string, string)>();
        var missingAt = total / 2 + rowsPerGenre / 3; // one row with empty names, as the real file's row 65900
        // The real file has 450 exact duplicate rows in 114,000; place the same share, at distinct positions.
        var duplicates = DuplicatePositions(r, total, rowsPerGenre);
        foreach (var (p, familyId) in profiles)
        {
            var family = byFamily.TryGetValue(familyId, out var f) ? f : byFamily[familyId] = [];
            for (var i = 0; i < rowsPerGenre; i++)
            {
                var id = rows.Count;
                Track t;
                if (duplicates.Contains(id))
                    t = rows[^1] with { RowId = id };                                   // exact duplicate row
                else if (family.Count > 0 && r.Bernoulli(0.10) && family[r.Next(family.Count)] is var other
                         && other.TrackGenre != p.Genre && relisted.Add((other.TrackId, p.Genre)))
                    t = other with { RowId = id, TrackGenre = p.Genre };                 // same track, another genre
                else
                {
                    t = NewTrack(r, p, id);
                    if (family.Count < 5000) family.Add(t);                         // only originals are re-listed
                }
                if (id == missingAt) t = t with { Artists = None, AlbumName = None, TrackName = None };
                rows.Add(t);
            }
        }
        return toSeq(rows).Strict();
    }

    /// <summary>Row positions that repeat the previous row: 450 per 114,000, never a genre's first row nor the missing-name row's
    /// neighbour.</summary>
    static System.Collections.Generic.HashSet<int> DuplicatePositions(SyntheticRandom r, int total, int rowsPerGenre)
    {
        var want = (int)Math.Round(total * 450.0 / 114_000);
        var set = new System.Collections.Generic.HashSet<int>();
        var missingAt = total / 2 + rowsPerGenre / 3;
        while (set.Count < want && rowsPerGenre > 1)
        {
            var pos = r.Next(total);
            if (pos % rowsPerGenre == 0 || pos == missingAt || pos == missingAt + 1 || set.Contains(pos - 1)
                || set.Contains(pos + 1)) continue;
            set.Add(pos);
        }
        return set;
    }

    static List<(Profile Profile, int Family)> Profiles(SyntheticRandom r)
    {
        var familyOf = new Dictionary<string, int>();
        for (var f = 0; f < Families.Length; f++) foreach (var g in Families[f]) familyOf[g] = f;
        var centres = new Dictionary<int, double[]>();
        var result = new List<(Profile, int)>();
        var next = Families.Length;
        foreach (var genre in KaggleGenres.FileOrder)
        {
            var family = familyOf.TryGetValue(genre, out var fam) ? fam : next++;
            if (!centres.TryGetValue(family, out var centre))
                centres[family] = centre = Enumerable.Range(0, Latent).Select(_ => r.Uniform(0.25, 0.75)).ToArray();
            var own = centre.Select(c => Math.Clamp(c + 0.06 * r.Normal(), 0.02, 0.98)).ToArray();
            result.Add((new Profile(genre, own, r.Uniform(0, 0.4) * r.Uniform(0, 1), r.Uniform(0.45, 0.8), r.Next(12)), family));
        }
        return result;
    }

    /// <summary>A latent value near the genre's centre, squashed into (0,1).</summary>
    static double Draw(SyntheticRandom r, double centre, double spread = 0.28) => Math.Clamp(centre + spread * r.Normal(), 0.0, 1.0);

    static double Round(double v, int decimals) => Math.Round(v, decimals, MidpointRounding.ToEven);

    /// <summary>Three significant digits, as the real file's small values (1.01e-06, 0.0322).</summary>
    static double ThreeSignificantDigits(double v) => v == 0 ? 0.0 : double.Parse(
        v.ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    static Track NewTrack(SyntheticRandom r, Profile p, int id)
    {
        var c = p.Centre;
        var popularity = (long)Math.Round(100 * Draw(r, c[0], 0.2));
        var duration = (long)Math.Round(Math.Exp(Math.Log(60_000) + Draw(r, c[1], 0.12) * (Math.Log(480_000) - Math.Log(60_000))));
        var energy = Draw(r, c[3]);
        var instrumental = Draw(r, c[7], 0.25);
        return new Track(
            RowId: id,
            TrackId: SyntheticNames.TrackId(r),
            Artists: SyntheticNames.Artists(r),
            AlbumName: SyntheticNames.Title(r),
            TrackName: SyntheticNames.Title(r),
            Popularity: popularity,
            DurationMs: duration,
            Explicit: r.Bernoulli(p.ExplicitRate),
            Danceability: Round(Draw(r, c[2]), 3),
            Energy: Round(energy, r.Bernoulli(0.3) ? 4 : 3),
            Key: r.Bernoulli(0.3) ? p.KeyBias : r.Next(12),
            Loudness: Round(-2 - 30 * Math.Pow(1 - Draw(r, c[4], 0.12), 2), 3),
            Mode: r.Bernoulli(p.MajorRate) ? 1 : 0,
            Speechiness: ThreeSignificantDigits(0.022 + 0.9 * Math.Pow(Draw(r, c[5], 0.12), 3)),
            Acousticness: ThreeSignificantDigits(Math.Pow(Draw(r, c[6], 0.2), 2)),
            Instrumentalness: instrumental < 0.35 ? 0.0 : ThreeSignificantDigits(Math.Pow(10, -6 + 6 * (instrumental - 0.35) / 0.65)),
            Liveness: ThreeSignificantDigits(0.02 + 0.95 * Math.Pow(Draw(r, c[8], 0.15), 2)),
            Valence: Round(Draw(r, c[9]), 3),
            Tempo: r.Bernoulli(0.001) ? 0.0 : Round(60 + 150 * Draw(r, c[10], 0.14), 3),
            TimeSignature: r.NextDouble() switch { < 0.89 => 4, < 0.97 => 3, < 0.99 => 5, < 0.998 => 1, _ => 0 },
            TrackGenre: p.Genre);
    }
}
