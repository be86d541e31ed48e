namespace Genre.Data.Tests;

public class StratifiedSplitTests
{
    [Fact]
    public void The_first_fold_of_scikit_learns_documented_example()
    {
        // StratifiedShuffleSplit(n_splits=5, test_size=0.5, random_state=0).split(X, [0, 0, 0, 1, 1, 1]): its docstring prints
        // "TRAIN: [5 2 3] TEST: [4 1 0]" first (the fold train_test_split(stratify=y) returns)
        var split = Ok(Split.Stratified([0, 0, 0, 1, 1, 1], 0.5, 0));
        Assert.Equal(new[] { 5, 2, 3 }, split.Train);
        Assert.Equal(new[] { 4, 1, 0 }, split.Test);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(42)]
    public void Every_class_keeps_its_share_within_one_row(uint seed)
    {
        var labels = Enumerable.Range(0, 1_003).Select(i => i % 7 == 0 ? 3 : i % 3).ToArray(); // four classes of unequal size
        var split = Ok(Split.Stratified(labels, 0.2, seed));
        Assert.Equal(Split.Sizes(labels.Length, 0.2), (split.Train.Length, split.Test.Length));
        Assert.Equal(Enumerable.Range(0, labels.Length), split.Train.Concat(split.Test).Order());
        foreach (var c in labels.Distinct())
        {
            var share = labels.Count(y => y == c) * 0.2;
            Assert.InRange(split.Test.Count(i => labels[i] == c), Math.Floor(share) - 1, Math.Ceiling(share) + 1);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var labels = Enumerable.Range(0, 500).Select(i => i % 5).ToArray();
        Assert.Equal(Ok(Split.Stratified(labels, 0.2, 42)), Ok(Split.Stratified(labels, 0.2, 42)));
        Assert.NotEqual(Ok(Split.Stratified(labels, 0.2, 42)), Ok(Split.Stratified(labels, 0.2, 43)));
    }

    [Fact]
    public void Scikit_learns_refusals()
    {
        Assert.Contains("class 2 has fewer than 2 rows", Failed(Split.Stratified([0, 0, 1, 1, 2], 0.4, 1)));
        Assert.Contains("train would have", Failed(Split.Stratified([0, 0, 1, 1, 2, 2], 0.8, 1)));
        Assert.Contains("test_size must be in (0, 1)", Failed(Split.Stratified([0, 0, 1, 1], 1.0, 1)));
    }

    static string Failed(Fin<SplitIndices> f) => f.Match(_ => "succeeded", e => e.Message);
}
