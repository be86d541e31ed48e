namespace Genre.Data;

/// <summary>
/// scikit-learn's <c>MinMaxScaler()</c> (feature_range (0, 1)) with its exact float arithmetic:
/// scale_ = 1 / range (range below 10·ε → 1), min_ = 0 − data_min·scale_, transform = X·scale_ + min_.
/// </summary>
public sealed record MinMaxScaler(double[] DataMin, double[] DataMax, double[] Scale, double[] Min)
{
    /// <summary>numpy's finfo(float64).eps = 2^-52.</summary>
    const double NumpyEps = 2.220446049250313e-16;

    /// <summary>
    /// Per-column minimum and maximum of <paramref name="x"/> and the scale/offset derived from them;
    /// throws <see cref="ArgumentException"/> when <paramref name="x"/> has no rows.
    /// </summary>
    public static MinMaxScaler Fit(Matrix x)
    {
        if (x.Rows == 0) throw new ArgumentException("MinMaxScaler.Fit needs at least one row");
        var lo = new double[x.Cols];
        var hi = new double[x.Cols];
        System.Array.Fill(lo, double.PositiveInfinity);
        System.Array.Fill(hi, double.NegativeInfinity);
        for (var r = 0; r < x.Rows; r++)
        {
            var row = x.Row(r);
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c] < lo[c]) lo[c] = row[c];
                if (row[c] > hi[c]) hi[c] = row[c];
            }
        }
        var scale = new double[x.Cols];
        var min = new double[x.Cols];
        for (var c = 0; c < x.Cols; c++)
        {
            var range = hi[c] - lo[c];
            if (range < 10 * NumpyEps) range = 1.0; // sklearn's _handle_zeros_in_scale
            scale[c] = 1.0 / range;
            min[c] = 0.0 - lo[c] * scale[c];
        }
        return new MinMaxScaler(lo, hi, scale, min);
    }

    /// <summary>The same fitted values (records would compare the arrays by reference).</summary>
    public bool Equals(MinMaxScaler? other) =>
        other is not null && ArrayValues.Equal(DataMin, other.DataMin) && ArrayValues.Equal(DataMax, other.DataMax)
        && ArrayValues.Equal(Scale, other.Scale) && ArrayValues.Equal(Min, other.Min);

    /// <summary>A hash consistent with <see cref="Equals(object)"/>: it reads the shapes and a few values.</summary>
    public override int GetHashCode() => HashCode.Combine(ArrayValues.Hash(DataMin), ArrayValues.Hash(DataMax));

    /// <summary>
    /// <paramref name="x"/> scaled column by column (X·scale_ + min_, the same float operations as scikit-learn): values
    /// inside the fitted range map into [0, 1], others extrapolate. Throws <see cref="ArgumentException"/> when the column count differs
    /// from the fit.
    /// </summary>
    public Matrix Transform(Matrix x)
    {
        if (x.Cols != Scale.Length) throw new ArgumentException($"MinMaxScaler was fit on {Scale.Length} features, got {x.Cols}");
        var v = new double[x.Values.Length];
        for (var i = 0; i < v.Length; i++)
        {
            var c = i % x.Cols;
            var scaled = x.Values[i] * Scale[c];
            v[i] = scaled + Min[c];
        }
        return x with { Values = v };
    }
}

