using System.Globalization;
using LanguageExt.Common;
using nietras.SeparatedValues;

namespace Genre.Data;

/// <summary>
/// The tracks of a file read by <see cref="TrackCsv.LoadNew"/>: <see cref="HasGenre"/> says whether it had the
/// <c>track_genre</c> column; without it every track's genre is empty (unknown).
/// </summary>
public sealed record TrackFile(Seq<Track> Tracks, bool HasGenre);

/// <summary>
/// The Kaggle Spotify Tracks CSV (pandas <c>to_csv</c> with the unnamed index column). Loading validates the header and
/// every cell, collecting errors (file:line: column 'x': why) instead of stopping at the first; writing reproduces
/// pandas' bytes exactly (QUOTE_MINIMAL, Python float repr, True/False, empty field for a missing value).
/// </summary>
public static class TrackCsv
{
    /// <summary>At most this many cell errors are reported; the rest are counted.</summary>
    public const int MaxErrors = 20;

    /// <summary>
    /// The tracks of a Kaggle-format file, in file order. Fails with an I/O error when the file is missing or unreadable, or
    /// with data errors for the header and for up to <see cref="MaxErrors"/> bad cells (the rest counted).
    /// </summary>
    public static Validation<Error, Seq<Track>> Load(string path) => LoadFile(path, GenreColumn.Required).Map(f => f.Tracks);

    /// <summary>
    /// A file of tracks to classify: the Kaggle header, or the Kaggle header without its last column <c>track_genre</c>
    /// (new tracks, whose genre is unknown: their <see cref="Track.TrackGenre"/> is empty). Every other check is
    /// <see cref="Load"/>'s.
    /// </summary>
    public static Validation<Error, TrackFile> LoadNew(string path) => LoadFile(path, GenreColumn.Optional);

    static Validation<Error, TrackFile> LoadFile(string path, GenreColumn genre) =>
        Files.ReadStream(path, stream =>
        {
            if (stream.Length == 0) return Fail<Error, TrackFile>(GenreError.Data($"{path}:1: empty file (expected the Kaggle header)"));
            using var reader = Options().From(stream);
            return Read(reader, path, genre);
        }).Match(tracks => tracks, e => Fail<Error, TrackFile>(e));

    /// <summary>Parses CSV text held in memory; <paramref name="fileName"/> is used in error messages.</summary>
    public static Validation<Error, Seq<Track>> Parse(string text, string fileName) => ParseFile(text, fileName, GenreColumn.Required)
        .Map(f => f.Tracks);

    /// <summary><see cref="LoadNew"/> on text held in memory.</summary>
    public static Validation<Error, TrackFile> ParseNew(string text, string fileName) => ParseFile(text, fileName, GenreColumn.Optional);

    static Validation<Error, TrackFile> ParseFile(string text, string fileName, GenreColumn genre)
    {
        if (text.Length == 0) return Fail<Error, TrackFile>(GenreError.Data($"{fileName}:1: empty file (expected the Kaggle header)"));
        if (text[0] == '\uFEFF') text = text[1..];
        using var reader = Options().FromText(text);
        return Read(reader, fileName, genre);
    }

    /// <summary>Whether a file may leave out the last column, <c>track_genre</c>.</summary>
    enum GenreColumn { Required, Optional }

    // The header is read as an ordinary row (HasHeader = false): Sep would throw on a repeated column name, and a bad
    // header must come back as a one-line data error like any other.
    static SepReaderOptions Options() =>
        Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = false });

    static Validation<Error, TrackFile> Read(SepReader reader, string file, GenreColumn genre)
    {
        var tracks = new List<Track>(1 << 17);
        var errors = new ErrorLog(file);
        var genres = new Dictionary<string, string>(StringComparer.Ordinal);
        var sawHeader = false;
        var columns = Track.Columns;
        foreach (var row in reader)
        {
            if (!sawHeader)
            {
                sawHeader = true;
                var header = new string[row.ColCount];
                for (var i = 0; i < header.Length; i++) header[i] = row[i].ToString().TrimStart('\uFEFF');
                if (genre == GenreColumn.Optional && header.SequenceEqual(Track.Columns.Init))
                {
                    columns = Track.Columns.Init;
                    continue;
                }
                // a file of new tracks without track_genre is checked against the header it meant, so errors name only what it lacks
                var meant = genre == GenreColumn.Optional && !header.Contains("track_genre") ? Track.Columns.Init : Track.Columns;
                var headerError = CheckHeader(header, file, meant);
                if (headerError.IsSome) return Fail<Error, TrackFile>((Error)headerError);
                continue;
            }
            if (row.ColCount == 1 && row.Span.Length == 0) continue; // a blank line: pandas skips it (skip_blank_lines)
            var cells = new CellReader(file, row.LineNumberFrom, errors);
            if (row.ColCount != columns.Count)
            {
                cells.Fail(row.ColCount < columns.Count ? columns[row.ColCount] : "(extra)",
                    $"expected {columns.Count} fields, found {row.ColCount}" + (row.ColCount < columns.Count ? " (truncated line?)" : ""));
            }
            else
            {
                var t = ParseRow(row, cells, genres, labelled: columns.Count == Track.Columns.Count);
                if (t is not null && errors.Total == 0) tracks.Add(t);
            }
        }
        if (!sawHeader) return Fail<Error, TrackFile>(GenreError.Data($"{file}:1: empty file (expected the Kaggle header)"));
        return errors.Total > 0
            ? Fail<Error, TrackFile>(errors.Reported)
            : Success<Error, TrackFile>(new TrackFile(toSeq(tracks).Strict(), columns.Count == Track.Columns.Count));
    }

    /// <summary>Keeps the first <see cref="MaxErrors"/> errors and counts the rest, so a wholly wrong file stays readable.</summary>
    sealed class ErrorLog(string file)
    {
        readonly List<Error> shown = [];
        public int Total { get; private set; }

        public void Add(Error e)
        {
            Total++;
            if (shown.Count < MaxErrors) shown.Add(e);
        }

        public Seq<Error> Reported => Total > shown.Count
            ? toSeq(shown).Add(GenreError.Data($"{file}: {Total - shown.Count} more error(s) not shown ({Total} in all)"))
            : toSeq(shown);
    }

    static Option<Error> CheckHeader(string[] header, string file, Seq<string> expected)
    {
        var missing = expected.Filter(c => !header.Contains(c)).Map(c => c == "" ? "(unnamed index)" : c).ToList();
        var extra = header.Where(h => !expected.Contains(h)).ToList();
        var repeated = header.Where(h => expected.Contains(h)).GroupBy(h => h).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (header.SequenceEqual(expected)) return None;
        static string Name(string c) => c == "" ? "(unnamed)" : GenreError.Show(c);
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing column(s) {string.Join(", ", missing)}");
        if (extra.Count > 0) parts.Add($"unexpected column(s) {string.Join(", ", extra.Take(10).Select(Name))}" + (
            extra.Count > 10 ? $" and {extra.Count - 10} more" : ""));
        if (repeated.Count > 0) parts.Add($"repeated column(s) {string.Join(", ", repeated.Select(Name))}");
        if (parts.Count == 0) parts.Add("columns are out of order");
        return GenreError.Data($"{file}:1: header is not the Kaggle header: {string.Join("; ", parts)}");
    }

    static Track? ParseRow(SepReader.Row row, CellReader c, Dictionary<string, string> genres, bool labelled)
    {
        var before = c.ErrorCount;
        var rowId = c.Long(row[0].Span, "");
        var trackId = c.Text(row[1].Span, "track_id");
        var artists = OptionalText(row[2].Span);
        var album = OptionalText(row[3].Span);
        var name = OptionalText(row[4].Span);
        var popularity = c.Long(row[5].Span, "popularity");
        var duration = c.Long(row[6].Span, "duration_ms");
        if (duration < 0) c.Fail("duration_ms", $"negative duration '{duration}'");
        var @explicit = c.Bool(row[7].Span, "explicit");
        var danceability = c.Double(row[8].Span, "danceability");
        var energy = c.Double(row[9].Span, "energy");
        var key = c.Long(row[10].Span, "key");
        var loudness = c.Double(row[11].Span, "loudness");
        var mode = c.Long(row[12].Span, "mode");
        var speechiness = c.Double(row[13].Span, "speechiness");
        var acousticness = c.Double(row[14].Span, "acousticness");
        var instrumentalness = c.Double(row[15].Span, "instrumentalness");
        var liveness = c.Double(row[16].Span, "liveness");
        var valence = c.Double(row[17].Span, "valence");
        var tempo = c.Double(row[18].Span, "tempo");
        var timeSignature = c.Long(row[19].Span, "time_signature");
        var genreText = labelled ? c.Text(row[20].Span, "track_genre") : "";
        if (c.ErrorCount != before) return null;
        if (!genres.TryGetValue(genreText, out var genre)) genres[genreText] = genre = genreText;
        return new Track(rowId, trackId, artists, album, name, popularity, duration, @explicit, danceability, energy, key,
            loudness, mode, speechiness, acousticness, instrumentalness, liveness, valence, tempo, timeSignature, genre);
    }

    static Option<string> OptionalText(ReadOnlySpan<char> s) => s.Length == 0 ? None : Some(s.ToString());

    /// <summary>Parses cells of one row, recording one error per bad cell.</summary>
    sealed class CellReader(string file, int line, ErrorLog errors)
    {
        public int ErrorCount => errors.Total;

        public void Fail(string column, string message) => errors.Add(GenreError.Cell(
            file, line, column == "" ? "(index)" : column, message));

        public string Text(ReadOnlySpan<char> s, string column)
        {
            if (s.Length == 0) Fail(column, "empty value");
            return s.ToString();
        }

        public long Long(ReadOnlySpan<char> s, string column)
        {
            if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
            Fail(column, s.Length == 0 ? "empty value" : $"'{Clip(s)}' is not an integer");
            return 0;
        }

        public double Double(ReadOnlySpan<char> s, string column)
        {
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
            {
                if (double.IsFinite(v)) return v;
                Fail(column, $"'{Clip(s)}' is not a finite number");
                return 0;
            }
            var word = s.TrimStart("+-").ToString().ToLowerInvariant();
            Fail(column, s.Length == 0 ? "empty value"
                : word is "inf" or "infinity" or "nan" ? $"'{Clip(s)}' is not a finite number"
                : $"'{Clip(s)}' is not a number");
            return 0;
        }

        public bool Bool(ReadOnlySpan<char> s, string column)
        {
            if (s is "True" or "true" or "TRUE") return true;
            if (s is "False" or "false" or "FALSE") return false;
            Fail(column, s.Length == 0 ? "empty value" : $"'{Clip(s)}' is not True/False");
            return false;
        }

        static string Clip(ReadOnlySpan<char> s) => GenreError.Show(s);
    }

    // ---------------------------------------------------------------- writing

    /// <summary>The file's text exactly as pandas' <c>df.to_csv(path)</c> writes it (with the index column).</summary>
    public static void Write(IEnumerable<Track> tracks, TextWriter w)
    {
        w.Write(string.Join(",", Track.Columns));
        w.Write('\n');
        foreach (var t in tracks)
        {
            w.Write(FormatRow(t));
            w.Write('\n');
        }
    }

    /// <summary>The text <see cref="Write"/> writes, as one string (header and a trailing newline included).</summary>
    public static string Format(IEnumerable<Track> tracks)
    {
        using var sw = new StringWriter(CultureInfo.InvariantCulture);
        Write(tracks, sw);
        return sw.ToString();
    }

    /// <summary>Writes the file atomically (UTF-8 without BOM).</summary>
    public static Fin<Unit> Save(string path, IEnumerable<Track> tracks) =>
        AtomicFile.Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            Write(tracks, w);
        });

    /// <summary>One data line as pandas writes it, without the newline: index, then the 20 columns (floats in Python's repr).</summary>
    public static string FormatRow(Track t)
    {
        static string I(long v) => v.ToString(CultureInfo.InvariantCulture);
        static string F(double v) => PythonFloat.Repr(v);
        static string O(Option<string> v) => v.Match(Quote, () => "");
        return string.Join(",",
            I(t.RowId), Quote(t.TrackId), O(t.Artists), O(t.AlbumName), O(t.TrackName), I(t.Popularity), I(t.DurationMs),
            t.Explicit ? "True" : "False", F(t.Danceability), F(t.Energy), I(t.Key), F(t.Loudness), I(t.Mode), F(t.Speechiness),
            F(t.Acousticness), F(t.Instrumentalness), F(t.Liveness), F(t.Valence), F(t.Tempo), I(t.TimeSignature), Quote(t.TrackGenre));
    }

    /// <summary>csv.QUOTE_MINIMAL: quote when the field holds the delimiter, a quote or a line break; double inner quotes.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
