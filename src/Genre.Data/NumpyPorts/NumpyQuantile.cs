namespace Genre.Data;

/// <summary>numpy's linear quantile (<c>np.quantile</c>, <c>np.percentile</c>, method "linear"), on values already sorted, with
/// its <c>_lerp</c> rounding: the two values around the fractional index, interpolated from the nearer end.</summary>
internal static class NumpyQuantile
{
    /// <summary>The value at fractional <paramref name="index"/> (0 to n − 1) into <paramref name="sorted"/>.</summary>
    public static double AtIndex(double[] sorted, double index)
    {
        var lo = (int)Math.Floor(index);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        var t = index - lo;
        var diff = sorted[hi] - sorted[lo];
        return t >= 0.5 ? sorted[hi] - diff * (1 - t) : sorted[lo] + diff * t;
    }

    /// <summary><c>np.quantile(sorted, q)</c>: the index (n − 1)·q.</summary>
    public static double Of(double[] sorted, double q) => AtIndex(sorted, (sorted.Length - 1) * q);
}
