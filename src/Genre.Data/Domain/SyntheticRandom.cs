namespace Genre.Data;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small, fully specified generator so synthetic files are identical on every
/// runtime (System.Random's algorithm is not a contract). A class whose state advances in place: one generation threads one
/// instance through, so each synthetic file draws from its own.
/// </summary>
internal sealed class SyntheticRandom
{
    ulong s0, s1, s2, s3;

    public SyntheticRandom(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix(ref x); s1 = SplitMix(ref x); s2 = SplitMix(ref x); s3 = SplitMix(ref x);
    }

    static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = BitOps.RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = BitOps.RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int Next(int n) => (int)((NextUInt64() >> 33) * (ulong)n >> 31);

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    public bool Bernoulli(double p) => NextDouble() < p;

    /// <summary>Standard normal by Box–Muller (one value per call; simple and exact enough for data generation).</summary>
    public double Normal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    static class BitOps
    {
        public static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
    }
}
