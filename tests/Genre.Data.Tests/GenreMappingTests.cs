namespace Genre.Data.Tests;

public class GenreMappingTests
{
    [Fact]
    public void Report_mapping_reduces_114_genres_to_66()
    {
        var reduced = KaggleGenres.FileOrder.Map(GenreMapping.ReportMerges.Apply).Distinct();
        Assert.Equal(66, reduced.Count());
        Assert.Equal(48, GenreMapping.ReportMerges.Merges.Count);
        Assert.Equal("rock", GenreMapping.ReportMerges.Apply("metalcore"));
        Assert.Equal("dance", GenreMapping.ReportMerges.Apply("hip-hop"));
        Assert.Equal("jazz", GenreMapping.ReportMerges.Apply("jazz"));
        Assert.True(GenreMapping.ReportMerges.ValidateAgainst(KaggleGenres.FileOrder).IsSuccess);
    }

    [Fact]
    public void Invalid_mappings_are_rejected_with_every_reason()
    {
        var errors = TestFiles.Errors(GenreMapping.Create([("a", "b"), ("a", "c"), ("b", "d"), ("e", "e")]));
        Assert.Contains(errors, e => e.Contains("'a' is mapped more than once"));
        Assert.Contains(errors, e => e.Contains("target 'b' (of 'a') is itself merged away"));
        Assert.Contains(errors, e => e.Contains("'e' is mapped to itself"));
    }

    [Fact]
    public void Unknown_genres_are_named()
    {
        var m = Ok(GenreMapping.Create([("pop", "not-a-genre")]));
        var e = Assert.Single(TestFiles.Errors(m.ValidateAgainst(KaggleGenres.FileOrder)));
        Assert.Contains("unknown genre 'not-a-genre'", e);
    }

    [Fact]
    public void Compose_applies_first_then_second()
    {
        var first = Ok(GenreMapping.Create([("a", "b")]));
        var second = Ok(GenreMapping.Create([("b", "c"), ("x", "y")]));
        var both = first.Compose(second);
        foreach (var g in new[] { "a", "b", "c", "x", "z" }) Assert.Equal(second.Apply(first.Apply(g)), both.Apply(g));
    }

    [Fact]
    public void Mapping_files_report_file_and_line()
    {
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "m.csv");
        File.WriteAllText(path, "source,target\nk-pop,pop\nbroken line\n");
        var e = Assert.Single(TestFiles.Errors(GenreMapping.Load(path)));
        Assert.Equal($"{path}:3: expected 'source,target', got 'broken line'", e);
        File.WriteAllText(path, "k-pop,pop\nj-pop,pop\n");
        Assert.Equal("pop", Ok(GenreMapping.Load(path)).Apply("j-pop"));
    }

    [Fact]
    public void Report_mapping_is_the_notebooks_replace_calls()
    {
        // report-mapping.csv is read by make_golden.py from Spotify_Classification_reduce_genre.ipynb's .replace([...], target) calls
        var fromNotebook = Ok(GenreMapping.Load(TestFiles.Golden("report-mapping.csv")));
        Assert.Equal(fromNotebook.Merges, GenreMapping.ReportMerges.Merges);
        Assert.Equal(toSet(new[] { "pop", "country", "rock", "house", "dance" }), toSet(GenreMapping.ReportMerges.Merges.Values));
    }

    [Fact]
    public void Reduced_genres_are_the_66_the_notebook_printed()
    {
        var printed = File.ReadAllLines(TestFiles.Golden("report-reduced-genres.txt"));
        Assert.Equal(66, printed.Length);
        Assert.Equal(toSet(printed), toSet(KaggleGenres.FileOrder.Map(GenreMapping.ReportMerges.Apply)));
        Assert.Equal(114 - GenreMapping.ReportMerges.MergedAway.Count, printed.Length);
    }

    [Fact]
    public void Report_mapping_is_idempotent_and_identity_changes_nothing()
    {
        foreach (var g in KaggleGenres.FileOrder)
        {
            Assert.Equal(GenreMapping.ReportMerges.Apply(g), GenreMapping.ReportMerges.Apply(GenreMapping.ReportMerges.Apply(g)));
            Assert.Equal(g, GenreMapping.Identity.Apply(g));
        }
        Assert.Equal("no-such-genre", GenreMapping.ReportMerges.Apply("no-such-genre"));   // total: unmapped → itself
    }

    [Fact]
    public void Validated_compose_refuses_merging_into_a_genre_merged_away_before()
    {
        var first = Ok(GenreMapping.Create([("c", "x")]));
        var second = Ok(GenreMapping.Create([("a", "c")]));
        // as a function the composition is a → c, c → x; but then "c" is both a target and merged away
        Assert.Equal("c", first.Compose(second).Apply("a"));
        var e = Assert.Single(TestFiles.Errors(GenreMapping.Compose(first, second)));
        Assert.Equal("composed mapping: target 'c' (of 'a') is itself merged away", e);

        var ok = Ok(GenreMapping.Compose(first, Ok(GenreMapping.Create([("x", "y"), ("b", "y")]))));
        Assert.Equal(toMap(new[] { ("c", "y"), ("x", "y"), ("b", "y") }), ok.Merges);
    }

    [Fact]
    public void Composing_the_notebooks_five_replace_calls_gives_the_report_mapping()
    {
        var steps = GenreMapping.ReportMerges.Merges.AsEnumerable().GroupBy(p => p.Value)
            .Select(g => Ok(GenreMapping.Create(g.Select(p => (p.Key, p.Value))))).ToList();
        Assert.Equal(5, steps.Count);
        var composed = steps.Aggregate(GenreMapping.Identity, (acc, m) => Ok(GenreMapping.Compose(acc, m)));
        Assert.Equal(GenreMapping.ReportMerges.Merges, composed.Merges);
    }

    [Fact]
    public void Mapping_file_errors_name_the_file()
    {
        var dir = TestFiles.TempDir();
        var missing = Path.Combine(dir, "nope.csv");
        var e = GenreMapping.Load(missing).Match(_ => throw new Exception("expected failure"), errs => errs.Head);
        Assert.Equal($"{missing}: file not found", e.Message);
        Assert.Equal(GenreError.IoCode, e.Code);

        var path = Path.Combine(dir, "m.csv");
        File.WriteAllText(path, "source,target\n\nk-pop,pop\nk-pop,rock\n");
        var dup = Assert.Single(TestFiles.Errors(GenreMapping.Load(path)));
        Assert.Equal($"{path}:4: genre 'k-pop' is mapped more than once (pop, rock)", dup);
        File.WriteAllText(path, "k-pop,pop\npop,dance\n");
        Assert.Equal($"{path}:1: target 'pop' (of 'k-pop') is itself merged away",
            Assert.Single(TestFiles.Errors(GenreMapping.Load(path))));
    }
}
