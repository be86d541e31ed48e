using LanguageExt.Common;

namespace Genre.Data;

/// <summary>
/// The error vocabulary shared by every project. Each error is a LanguageExt <see cref="Error"/> whose
/// <see cref="Error.Code"/> is the process exit code the CLI returns for it, and whose message is one line
/// that names the place (file:line:column, or layer/tensor and shape).
/// </summary>
public static class GenreError
{
    /// <summary>Exit code 1: a bug — any error that is not one of the kinds below.</summary>
    public const int InternalCode = 1;
    /// <summary>Exit code 2: a bad command line or argument (unknown verb, option or model name, value out of range).</summary>
    public const int UsageCode = 2;
    /// <summary>Exit code 3: bad input data (CSV header or cells, genre mapping).</summary>
    public const int DataCode = 3;
    /// <summary>Exit code 4: the file system (missing file, unwritable output, output folder in use by another run).</summary>
    public const int IoCode = 4;
    /// <summary>Exit code 5: a model spec, weights or checkpoint (shapes, dtypes, checksums, SavedModel layout).</summary>
    public const int ModelCode = 5;
    /// <summary>Exit code 6: training stopped because the loss or a weight is no longer a finite number.</summary>
    public const int DivergedCode = 6;

    /// <summary>An error for a bad command line or argument (code <see cref="UsageCode"/>); <paramref name="message"/> is one line naming
    /// the place.</summary>
    public static Error Usage(string message) => Error.New(UsageCode, message);
    /// <summary>An error for bad input data (code <see cref="DataCode"/>); <paramref name="message"/> is one line naming the
    /// place.</summary>
    public static Error Data(string message) => Error.New(DataCode, message);
    /// <summary>An error for a file-system failure (code <see cref="IoCode"/>); <paramref name="message"/> is one line naming the
    /// place.</summary>
    public static Error Io(string message) => Error.New(IoCode, message);
    /// <summary>An error for a bad model spec, weights or checkpoint (code <see cref="ModelCode"/>); <paramref name="message"/> is one line
    /// naming the place.</summary>
    public static Error Model(string message) => Error.New(ModelCode, message);
    /// <summary>An error for training that diverged (code <see cref="DivergedCode"/>); <paramref name="message"/> is one line naming the
    /// place.</summary>
    public static Error Diverged(string message) => Error.New(DivergedCode, message);

    /// <summary>A bad cell: "file:line:column 'name': message" (line is 1-based in the file, header = line 1).</summary>
    public static Error Cell(string file, long line, string column, string message) =>
        Data($"{file}:{line}: column '{column}': {message}");

    /// <summary>
    /// The exit code for <paramref name="e"/>: its own code, or for several errors (e.g. every bad cell of a file) the code
    /// of the first that has one; <see cref="InternalCode"/> when none does.
    /// </summary>
    public static int ExitCode(Error e) => e switch
    {
        ManyErrors many => many.Errors.Map(ExitCode).Find(c => c != InternalCode).IfNone(InternalCode),
        _ => e.Code is > InternalCode and < 256 ? e.Code : InternalCode,
    };

    /// <summary>
    /// Text from a file, fit to quote inside a one-line message: line breaks, tabs and other control characters escaped
    /// (\n, \r, \t, \u0000), clipped to <paramref name="max"/> characters.
    /// </summary>
    public static string Show(ReadOnlySpan<char> text, int max = 40)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var c in text.Length <= max ? text : text[..max])
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return text.Length <= max ? sb.ToString() : sb + "…";
    }

    /// <summary>Why a file operation failed, in a few plain words (no framework wording, no repeated path).</summary>
    public static string Reason(Exception e) => e switch
    {
        UnauthorizedAccessException => "permission denied",
        FileNotFoundException => "not found",
        DirectoryNotFoundException => "its folder does not exist",
        PathTooLongException => "the path is too long",
        // on Unix an I/O error's message is the system's own description, then " : 'path'"
        _ => e.Message.Split('\n')[0].Split(" : '")[0].Trim().TrimEnd('.') is { Length: > 0 } said ? said : "the operating system refused",
    };
}
