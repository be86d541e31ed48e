namespace Genre.TestSupport;

/// <summary>Files the tests damage on purpose are copies, never the originals.</summary>
public static class Folders
{
    /// <summary>Copies every file under <paramref name="source"/> to the same place under <paramref name="target"/>; returns <paramref
    /// name="target"/>.</summary>
    public static string CopyTree(string source, string target)
    {
        foreach (var f in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var to = Path.Combine(target, Path.GetRelativePath(source, f));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(f, to);
        }
        return target;
    }
}
