
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

    /// <summary>
    /// <c>train_test_split(range(n), test_size=testSize, random_state=seed, stratify=labels)</c>, following scikit-learn's
    /// <c>StratifiedShuffleSplit</c> step by step: each class's train and test counts from <c>_approximate_mode</c> (ties in the
    /// left-over fractions broken by <c>rng.choice</c>), each class's rows permuted, then train and test each permuted. Labels
    /// are class indices; classes are taken in increasing order, as <c>np.unique</c> sorts them. A usage error when
    /// <paramref name="testSize"/> is not in (0, 1); a data error when a class has fewer than 2 rows or a part would have fewer
    /// rows than there are classes (scikit-learn's two refusals).
    /// </summary>
    public static Fin<SplitIndices> Stratified(int[] labels, double testSize, uint seed)
    {
        if (!(testSize > 0 && testSize < 1)) return GenreError.Usage($"test_size must be in (0, 1), got {testSize}");
        var n = labels.Length;
        var (nTrain, nTest) = Sizes(n, testSize);
        var classes = labels.Distinct().Order().ToArray();
        var index = classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var counts = new long[classes.Length];
        foreach (var y in labels) counts[index[y]]++;
        if (counts.Any(c => c < 2))
            return GenreError.Data($"cannot stratify: class {classes[System.Array.FindIndex(counts, c => c < 2)]} has fewer than 2 rows");
        if (nTrain < classes.Length || nTest < classes.Length)
            return GenreError.Data($"cannot stratify {n} rows into {classes.Length} classes with test_size {testSize}: "
                                   + $"train would have {nTrain} rows and test {nTest}");
        // np.split(np.argsort(y_indices, kind="mergesort"), …): each class's positions in increasing order
        var members = classes.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < n; i++) members[index[labels[i]]].Add(i);
        var rng = new NumpyRandomState(seed);
        var trainCounts = ApproximateMode(counts, nTrain, rng);
        var testCounts = ApproximateMode(counts.Select((c, i) => c - trainCounts[i]).ToArray(), nTest, rng);
        var train = new List<int>(nTrain);
        var test = new List<int>(nTest);
        for (var c = 0; c < classes.Length; c++)
        {
            var order = rng.Permutation(members[c].Count);
            var permuted = order.Select(i => members[c][i]).ToArray();
            train.AddRange(permuted[..(int)trainCounts[c]]);
            test.AddRange(permuted[(int)trainCounts[c]..(int)(trainCounts[c] + testCounts[c])]);
        }
        return new SplitIndices(Shuffled(train, rng), Shuffled(test, rng));
    }

    /// <summary>scikit-learn's <c>_approximate_mode(class_counts, n_draws, rng)</c>: floor of each class's share of the draws,
    /// the rest added by largest left-over fraction, ties drawn at random.</summary>
    static long[] ApproximateMode(long[] counts, int draws, NumpyRandomState rng)
    {
        double total = counts.Sum();
        var continuous = counts.Select(c => c / total * draws).ToArray();
        var floored = continuous.Select(Math.Floor).ToArray();
        var needToAdd = (long)(draws - floored.Sum());
        if (needToAdd > 0)
        {
            var remainder = continuous.Select((c, i) => c - floored[i]).ToArray();
            foreach (var value in remainder.Distinct().OrderDescending())
            {
                var at = Enumerable.Range(0, remainder.Length).Where(i => remainder[i] == value).ToArray();
                var addNow = (int)Math.Min(at.Length, needToAdd);
                // legacy RandomState.choice(at, size, replace=False) = at[permutation(len(at))[:size]]
                foreach (var i in rng.Permutation(at.Length)[..addNow]) floored[at[i]] += 1;
                needToAdd -= addNow;
                if (needToAdd == 0) break;
            }
        }
        return floored.Select(f => (long)f).ToArray();
    }

    /// <summary>Legacy <c>RandomState.permutation(array)</c>: the array shuffled by the same swaps as <c>permutation(n)</c>.</summary>
    static int[] Shuffled(List<int> items, NumpyRandomState rng) => rng.Permutation(items.Count).Select(i => items[i]).ToArray();
}
