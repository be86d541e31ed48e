namespace Genre.Data;

/// <summary>
/// Value equality for the arrays inside genre's records (C# records compare arrays by reference): the same length and the
/// same elements, by each element's own Equals (so NaN equals NaN, as in a record of doubles). The hash reads the length
/// and a few elements, so hashing a 114,000-row matrix stays cheap.
/// </summary>
internal static class ArrayValues
{
    public static bool Equal<T>(T[] a, T[] b) where T : IEquatable<T> =>
        ReferenceEquals(a, b) || a.AsSpan().SequenceEqual(b);

    public static int Hash<T>(T[] a) where T : IEquatable<T>
    {
        var h = new HashCode();
        h.Add(a.Length);
        for (var i = 0; i < a.Length; i += Math.Max(1, a.Length / 8)) h.Add(a[i]);
        return h.ToHashCode();
    }
}
