namespace Genre.Eval.Tests;

/// <summary>Issue 17 (figures): the confusion heatmap shows recall per actual genre; the reduced model's families come first.</summary>
public class ConfusionFigureTests
{
    static readonly Seq<string> Classes = Seq("acoustic", "dance", "jazz", "rock");

    static readonly long[,] Counts =
    {
        { 8, 1, 1, 0 },
        { 0, 30, 0, 10 },
        { 0, 0, 0, 0 }, // no test rows of this genre
        { 5, 0, 0, 45 },
    };

    [Fact]
    public void Each_row_is_the_share_of_its_actual_genre_and_an_empty_row_stays_zero()
    {
        var v = Plots.RowNormalised(Counts, Plots.DisplayOrder(Classes, None));
        Assert.Equal(new[] { 0.8, 0.1, 0.1, 0.0 }, Row(v, 0));
        Assert.Equal(new[] { 0.0, 0.75, 0.0, 0.25 }, Row(v, 1));
        Assert.Equal(new[] { 0.0, 0.0, 0.0, 0.0 }, Row(v, 2));
        Assert.Equal(new[] { 0.1, 0.0, 0.0, 0.9 }, Row(v, 3));
    }

    [Fact]
    public void With_merges_the_families_come_first_largest_first_then_the_rest_in_order()
    {
        var merges = GenreMapping.Create([("punk", "rock"), ("metal", "rock"), ("disco", "dance")])
            .Match(m => m, e => throw new Exception(e.Head.Message));
        var order = Plots.DisplayOrder(Classes, Some(merges));
        Assert.Equal(Seq("rock (3 genres)", "dance (2 genres)", "acoustic", "jazz"), order.Map(c => c.Label));
        var v = Plots.RowNormalised(Counts, order);
        Assert.Equal(new[] { 0.9, 0.0, 0.1, 0.0 }, Row(v, 0)); // rock's row, columns rock, dance, acoustic, jazz
        Assert.Equal(new[] { 0.25, 0.75, 0.0, 0.0 }, Row(v, 1));
    }

    [Fact]
    public void The_figure_is_a_png()
    {
        var png = Plots.Confusion("t", Counts, Classes);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    static double[] Row(double[,] v, int i) => Enumerable.Range(0, v.GetLength(1)).Select(j => Math.Round(v[i, j], 12)).ToArray();
}
