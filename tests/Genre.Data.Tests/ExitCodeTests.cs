using LanguageExt.Common;

namespace Genre.Data.Tests;

/// <summary>Issue 18: a file with several bad cells exited 1 (internal error) instead of 3.</summary>
public class ExitCodeTests
{
    [Fact]
    public void Several_errors_exit_with_the_first_documented_code()
    {
        Assert.Equal(GenreError.DataCode, GenreError.ExitCode(Error.Many(
            GenreError.Cell("f", 2, "a", "x"), GenreError.Cell("f", 3, "b", "y"))));
        Assert.Equal(GenreError.ModelCode, GenreError.ExitCode(Error.Many(Error.New("no code"), GenreError.Model("m"))));
        Assert.Equal(GenreError.DivergedCode, GenreError.ExitCode(GenreError.Diverged("d")));
        Assert.Equal(GenreError.InternalCode, GenreError.ExitCode(Error.New("no code")));
        Assert.Equal(GenreError.InternalCode, GenreError.ExitCode(Error.New(-7, "negative")));
    }
}
