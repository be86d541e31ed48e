using System.Numerics;

namespace Genre.Data.Tests;

/// <summary>NumpyRandomState against numpy 1.24's legacy RandomState (vectors in tests/golden/data, made by make_golden.py).</summary>
public class NumpyRandomStateTests
{
    static IEnumerable<string[]> Lines(string kind) =>
        File.ReadAllLines(TestFiles.Golden("numpy-random.txt")).Select(l => l.Split(' ')).Where(p => p[0] == kind);

    [Fact]
    public void Permutation_vectors_from_the_issue()
    {
        Assert.Equal(new[] { 8, 1, 5, 0, 7, 2, 9, 4, 3, 6 }, new NumpyRandomState(42).Permutation(10));
        Assert.Equal(new[] { 0, 17, 15, 1, 8, 5, 11, 3, 18, 16, 13, 2, 9, 19, 4, 12, 7, 10, 14, 6 },
            new NumpyRandomState(42).Permutation(20));
    }

    [Fact]
    public void Permutations_match_numpy_for_many_seeds_and_sizes()
    {
        var lines = File.ReadAllLines(TestFiles.Golden("permutations.txt"));
        Assert.Equal(48, lines.Length);
        foreach (var p in lines.Select(l => l.Split(' ')))
            Assert.Equal(p.Skip(2).Select(int.Parse), new NumpyRandomState(uint.Parse(p[0])).Permutation(int.Parse(p[1])));
    }

    [Fact]
    public void Seeding_is_init_genrand_as_numpys_get_state()
    {
        var cases = Lines("state").ToList();
        Assert.Equal(6, cases.Count);
        foreach (var p in cases)
        {
            var key = NumpyRandomState.InitialKey(uint.Parse(p[1]));
            Assert.Equal(624, key.Length);
            Assert.Equal(p.Skip(2).Take(8).Select(uint.Parse), key[..8]);
            Assert.Equal(p.Skip(10).Select(uint.Parse), key[^4..]);
        }
    }

    [Fact]
    public void Raw_draws_match_randint_uint32_across_two_regenerations()
    {
        int[] at = [0, 1, 2, 3, 622, 623, 624, 625, 1247, 1248, 1299];
        foreach (var p in Lines("uint32"))
        {
            var rs = new NumpyRandomState(uint.Parse(p[1]));
            var draws = Enumerable.Range(0, 1300).Select(_ => rs.NextUInt32()).ToArray();
            Assert.Equal(p.Skip(2).Select(uint.Parse), at.Select(i => draws[i]));
        }
    }

    [Fact]
    public void Bounded_draws_match_numpy_on_the_32_and_64_bit_paths()
    {
        var cases = Lines("interval").ToList();
        Assert.Equal(6 * 8, cases.Count);
        Assert.Contains(cases, p => ulong.Parse(p[2]) > uint.MaxValue);
        foreach (var p in cases)
        {
            var rs = new NumpyRandomState(uint.Parse(p[1]));
            var max = ulong.Parse(p[2]);
            Assert.Equal(p.Skip(3).Select(ulong.Parse), Enumerable.Range(0, 12).Select(_ => rs.Interval(max)));
        }
    }

    [Fact]
    public void Large_permutations_match_numpy_digests()
    {
        var cases = Lines("digest").ToList();
        Assert.Equal(4, cases.Count);
        foreach (var p in cases)
        {
            var perm = new NumpyRandomState(uint.Parse(p[1])).Permutation(int.Parse(p[2]));
            const long mod = 1_000_000_007;
            var digest = perm.Select((v, i) => (i + 1L) * v % mod).Aggregate(BigInteger.Zero, (a, b) => a + b) % mod;
            Assert.Equal(long.Parse(p[3]), (long)digest);
            Assert.Equal(p.Skip(4).Take(10).Select(int.Parse), perm[..10]);
            Assert.Equal(p.Skip(14).Select(int.Parse), perm[^10..]);
        }
    }

    [Fact]
    public void Interval_of_zero_draws_nothing()
    {
        var a = new NumpyRandomState(5);
        var b = new NumpyRandomState(5);
        Assert.Equal(0UL, a.Interval(0));
        Assert.Equal(b.NextUInt32(), a.NextUInt32());
        Assert.Equal(new[] { 0 }, new NumpyRandomState(1).Permutation(1));
        Assert.Empty(new NumpyRandomState(1).Permutation(0));
    }
}
