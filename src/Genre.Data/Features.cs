using LanguageExt;

namespace Genre.Data;

/// <summary>The report's 15 features (see <see cref="Track.FeatureColumns"/>) as float64, with <c>explicit</c> LabelEncoded.</summary>
public static class Features
{
    public const int Count = 15;

    public static Matrix Of(Seq<Track> tracks)
    {
        var explicitEncoding = LabelEncoding.Fit(tracks.Map(t => t.Explicit ? "True" : "False"));
        var explicitCode = explicitEncoding.Classes.Map(c => c == "True").ToArray(); // code → bool
        double Code(bool b) => Array.IndexOf(explicitCode, b);
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
        for (var i = 0; i < rows.Length; i++) Array.Copy(m.Values, rows[i] * m.Cols, v, i * m.Cols, m.Cols);
        return new Matrix(rows.Length, m.Cols, v);
    }
}
