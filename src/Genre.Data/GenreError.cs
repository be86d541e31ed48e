using LanguageExt.Common;

namespace Genre.Data;

/// <summary>
/// The error vocabulary shared by every project. Each error is a LanguageExt <see cref="Error"/> whose
/// <see cref="Error.Code"/> is the process exit code the CLI returns for it, and whose message is one line
/// that names the place (file:line:column, or layer/tensor and shape).
/// </summary>
public static class GenreError
{
    public const int UsageCode = 2;   // bad command line: unknown verb/option/model name
    public const int DataCode = 3;    // bad input data: CSV cells, header, mapping
    public const int IoCode = 4;      // file system: missing file, unwritable output
    public const int ModelCode = 5;   // model spec/weights: shapes, dtypes, crc, SavedModel layout

    public static Error Usage(string message) => Error.New(UsageCode, message);
    public static Error Data(string message) => Error.New(DataCode, message);
    public static Error Io(string message) => Error.New(IoCode, message);
    public static Error Model(string message) => Error.New(ModelCode, message);

    /// <summary>A bad cell: "file:line:column 'name': message" (line is 1-based in the file, header = line 1).</summary>
    public static Error Cell(string file, long line, string column, string message) =>
        Data($"{file}:{line}: column '{column}': {message}");
}
