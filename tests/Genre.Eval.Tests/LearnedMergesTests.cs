namespace Genre.Eval.Tests;

public class LearnedMergesTests
{
    static readonly Seq<string> Classes = Seq("a", "b", "c", "d", "e", "f");

    /// <summary>Genres {a, c} and {b, d, e} confuse each other; f is predicted right. Supports: a 30, c 10, b 20, d 50, e 5, f
    /// 40.</summary>
    static long[,] Blocks() => new long[,]
    {
        { 20, 0, 10, 0, 0, 0 },
        { 0, 12, 0, 5, 3, 0 },
        { 4, 0, 6, 0, 0, 0 },
        { 0, 10, 0, 30, 10, 0 },
        { 0, 1, 0, 2, 2, 0 },
        { 0, 0, 0, 0, 1, 39 },
    };

    [Fact]
    public void Clustering_finds_the_genres_that_are_taken_for_each_other()
    {
        var groups = LearnedMerges.Cluster(LearnedMerges.Similarity(Blocks()), 3);
        Assert.Equal(Seq(Seq(0, 2), Seq(1, 3, 4), Seq1(5)), groups);
    }

    [Fact]
    public void Each_group_is_named_after_its_genre_with_most_rows_and_the_mapping_leaves_that_many_classes()
    {
        var mapping = LearnedMerges.Learn(Blocks(), Classes, 3).Match(m => m, e => throw new Exception(e.Head.Message));
        Assert.Equal("a", mapping.Apply("c"));
        Assert.Equal("d", mapping.Apply("b"));
        Assert.Equal("d", mapping.Apply("e"));
        Assert.Equal("f", mapping.Apply("f"));
        Assert.Equal(3, MergeAware.ClassMap(Classes, mapping).Merged.Count);
        Assert.Equal(Seq("d ← b, e", "a ← c"), LearnedMerges.Families(mapping));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(6)]
    public void Any_number_of_groups_gives_a_valid_reduction_to_that_many_classes(int groups)
    {
        var mapping = LearnedMerges.Learn(Blocks(), Classes, groups).Match(m => m, e => throw new Exception(e.Head.Message));
        Assert.Equal(groups, MergeAware.ClassMap(Classes, mapping).Merged.Count);
        Assert.All(Classes, c => Assert.Equal(mapping.Apply(c), mapping.Apply(mapping.Apply(c))));
    }

    [Fact]
    public void Similarity_is_symmetric_with_a_zero_diagonal()
    {
        var s = LearnedMerges.Similarity(Blocks());
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(0, s[i, i]);
            for (var j = 0; j < 6; j++) Assert.Equal(s[i, j], s[j, i]);
        }
        Assert.Equal((10.0 / 30 + 4.0 / 10) / 2, s[0, 2], 12);
    }
}
