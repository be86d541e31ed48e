
namespace Genre.Data;

/// <summary>
/// A dense row-major matrix of float64. Arrays are never mutated after construction (treat as immutable);
/// they are plain arrays so the numeric hot paths stay allocation-free.
/// </summary>
public sealed record Matrix(int Rows, int Cols, double[] Values)
{
    /// <summary>The value at (<paramref name="row"/>, <paramref name="col"/>), both 0-based; indices are not checked beyond the array's
    /// bounds.</summary>
    public double this[int row, int col] => Values[row * Cols + col];
    /// <summary>Row <paramref name="row"/> (0-based) as a view of <see cref="Values"/>: no copy.</summary>
    public ReadOnlySpan<double> Row(int row) => new(Values, row * Cols, Cols);

    /// <summary>Equal shapes and equal values (records would compare the array by reference).</summary>
    public bool Equals(Matrix? other) => other is not null && Rows == other.Rows && Cols == other.Cols
        && ArrayValues.Equal(Values, other.Values);

    /// <summary>A hash consistent with <see cref="Equals(object)"/>: it reads the shapes and a few values.</summary>
    public override int GetHashCode() => HashCode.Combine(Rows, Cols, ArrayValues.Hash(Values));
}

/// <summary>
/// Encoded features and labels: <see cref="X"/> has the 15 report features per row, <see cref="Y"/> the class
/// index into <see cref="Classes"/> (LabelEncoder order), <see cref="RowIds"/> the Kaggle index of each row.
/// </summary>
public sealed record Dataset(Matrix X, int[] Y, Seq<string> Classes, long[] RowIds)
{
    /// <summary>Number of rows (tracks).</summary>
    public int Count => Y.Length;

    /// <summary>Equal features, labels, classes and row ids (records would compare the arrays by reference).</summary>
    public bool Equals(Dataset? other) =>
        other is not null && X.Equals(other.X) && ArrayValues.Equal(Y, other.Y) && Classes == other.Classes
            && ArrayValues.Equal(RowIds, other.RowIds);

    /// <summary>A hash consistent with <see cref="Equals(object)"/>: it reads the shapes and a few values.</summary>
    public override int GetHashCode() => HashCode.Combine(X, ArrayValues.Hash(Y), ArrayValues.Hash(RowIds));
}

/// <summary>The report's three subsets (train/val/test after two train_test_split calls).</summary>
public sealed record Splits(Dataset Train, Dataset Val, Dataset Test);
