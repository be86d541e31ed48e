
namespace Genre.Data;

/// <summary>The report's 15 features (see <see cref="Track.FeatureColumns"/>) as float64, with <c>explicit</c> LabelEncoded.</summary>
public static class Features
{
    /// <summary>Number of features per track (columns of <see cref="Of(Seq{Track})"/>).</summary>
    public const int Count = 15;

    /// <summary>
    /// The 15 features of <paramref name="tracks"/> (one row per track, <see cref="Track.FeatureColumns"/> order), with
    /// <c>explicit</c> encoded by a LabelEncoder fitted on these tracks, as the notebooks do.
    /// </summary>
    public static Matrix Of(Seq<Track> tracks) => Of(tracks, ExplicitEncoding(tracks));

    /// <summary>The notebooks' LabelEncoder of the <c>explicit</c> column ("False"/"True"), fit on <paramref name="tracks"/>.</summary>
    public static LabelEncoding ExplicitEncoding(Seq<Track> tracks) => LabelEncoding.Fit(tracks.Map(t => ExplicitLabel(t.Explicit)));

    /// <summary>The <c>explicit</c> value as pandas reads it and LabelEncoder sees it.</summary>
    public static string ExplicitLabel(bool value) => value ? "True" : "False";

    /// <summary>The features with <c>explicit</c> encoded by a given (already fitted) encoding that knows every value in <paramref
    /// name="tracks"/>.</summary>
    public static Matrix Of(Seq<Track> tracks, LabelEncoding explicitEncoding)
    {
        var explicitCode = explicitEncoding.Classes.Map(c => c == "True").ToArray(); // code → bool
        double Code(bool b) => System.Array.IndexOf(explicitCode, b);
        var v = new double[tracks.Count * Count];
        var i = 0;
        foreach (var t in tracks)
        {
            v[i++] = t.Popularity; v[i++] = t.DurationMs; v[i++] = Code(t.Explicit); v[i++] = t.Danceability; v[i++] = t.Energy;
            v[i++] = t.Key; v[i++] = t.Loudness; v[i++] = t.Mode; v[i++] = t.Speechiness; v[i++] = t.Acousticness;
            v[i++] = t.Instrumentalness; v[i++] = t.Liveness; v[i++] = t.Valence; v[i++] = t.Tempo; v[i++] = t.TimeSignature;
        }
        return new Matrix(tracks.Count, Count, v);
    }

    /// <summary>Rows picked by position.</summary>
    public static Matrix Take(Matrix m, int[] rows)
    {
        var v = new double[rows.Length * m.Cols];
        for (var i = 0; i < rows.Length; i++) System.Array.Copy(m.Values, rows[i] * m.Cols, v, i * m.Cols, m.Cols);
        return new Matrix(rows.Length, m.Cols, v);
    }
}
