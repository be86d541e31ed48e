using Genre.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Data.Tests;

public class MappingTests
{
    [Fact]
    public void Report_mapping_reduces_114_genres_to_66()
    {
        var reduced = KaggleGenres.FileOrder.Map(GenreMapping.Report.Apply).Distinct();
        Assert.Equal(66, reduced.Count());
        Assert.Equal(48, GenreMapping.Report.Merges.Count);
        Assert.Equal("rock", GenreMapping.Report.Apply("metalcore"));
        Assert.Equal("dance", GenreMapping.Report.Apply("hip-hop"));
        Assert.Equal("jazz", GenreMapping.Report.Apply("jazz"));
        Assert.True(GenreMapping.Report.ValidateAgainst(KaggleGenres.FileOrder).IsSuccess);
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
        var m = TestFiles.Ok(GenreMapping.Create([("pop", "not-a-genre")]));
        var e = Assert.Single(TestFiles.Errors(m.ValidateAgainst(KaggleGenres.FileOrder)));
        Assert.Contains("unknown genre 'not-a-genre'", e);
    }

    [Fact]
    public void Compose_applies_first_then_second()
    {
        var first = TestFiles.Ok(GenreMapping.Create([("a", "b")]));
        var second = TestFiles.Ok(GenreMapping.Create([("b", "c"), ("x", "y")]));
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
        Assert.Equal("pop", TestFiles.Ok(GenreMapping.Load(path)).Apply("j-pop"));
    }

    [Fact]
    public void Label_encoder_sorts_ordinally()
    {
        var enc = LabelEncoding.Fit(["pop", "indie-pop", "indie", "Pop", "pop-film"]);
        Assert.Equal(Seq("Pop", "indie", "indie-pop", "pop", "pop-film"), enc.Classes);
        Assert.Equal(3, TestFiles.Ok(enc.Encode("pop")));
        Assert.True(enc.Encode("rock").IsFail);
        Assert.Equal(KaggleGenres.Sorted, LabelEncoding.Fit(KaggleGenres.FileOrder).Classes);
    }
}
