
namespace Genre.Data;

/// <summary>
/// One writer per output folder: an advisory lock on <c>.genre.lock</c> inside it (an exclusive <c>flock</c>, which is what
/// .NET takes for <see cref="FileShare.None"/> on Unix). The system releases it when the holder ends, however it ends, so a
/// killed run never leaves a stale lock; the file itself stays (it holds the last holder's process id, for people).
/// </summary>
internal sealed class FolderLock : IDisposable
{
    public const string FileName = ".genre.lock";

    readonly FileStream stream;

    FolderLock(FileStream stream) => this.stream = stream;

    /// <summary>Takes the folder (creating it when needed), or fails at once when another process holds it.</summary>
    public static Fin<FolderLock> Acquire(string dir)
    {
        var path = Path.Combine(dir, FileName);
        try
        {
            Directory.CreateDirectory(dir);
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
            stream.Write(pid);
            stream.Flush();
            return new FolderLock(stream);
        }
        catch (IOException e) when (IsSharingViolation(e))
        {
            return GenreError.Io(
                $"{dir}: another genre process is writing this folder (it holds {FileName}); wait for it to finish or use another output " +
                    $"folder");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return GenreError.Io($"{dir}: cannot lock the output folder ({GenreError.Reason(e)})");
        }
    }

    /// <summary>Runs <paramref name="f"/> while holding <paramref name="dir"/>'s lock.</summary>
    public static Fin<A> While<A>(string dir, Func<Fin<A>> f) =>
        Acquire(dir).Bind(held =>
        {
            using (held) return f();
        });

    // flock's EWOULDBLOCK comes back as the errno itself (11 on Linux, 35 on macOS); Windows reports a sharing violation
    static bool IsSharingViolation(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020);

    public void Dispose() => stream.Dispose();
}
