using Genre.Data.Stages;

namespace Genre.Data.Tests.Mutation;

/// <summary>
/// The two small files no Stryker run had mutated (<c>ArrayValues.cs</c>, <c>GenreError.cs</c>; run <c>small</c>): the value
/// hash behind genre's array records reads the length and samples spread over the array, an exit code stays within what a
/// process can return, quoted text is escaped and clipped at exactly its limit, and a failed file operation is given in a few
/// plain words.
/// </summary>
public class ErrorsAndArraysMutationTests
{
    static int Hash(params double[] values) => new NumericColumn("c", values).GetHashCode();

    // Unequal values may share a hash, but for these the chance is one in 2³²: a hash that reads nothing, or only the first
    // value, or not the length, makes them equal every time.
    [Fact]
    public void A_column_hash_reads_its_length_and_values_past_the_first()
    {
        Assert.NotEqual(Hash(1.0), Hash(2.0));
        Assert.NotEqual(Hash(1.0, 2.0), Hash(1.0, 3.0));
        Assert.NotEqual(Hash(new double[16]), Hash(new double[8])); // every other of 16 zeros samples as 8 zeros
        Assert.Equal(Hash(1.0, double.NaN), Hash(1.0, double.NaN));
    }

    [Theory]
    [InlineData(2, 2)]
    [InlineData(255, 255)]
    [InlineData(256, GenreError.InternalCode)] // a process returns its code modulo 256: 256 would read as success
    [InlineData(0, GenreError.InternalCode)]
    [InlineData(-3, GenreError.InternalCode)]
    public void An_errors_exit_code_is_its_own_only_between_2_and_255(int code, int exit) =>
        Assert.Equal(exit, GenreError.ExitCode(LanguageExt.Common.Error.New(code, "x")));

    [Fact]
    public void Shown_text_is_escaped_and_clipped_only_beyond_its_limit()
    {
        Assert.Equal("a\\tb\\nc\\rd\\u0007", GenreError.Show("a\tb\nc\rd\u0007"));
        var forty = new string('x', 40);
        Assert.Equal(forty, GenreError.Show(forty));
        Assert.Equal(forty + "…", GenreError.Show(forty + "yz"));
        Assert.Equal("ab…", GenreError.Show("abc", max: 2));
    }

    [Fact]
    public void A_failed_file_operation_is_given_in_a_few_plain_words()
    {
        Assert.Equal("permission denied", GenreError.Reason(new UnauthorizedAccessException("Access to the path '/x' is denied.")));
        Assert.Equal("not found", GenreError.Reason(new FileNotFoundException("Could not find file '/x'.")));
        Assert.Equal("its folder does not exist", GenreError.Reason(new DirectoryNotFoundException("Could not find a part of '/x'.")));
        Assert.Equal("the path is too long", GenreError.Reason(new PathTooLongException("The path '/x' is too long.")));
        // Unix: the system's description, then " : 'path'"
        Assert.Equal("No space left on device", GenreError.Reason(new IOException("No space left on device : '/x/y.tmp'")));
        Assert.Equal("the operating system refused", GenreError.Reason(new IOException("")));
    }
}
