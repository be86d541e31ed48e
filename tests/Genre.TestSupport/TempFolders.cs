using System.Collections.Concurrent;

namespace Genre.TestSupport;

/// <summary>The temp folders this test process made, removed when it exits unless GENRE_KEEP_TEMP=1 (to look at a failed
/// run's files). Removal is best effort: a folder a child process still holds open is left.</summary>
public static class TempFolders
{
    static readonly ConcurrentBag<string> Made = new();
    static int hooked;

    public static void Add(string folder)
    {
        Made.Add(folder);
        if (Interlocked.Exchange(ref hooked, 1) == 0 && Environment.GetEnvironmentVariable("GENRE_KEEP_TEMP") != "1")
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();
    }

    static void RemoveAll()
    {
        foreach (var folder in Made)
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
    }
}
