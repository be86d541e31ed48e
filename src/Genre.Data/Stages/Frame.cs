namespace Genre.Data.Stages;

/// <summary>One named column of a <see cref="Frame"/>: numbers or text.</summary>
public abstract record FrameColumn(string Name)
{
    /// <summary>Number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>The rows at <paramref name="rows"/> (positions), in that order.</summary>
    public abstract FrameColumn Take(int[] rows);

    /// <summary>The same values under another name.</summary>
    public FrameColumn Named(string name) => this with { Name = name };
}

/// <summary>A column of float64 values (NaN allowed: a stage decides what it means).</summary>
public sealed record NumericColumn(string Name, double[] Values) : FrameColumn(Name)
{
    /// <inheritdoc/>
    public override int Count => Values.Length;

    /// <inheritdoc/>
    public override FrameColumn Take(int[] rows) => this with { Values = rows.Select(r => Values[r]).ToArray() };

    /// <summary>Same name and values (records would compare the array by reference).</summary>
    public bool Equals(NumericColumn? other) => other is not null && Name == other.Name && ArrayValues.Equal(Values, other.Values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, ArrayValues.Hash(Values));
}

/// <summary>A column of text values; None is a missing value (pandas' NaN).</summary>
public sealed record TextColumn(string Name, Option<string>[] Values) : FrameColumn(Name)
{
    /// <inheritdoc/>
    public override int Count => Values.Length;

    /// <inheritdoc/>
    public override FrameColumn Take(int[] rows) => this with { Values = rows.Select(r => Values[r]).ToArray() };

    /// <summary>Same name and values (records would compare the array by reference).</summary>
    public bool Equals(TextColumn? other) => other is not null && Name == other.Name && Values.SequenceEqual(other.Values);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Values.Length, Values.Length > 0 ? Values[0].GetHashCode() : 0);
}

/// <summary>
/// A table of named columns, all of one length: what a pipeline stage reads and writes (pandas' DataFrame, as scikit-learn's
/// transformers see it). Immutable: every operation returns a new frame and never changes the arrays it shares.
/// </summary>
public sealed record Frame(int Rows, Seq<FrameColumn> Columns)
{
    /// <summary>Each row's label in messages (pandas' index): the Kaggle row id for a frame of tracks; None numbers rows from 1.</summary>
    public Option<long[]> Index { get; init; }

    /// <summary>How a message names row <paramref name="r"/> (0-based position).</summary>
    public long RowLabel(int r) => Index.Match(ix => ix[r], () => r + 1L);

    /// <summary>Same rows, columns and index (records would compare the index array by reference).</summary>
    public bool Equals(Frame? other) =>
        other is not null && Rows == other.Rows && Columns == other.Columns
        && Index.Map(i => i.AsEnumerable()).IfNone([]).SequenceEqual(other.Index.Map(i => i.AsEnumerable()).IfNone([]));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Rows, Columns);

    /// <summary>The column names, in order.</summary>
    public Seq<string> Names => Columns.Map(c => c.Name);

    /// <summary>A frame from columns of one length with distinct names; a data error naming the first that breaks that.</summary>
    public static Fin<Frame> Of(Seq<FrameColumn> columns)
    {
        var rows = columns.HeadOrNone().Map(c => c.Count).IfNone(0);
        var ragged = columns.Find(c => c.Count != rows);
        if (ragged.Case is FrameColumn r)
            return GenreError.Data($"frame: column '{r.Name}' has {r.Count} rows, '{columns.Head.Name}' has {rows}");
        var twice = columns.Map(c => c.Name).GroupBy(n => n).Find(g => g.Count() > 1);
        return twice.Case is IGrouping<string, string> g
            ? GenreError.Data($"frame: column '{g.Key}' appears {g.Count()} times")
            : new Frame(rows, columns);
    }

    /// <summary>The named columns of a matrix (row-major), in order.</summary>
    public static Frame Of(Matrix x, Seq<string> names) =>
        new(x.Rows, names.Select((name, c) => (FrameColumn)new NumericColumn(name, ColumnOf(x, c))).ToSeq().Strict());

    static double[] ColumnOf(Matrix x, int c)
    {
        var v = new double[x.Rows];
        for (var r = 0; r < x.Rows; r++) v[r] = x.Values[r * x.Cols + c];
        return v;
    }

    /// <summary>
    /// Every column of the Kaggle file but the unnamed index, as pandas reads them: numbers as float64, <c>explicit</c> as the
    /// text "True"/"False" (LabelEncoder's input), missing text as None.
    /// </summary>
    public static Frame Of(Seq<Track> tracks)
    {
        var t = tracks.ToArray();
        FrameColumn Num(string name, Func<Track, double> f) => new NumericColumn(name, t.Select(f).ToArray());
        FrameColumn Text(string name, Func<Track, Option<string>> f) => new TextColumn(name, t.Select(f).ToArray());
        return new Frame(t.Length, Seq(
            Text("track_id", x => x.TrackId), Text("artists", x => x.Artists), Text("album_name", x => x.AlbumName),
            Text("track_name", x => x.TrackName), Num("popularity", x => x.Popularity), Num("duration_ms", x => x.DurationMs),
            Text("explicit", x => Features.ExplicitLabel(x.Explicit)), Num("danceability", x => x.Danceability),
            Num("energy", x => x.Energy), Num("key", x => x.Key), Num("loudness", x => x.Loudness), Num("mode", x => x.Mode),
            Num("speechiness", x => x.Speechiness), Num("acousticness", x => x.Acousticness),
            Num("instrumentalness", x => x.Instrumentalness), Num("liveness", x => x.Liveness), Num("valence", x => x.Valence),
            Num("tempo", x => x.Tempo), Num("time_signature", x => x.TimeSignature), Text("track_genre", x => x.TrackGenre)))
        {
            Index = t.Select(x => x.RowId).ToArray(),
        };
    }

    /// <summary>The column named <paramref name="name"/>; a data error naming it (and <paramref name="at"/>) when absent.</summary>
    public Fin<FrameColumn> Column(string name, string at) =>
        Columns.Find(c => c.Name == name).ToFin(GenreError.Data($"{at}: no column '{name}' (the frame has {Show(Names)})"));

    /// <summary>The numeric column named <paramref name="name"/>; a data error when it is absent or text.</summary>
    public Fin<NumericColumn> Numeric(string name, string at) =>
        Column(name, at).Bind(c => c is NumericColumn n
            ? FinSucc(n)
            : FinFail<NumericColumn>(GenreError.Data($"{at}: column '{name}' holds text, not numbers")));

    /// <summary>The named columns, in the order given (each must exist).</summary>
    public Fin<Frame> Select(Seq<string> names, string at) =>
        names.Map(n => Column(n, at)).Sequence().Map(cs => this with { Columns = cs.Strict() });

    /// <summary>Every column except those named, in the frame's order.</summary>
    public Frame Without(Seq<string> names) => this with { Columns = Columns.Filter(c => !names.Contains(c.Name)).Strict() };

    /// <summary>The rows at <paramref name="rows"/> (positions), in that order.</summary>
    public Frame Take(int[] rows) =>
        new(rows.Length, Columns.Map(c => c.Take(rows)).Strict()) { Index = rows.Select(RowLabel).ToArray() };

    /// <summary>Columns side by side; a data error when the row counts differ or a name repeats.</summary>
    public static Fin<Frame> Concat(Seq<Frame> parts, string at) =>
        Of(parts.Bind(p => p.Columns).Strict()).MapError(e => GenreError.Data($"{at}: {e.Message}"))
            .Bind(f => parts.Exists(p => p.Rows != f.Rows)
                ? FinFail<Frame>(GenreError.Data($"{at}: the parts have {Show(parts.Map(p => p.Rows.ToString()))} rows"))
                : FinSucc(f with { Index = parts.HeadOrNone().Bind(p => p.Index) }));

    /// <summary>The frame as a row-major matrix, the model's input; a data error naming the first text column.</summary>
    public Fin<Matrix> ToMatrix(string at)
    {
        var text = Columns.Find(c => c is not NumericColumn);
        if (text.Case is FrameColumn t)
            return GenreError.Data($"{at}: column '{t.Name}' holds text; a model reads numbers (add a stage that encodes it)");
        var cols = Columns.Map(c => ((NumericColumn)c).Values).ToArray();
        var v = new double[Rows * cols.Length];
        for (var c = 0; c < cols.Length; c++)
            for (var r = 0; r < Rows; r++) v[r * cols.Length + c] = cols[c][r];
        return new Matrix(Rows, cols.Length, v);
    }

    /// <summary>Names for a one-line message: the first few, then how many more.</summary>
    internal static string Show(Seq<string> names) =>
        names.Count <= 6 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(6))} and {names.Count - 6} more";
}
