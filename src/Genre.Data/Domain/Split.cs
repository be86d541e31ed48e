
namespace Genre.Data;

/// <summary>Train and test positions (indices into the table that was split).</summary>
public sealed record SplitIndices(int[] Train, int[] Test)
{
    /// <summary>The same positions in the same order (records would compare the arrays by reference).</summary>
    public bool Equals(SplitIndices? other) => other is not null && ArrayValues.Equal(Train, other.Train)
        && ArrayValues.Equal(Test, other.Test);

    /// <summary>A hash consistent with <see cref="Equals(object)"/>: it reads the shapes and a few values.</summary>
    public override int GetHashCode() => HashCode.Combine(ArrayValues.Hash(Train), ArrayValues.Hash(Test));
}

/// <summary>scikit-learn's <c>train_test_split</c> (ShuffleSplit, float test_size, no stratify) — row-identical.</summary>
public static class Split
{
    /// <summary>sklearn's sizes: n_test = ceil(test_size·n), n_train = n − n_test.</summary>
    public static (int Train, int Test) Sizes(int n, double testSize)
    {
        var nTest = (int)Math.Ceiling(testSize * n);
        return (n - nTest, nTest);
    }

    /// <summary>
    /// One <c>train_test_split(range(n), test_size, random_state=seed)</c>: the positions numpy's permutation puts in the test
    /// set (the first ⌈test_size·n⌉) and in the training set. A usage error when <paramref name="testSize"/> is not in (0, 1); a data
    /// error when either part would be empty.
    /// </summary>
    public static Fin<SplitIndices> TrainTestSplit(int n, double testSize, uint seed)
    {
        if (!(testSize > 0 && testSize < 1)) return GenreError.Usage($"test_size must be in (0, 1), got {testSize}");
        var (nTrain, nTest) = Sizes(n, testSize);
        if (nTrain <= 0 || nTest <= 0)
            return GenreError.Data($"cannot split {n} rows with test_size {testSize}: train would have {nTrain} rows and test {nTest}");
        var perm = new NumpyRandomState(seed).Permutation(n);
        return new SplitIndices(perm[nTest..(nTest + nTrain)], perm[..nTest]);
    }

    /// <summary>The report's split: (train_full, test) = split(all); (train, val) = split(train_full) — positions into the full
    /// table.</summary>
    public static Fin<(int[] Train, int[] Val, int[] Test)> ReportSplit(int n, double testSize = 0.2, uint seed = 42) =>
        from first in TrainTestSplit(n, testSize, seed)
        from second in TrainTestSplit(first.Train.Length, testSize, seed)
        select (second.Train.Select(i => first.Train[i]).ToArray(), second.Test.Select(i => first.Train[i]).ToArray(), first.Test);
}
