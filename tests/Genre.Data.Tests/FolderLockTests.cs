namespace Genre.Data.Tests;

/// <summary>Issue 18: one writer per output folder.</summary>
public class FolderLockTests
{
    [Fact]
    public void A_held_folder_is_refused_until_its_holder_lets_go()
    {
        var dir = Path.Combine(TestFiles.TempDir(), "out");
        using (var held = Ok(FolderLock.Acquire(dir)))
        {
            var second = FolderLock.Acquire(dir);
            Assert.True(second.IsFail);
            second.IfFail(e =>
            {
                Assert.Equal(GenreError.IoCode, e.Code);
                Assert.Equal($"{dir}: another genre process is writing this folder (it holds .genre.lock); wait for it to finish or use " +
                    $"another output folder", e.Message);
            });
            Assert.True(FolderLock.While(dir, () => FinSucc(1)).IsFail);
        }
        Assert.Equal(7, Ok(FolderLock.While(dir, () => FinSucc(7))));
        Assert.Equal($"{Environment.ProcessId}\n", File.ReadAllText(Path.Combine(dir, FolderLock.FileName)));
    }

    [Fact]
    public void A_folder_that_cannot_be_created_is_an_io_error()
    {
        var file = Path.Combine(TestFiles.TempDir(), "a-file");
        File.WriteAllText(file, "");
        var r = FolderLock.Acquire(Path.Combine(file, "out"));
        Assert.True(r.IsFail);
        r.IfFail(e =>
        {
            Assert.Equal(GenreError.IoCode, e.Code); Assert.StartsWith(Path.Combine(file, "out") + ": cannot lock the output " +
            "folder (", e.Message);
        });
    }
}
