using LanguageExt.Common;

namespace Genre.Data;

/// <summary>
/// Reading a whole file as a value: the one place that turns the file system's exceptions into genre's errors. A file that is
/// not there is <paramref name="missing"/>'s error (default: an I/O error "PATH: file not found"); one that cannot be read is an
/// I/O error naming it with the reason (<see cref="GenreError.Reason"/>).
/// </summary>
public static class Files
{
    /// <summary>The file's bytes.</summary>
    public static Fin<byte[]> ReadBytes(string path, Func<string, Error>? missing = null) => Read(path, File.ReadAllBytes, missing);

    /// <summary>The file's text (UTF-8, a byte-order mark dropped).</summary>
    public static Fin<string> ReadText(string path, Func<string, Error>? missing = null) => Read(path, File.ReadAllText, missing);

    /// <summary>The file's lines.</summary>
    public static Fin<string[]> ReadLines(string path, Func<string, Error>? missing = null) => Read(path, File.ReadAllLines, missing);

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
