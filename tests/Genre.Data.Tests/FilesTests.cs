namespace Genre.Data.Tests;

/// <summary>Issue 25, point 1: one reader turns the file system's exceptions into genre's errors, for every file genre reads.</summary>
public class FilesTests
{
    static string Fresh() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "genre-files", Guid.NewGuid().ToString("N"))).FullName;

    [Fact]
    public void A_missing_file_is_an_io_error_naming_it_or_the_callers_own_error()
    {
        var path = Path.Combine(Fresh(), "absent.json");
        var e = Fail(Files.ReadText(path));
        Assert.Equal($"{path}: file not found", e);
        Assert.Equal("custom: " + path, Fail(Files.ReadBytes(path, p => GenreError.Model("custom: " + p))));
    }

    [Fact]
    public void A_mapping_that_cannot_be_read_is_an_io_error_exit_4_naming_it_not_an_internal_error()
    {
        var dir = Fresh(); // a folder where a mapping file is expected: reading it fails
        var errors = GenreMapping.Load(dir).Match(_ => throw new Xunit.Sdk.XunitException("read a folder as a mapping"), e => e);
        var error = Assert.Single(errors);
        Assert.Equal(GenreError.IoCode, error.Code);
        Assert.StartsWith($"{dir}: cannot read (", error.Message);
    }

    [Fact]
    public void A_json_file_that_cannot_be_read_is_an_io_error_naming_it()
    {
        var dir = Fresh();
        var error = Json.ReadObject(dir, m => GenreError.Model(m)).Match(_ => throw new Xunit.Sdk.XunitException("read a folder"), e => e);
        Assert.Equal(GenreError.IoCode, error.Code);
        Assert.StartsWith($"{dir}: cannot read (", error.Message);
    }
}
