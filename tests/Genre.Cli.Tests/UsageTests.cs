namespace Genre.Cli.Tests;

public class UsageTests
{
    [Fact]
    public void Unknown_command_is_a_usage_error_on_one_line()
    {
        var r = GenreCli.Run("no-such-verb");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains("unknown command 'no-such-verb'", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }
}
