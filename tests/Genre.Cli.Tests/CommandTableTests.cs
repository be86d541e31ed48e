using System.Text.RegularExpressions;

namespace Genre.Cli.Tests;

/// <summary>
/// The README's command table against the commands themselves: each command's options are declared once (System.CommandLine),
/// and its row names exactly the options <c>genre CMD --help</c> lists — none it lacks, none it does not take.
/// </summary>
public class CommandTableTests
{
    static readonly string[] Rows = File.ReadAllLines(Path.Combine(GenreCli.RepoRoot, "README.md"))
        .Where(l => l.StartsWith("| `genre ", StringComparison.Ordinal)).ToArray();

    static string[] Named => [.. Rows.Select(r => r.Split(' ', 4)[2].TrimEnd('`'))];

    public static TheoryData<string> Commands() => [.. Named];

    [Fact]
    public void Every_command_genre_lists_has_one_row()
    {
        var usage = GenreCli.Run("--help").Stdout;
        var listed = Regex.Matches(usage, @"^  ([a-z]+) ", RegexOptions.Multiline).Select(m => m.Groups[1].Value).Order();
        Assert.Equal(listed, Named.Order());
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_rows_options_are_the_ones_its_command_declares(string command)
    {
        var help = GenreCli.Run(command, "--help");
        Assert.Equal(0, help.ExitCode);
        var declared = Regex.Matches(help.Stdout, @"^  (?:-\S+, )*--([a-z][a-z0-9-]*)", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).Except(["help", "verbose"]).ToHashSet();
        Assert.NotEmpty(declared);
        var row = Rows.Single(r => r.Split(' ', 4)[2].TrimEnd('`') == command);
        var named = Regex.Matches(row, @"--([a-z][a-z0-9-]*)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(named.SetEquals(declared),
            $"README row of genre {command}: names [{string.Join(", ", named.Except(declared))}] that --help does not list; " +
            $"lacks [{string.Join(", ", declared.Except(named))}]");
    }
}
