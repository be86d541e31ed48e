using LanguageExt.Common;

namespace Genre.Data;

/// <summary>
/// Reading (or removing) a file as a value: the one place that turns the file system's exceptions into genre's errors. A file
/// that is not there is <c>missing</c>'s error (default: an I/O error "PATH: file not found"); one that cannot be read is an I/O
/// error naming it with the reason (<see cref="GenreError.Reason"/>). What a file holds is the caller's to judge, never an
/// exception.
/// </summary>
public static class Files
{
    /// <summary>The file's bytes.</summary>
    public static Fin<byte[]> ReadBytes(string path, Func<string, Error>? missing = null) => Read(path, File.ReadAllBytes, missing);

    /// <summary>The file's text (UTF-8, a byte-order mark dropped).</summary>
    public static Fin<string> ReadText(string path, Func<string, Error>? missing = null) => Read(path, File.ReadAllText, missing);

    /// <summary>The file's lines.</summary>
    public static Fin<string[]> ReadLines(string path, Func<string, Error>? missing = null) => Read(path, File.ReadAllLines, missing);

    /// <summary>
    /// What <paramref name="read"/> makes of the open file, for a file too large to hold whole (a CSV, a file to hash): the
    /// stream is closed on every path, and an I/O failure while reading is the file's error as for the other readers.
    /// </summary>
    public static Fin<A> ReadStream<A>(string path, Func<Stream, A> read, Func<string, Error>? missing = null) =>
        Read(path, p =>
        {
            using var stream = File.OpenRead(p);
            return read(stream);
        }, missing);

    /// <summary>Removes the file (nothing to do when it is not there); a failure is an I/O error naming it and
    /// <paramref name="what"/> it was ("PATH: cannot remove WHAT (reason)").</summary>
    public static Fin<Unit> Delete(string path, string what = "the file")
    {
        try
        {
            File.Delete(path);
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return GenreError.Io($"{path}: cannot remove {what} ({GenreError.Reason(e)})");
        }
    }

    static Fin<A> Read<A>(string path, Func<string, A> read, Func<string, Error>? missing)
    {
        try { return read(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        { return (missing ?? NotFound)(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { return GenreError.Io($"{path}: cannot read ({GenreError.Reason(e)})"); }
    }

    static Error NotFound(string path) => GenreError.Io($"{path}: file not found");
}
