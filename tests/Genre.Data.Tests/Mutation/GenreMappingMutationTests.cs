namespace Genre.Data.Tests.Mutation;

/// <summary>
/// Mapping files as people write them (a BOM, an upper-case header, spaces, a stray header further down) and the composed
/// function's identities (found by Stryker: bench/results/mutation.md).
/// </summary>
public class GenreMappingMutationTests
{
    static string File(string text) => TestFiles.Write(text, "m.csv");

    [Fact]
    public void A_bom_an_upper_case_header_spaces_and_blank_lines_are_read_as_meant()
    {
        var m = Ok(GenreMapping.Load(File("\uFEFFSource,Target\r\n  k-pop , pop \r\n\r\n\tj-pop,pop\n")));
        Assert.Equal(toMap(new[] { ("k-pop", "pop"), ("j-pop", "pop") }), m.Merges);
    }

    [Fact]
    public void Only_the_first_line_may_be_the_header_and_each_line_needs_two_nonempty_fields()
    {
        var path = File("k-pop,pop\nsource,target\na,b,c\n,pop\nrock,\n");
        var errors = TestFiles.Errors(GenreMapping.Load(path));
        Assert.Equal(Seq(
            $"{path}:3: expected 'source,target', got 'a,b,c'",
            $"{path}:4: expected 'source,target', got ',pop'",
            $"{path}:5: expected 'source,target', got 'rock,'"), errors);
        // the header line further down is read as a pair (source → target), which is then a valid merge
        Assert.Equal("target", Ok(GenreMapping.Load(File("k-pop,pop\nsource,target\n"))).Apply("source"));
    }

    [Fact]
    public void Every_unknown_genre_is_named_once_whether_source_or_target()
    {
        var m = Ok(GenreMapping.Create([("x", "pop"), ("rock", "y"), ("z", "y")]));
        Assert.Equal(Seq("map: unknown genre 'x'", "map: unknown genre 'z'", "map: unknown genre 'y'"),
            TestFiles.Errors(m.ValidateAgainst(["pop", "rock"], "map")).OrderBy(e => e == "map: unknown genre 'y'").ToSeq());
        Assert.Equal(m, Ok(m.ValidateAgainst(["pop", "rock", "x", "y", "z"])));
        Assert.Equal(toSet(new[] { "x", "rock", "z" }), m.MergedAway);
    }

    [Fact]
    public void Composition_drops_the_genres_it_maps_back_to_themselves()
    {
        var there = Ok(GenreMapping.Create([("a", "b")]));
        var back = Ok(GenreMapping.Create([("b", "a")]));
        var both = there.Compose(back);
        Assert.False(both.Merges.ContainsKey("a")); // a → b → a: an identity, dropped
        Assert.Equal("a", both.Apply("b"));
        Assert.Single(both.Merges);
        Assert.Equal(Seq1("origin: genre 'q' is mapped to itself"), TestFiles.Errors(GenreMapping.Create([("q", "q")], "origin")));
    }

    [Fact]
    public void Json_lists_the_merges_in_key_order_whatever_order_they_were_given()
    {
        var m = Ok(GenreMapping.Create([("z", "a"), ("m", "a"), ("b", "a")]));
        Assert.Equal("{\"b\":\"a\",\"m\":\"a\",\"z\":\"a\"}", m.ToJson().ToJsonString());
    }

    [Fact]
    public void A_composition_that_is_no_reduction_names_the_first_source_in_key_order()
    {
        // second merges w and z into x, which first merged away: the composed pairs are checked in key order
        var first = Ok(GenreMapping.Create([("x", "y")]));
        var second = Ok(GenreMapping.Create([("z", "x"), ("w", "x")]));
        Assert.Equal(Seq1("composed mapping: target 'x' (of 'w') is itself merged away"),
            TestFiles.Errors(GenreMapping.Compose(first, second)));
    }
}
