using LanguageExt.Common;

namespace Genre.Data;

/// <summary>
/// A file as an earlier genre wrote it — without its checksum, in an older layout, or without a member the current format needs.
/// No reader takes such a file as it is (a file without its checksum would otherwise switch verification off); <c>genre
/// migrate</c> rewrites it in the current format, deriving what it can. The refusal is a model error (exit 5) naming the file
/// and the folder to migrate.
/// </summary>
public static class EarlierFormat
{
    /// <summary>"FILE WHAT (written by an earlier genre): run genre migrate DIR", DIR being the file's folder.</summary>
    public static Error Refused(string file, string what) =>
        new Unmigrated($"{file} {what} (written by an earlier genre): run genre migrate {FolderOf(file)}");

    /// <summary>Whether <paramref name="e"/> is such a refusal (not damage: the file is whole, only old).</summary>
    public static bool Is(Error e) => e is Unmigrated;

    static string FolderOf(string file) => Path.GetDirectoryName(file) is { Length: > 0 } dir ? dir : ".";

    /// <summary>Its own type so a caller that skips damaged files (checkpoints) refuses this one instead.</summary>
    sealed record Unmigrated(string Text) : Expected(Text, GenreError.ModelCode, None);
}
