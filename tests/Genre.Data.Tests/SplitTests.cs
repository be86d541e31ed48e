namespace Genre.Data.Tests;

public class SplitTests
{
    [Fact]
    public void Train_test_split_vectors()
    {
        var ten = Ok(Split.TrainTestSplit(10, 0.2, 42));
        Assert.Equal(new[] { 5, 0, 7, 2, 9, 4, 3, 6 }, ten.Train);
        Assert.Equal(new[] { 8, 1 }, ten.Test);
        var seven = Ok(Split.TrainTestSplit(7, 0.2, 42));
        Assert.Equal(new[] { 5, 2, 4, 3, 6 }, seven.Train);
        Assert.Equal(new[] { 0, 1 }, seven.Test);
        var big = Ok(Split.TrainTestSplit(113_549, 0.2, 42));
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
            var split = Ok(Split.TrainTestSplit(n, 0.2, 42));
            var part = p[1] == "test" ? split.Test : split.Train;
            Assert.Equal(int.Parse(p[2]), part.Length);
            Assert.Equal(p.Skip(3).Take(50).Select(int.Parse), part[..50]);
            Assert.Equal(int.Parse(p[^1]), part[^1]);
        }
    }

    [Fact]
    public void The_report_split_of_113549_rows_is_72671_18168_22710()
    {
        Assert.Equal((90_839, 22_710), Split.Sizes(113_549, 0.2));   // ceil(0.2 · 113,549) = 22,710
        Assert.Equal((72_671, 18_168), Split.Sizes(90_839, 0.2));    // ceil(0.2 · 90,839) = 18,168
        var (train, val, test) = Ok(Split.ReportSplit(113_549));
        Assert.Equal((72_671, 18_168, 22_710), (train.Length, val.Length, test.Length));
        Assert.Equal(113_549, train.Concat(val).Concat(test).Distinct().Count());
    }

    [Fact]
    public void Sizes_match_sklearns_validate_shuffle_split()
    {
        var lines = File.ReadAllLines(TestFiles.Golden("numpy-random.txt")).Where(l => l.StartsWith("sizes ")).ToList();
        Assert.Equal(7, lines.Count);
        foreach (var p in lines.Select(l => l.Split(' ')))
        {
            var testSize = double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture);
            foreach (var cell in p.Skip(2).Select(c => c.Split(':')))
            {
                var n = int.Parse(cell[0]);
                var split = Split.TrainTestSplit(n, testSize, 42);
                if (cell[1] == "error") Assert.True(split.IsFail, $"n={n} test_size={testSize}: sklearn refuses, we split");
                else
                {
                    var s = Ok(split);
                    Assert.Equal((int.Parse(cell[1]), int.Parse(cell[2])), (s.Train.Length, s.Test.Length));
                    Assert.Equal((s.Train.Length, s.Test.Length), Split.Sizes(n, testSize));
                }
            }
        }
    }

    [Fact]
    public void The_report_split_indexes_the_second_split_into_train_full()
    {
        var first = Ok(Split.TrainTestSplit(1000, 0.2, 42));
        var second = Ok(Split.TrainTestSplit(first.Train.Length, 0.2, 42));
        var (train, val, test) = Ok(Split.ReportSplit(1000));
        Assert.Equal(first.Test, test);
        Assert.Equal(second.Train.Select(i => first.Train[i]), train);
        Assert.Equal(second.Test.Select(i => first.Train[i]), val);
        Assert.Equal(Enumerable.Range(0, 1000), train.Concat(val).Concat(test).Order());
    }

    [Fact]
    public void Test_sizes_outside_the_open_unit_interval_are_usage_errors()
    {
        foreach (var t in new[] { 0.0, 1.0, -0.1, 1.5, double.NaN })
            Assert.True(Split.TrainTestSplit(10, t, 42).IsFail, $"test_size {t}");
    }

    [Fact]
    public void Too_few_rows_is_a_clear_error()
    {
        var e = Split.TrainTestSplit(1, 0.2, 42);
        Assert.True(e.IsFail);
        e.IfFail(err => Assert.Contains("cannot split 1 rows", err.Message));
    }
}
