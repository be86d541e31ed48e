
namespace Genre.Data;

/// <summary>
/// One row of the Kaggle Spotify Tracks file, all 21 columns typed. <see cref="RowId"/> is the unnamed first
/// column (pandas' index as written by <c>to_csv</c>). Text columns that pandas would read as NaN when empty are
/// <see cref="Option{A}"/>; every other column is required.
/// </summary>
public sealed record Track(
    long RowId,
    string TrackId,
    Option<string> Artists,
    Option<string> AlbumName,
    Option<string> TrackName,
    long Popularity,
    long DurationMs,
    bool Explicit,
    double Danceability,
    double Energy,
    long Key,
    double Loudness,
    long Mode,
    double Speechiness,
    double Acousticness,
    double Instrumentalness,
    double Liveness,
    double Valence,
    double Tempo,
    long TimeSignature,
    string TrackGenre)
{
    /// <summary>The header of the Kaggle file, in order (the first column has an empty name).</summary>
    public static readonly Seq<string> Columns = Prelude.Seq(
        "", "track_id", "artists", "album_name", "track_name", "popularity", "duration_ms", "explicit",
        "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
        "instrumentalness", "liveness", "valence", "tempo", "time_signature", "track_genre");

    /// <summary>The report's 15 feature columns, in report order.</summary>
    public static readonly Seq<string> FeatureColumns = Prelude.Seq(
        "popularity", "duration_ms", "explicit", "danceability", "energy", "key", "loudness", "mode",
        "speechiness", "acousticness", "instrumentalness", "liveness", "valence", "tempo", "time_signature");
}
