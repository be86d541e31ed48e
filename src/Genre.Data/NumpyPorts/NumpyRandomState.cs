namespace Genre.Data;

/// <summary>
/// numpy's legacy <c>np.random.RandomState(seed)</c> for integer seeds: MT19937 seeded with <c>init_genrand(seed)</c>,
/// and the legacy <c>permutation</c>/<c>shuffle</c> built on randomkit's bounded integers (mask, then reject).
/// This is what scikit-learn's <c>random_state=42</c> means, so splits are row-identical to Python's.
/// Stateful by nature; keep instances local to one computation.
/// </summary>
internal sealed class NumpyRandomState
{
    const int N = 624, M = 397;
    const uint MatrixA = 0x9908b0df, UpperMask = 0x80000000, LowerMask = 0x7fffffff;
    readonly uint[] mt;
    int pos;

    public NumpyRandomState(uint seed)
    {
        mt = InitialKey(seed);
        pos = N;
    }

    /// <summary>
    /// MT19937's <c>init_genrand(seed)</c>: the 624-word key right after seeding, as numpy's <c>get_state()[1]</c>.
    /// (numpy's <c>_legacy_seeding</c> uses this for a scalar integer seed; <c>init_by_array</c> only for array seeds.)
    /// </summary>
    public static uint[] InitialKey(uint seed)
    {
        var key = new uint[N];
        key[0] = seed;
        for (var i = 1; i < N; i++) key[i] = 1812433253u * (key[i - 1] ^ (key[i - 1] >> 30)) + (uint)i;
        return key;
    }

    public uint NextUInt32()
    {
        if (pos >= N) Generate();
        var y = mt[pos++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >> 18;
        return y;
    }

    public ulong NextUInt64() => ((ulong)NextUInt32() << 32) | NextUInt32();

    void Generate()
    {
        int k;
        uint y;
        for (k = 0; k < N - M; k++)
        {
            y = (mt[k] & UpperMask) | (mt[k + 1] & LowerMask);
            mt[k] = mt[k + M] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        }
        for (; k < N - 1; k++)
        {
            y = (mt[k] & UpperMask) | (mt[k + 1] & LowerMask);
            mt[k] = mt[k + (M - N)] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        }
        y = (mt[N - 1] & UpperMask) | (mt[0] & LowerMask);
        mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ ((y & 1) != 0 ? MatrixA : 0u);
        pos = 0;
    }

    /// <summary>randomkit's <c>rk_interval(max)</c>: uniform in [0, max] by masking and rejection.</summary>
    public ulong Interval(ulong max)
    {
        if (max == 0) return 0;
        var mask = max;
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16; mask |= mask >> 32;
        ulong value;
        if (max <= 0xffffffffUL)
            while ((value = NextUInt32() & mask) > max) { }
        else
            while ((value = NextUInt64() & mask) > max) { }
        return value;
    }

    /// <summary><c>RandomState.permutation(n)</c> = legacy Fisher–Yates shuffle of 0..n-1 from the back.</summary>
    public int[] Permutation(int n)
    {
        var a = new int[n];
        for (var i = 0; i < n; i++) a[i] = i;
        for (var i = n - 1; i > 0; i--)
        {
            var j = (int)Interval((ulong)i);
            (a[i], a[j]) = (a[j], a[i]);
        }
        return a;
    }
}
