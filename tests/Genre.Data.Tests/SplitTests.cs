using Genre.Data;

namespace Genre.Data.Tests;

public class SplitTests
{
    [Fact]
    public void Numpy_permutation_vectors()
    {
        Assert.Equal(new[] { 8, 1, 5, 0, 7, 2, 9, 4, 3, 6 }, new NumpyRandomState(42).Permutation(10));
        Assert.Equal(new[] { 0, 17, 15, 1, 8, 5, 11, 3, 18, 16, 13, 2, 9, 19, 4, 12, 7, 10, 14, 6 }, new NumpyRandomState(42).Permutation(20));
    }

    [Fact]
    public void Numpy_permutations_match_golden_for_many_seeds_and_sizes()
    {
        var lines = File.ReadAllLines(TestFiles.Golden("permutations.txt"));
        Assert.True(lines.Length >= 40);
        foreach (var line in lines)
        {
            var p = line.Split(' ');
            var seed = uint.Parse(p[0]);
            var n = int.Parse(p[1]);
            Assert.Equal(p.Skip(2).Select(int.Parse), new NumpyRandomState(seed).Permutation(n));
        }
    }

    [Fact]
    public void Train_test_split_vectors()
    {
        var ten = TestFiles.Ok(Split.TrainTestSplit(10, 0.2, 42));
        Assert.Equal(new[] { 5, 0, 7, 2, 9, 4, 3, 6 }, ten.Train);
        Assert.Equal(new[] { 8, 1 }, ten.Test);
        var seven = TestFiles.Ok(Split.TrainTestSplit(7, 0.2, 42));
        Assert.Equal(new[] { 5, 2, 4, 3, 6 }, seven.Train);
        Assert.Equal(new[] { 0, 1 }, seven.Test);
        var big = TestFiles.Ok(Split.TrainTestSplit(113_549, 0.2, 42));
        Assert.Equal(new[] { 77091, 96328, 6985, 75085, 61019, 21351, 32517, 84830 }, big.Test[..8]);
        Assert.Equal(new[] { 110090, 15917, 101181, 66950, 22708, 78163, 112488, 41092 }, big.Train[..8]);
    }

    [Fact]
    public void Large_splits_match_sklearn_golden()
    {
        foreach (var line in File.ReadAllLines(TestFiles.Golden("large-splits.txt")))
        {
            var p = line.Split(' ');
            var n = int.Parse(p[0]);
            var split = TestFiles.Ok(Split.TrainTestSplit(n, 0.2, 42));
            var part = p[1] == "test" ? split.Test : split.Train;
            Assert.Equal(int.Parse(p[2]), part.Length);
            Assert.Equal(p.Skip(3).Take(50).Select(int.Parse), part[..50]);
            Assert.Equal(int.Parse(p[^1]), part[^1]);
        }
    }

    [Fact]
    public void The_report_split_of_113549_rows_is_72671_18168_22710()
    {
        var (train, val, test) = TestFiles.Ok(Split.ReportSplit(113_549));
        Assert.Equal((72_671, 18_168, 22_710), (train.Length, val.Length, test.Length));
        Assert.Equal(113_549, train.Concat(val).Concat(test).Distinct().Count());
    }

    [Fact]
    public void Too_few_rows_is_a_clear_error()
    {
        var e = Split.TrainTestSplit(1, 0.2, 42);
        Assert.True(e.IsFail);
        e.IfFail(err => Assert.Contains("cannot split 1 rows", err.Message));
    }
}
