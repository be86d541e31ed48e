namespace Genre.Fuzz;

/// <summary>
/// Damage done to a valid file: bit flips, overwritten bytes (often a size-like int32), truncation, splicing (the file joined
/// to a later or earlier part of itself, or one of its chunks copied over another) and inserted bytes. One operation most of
/// the time, up to three stacked. Pure: the same bytes and random state give the same result.
/// </summary>
public static class Mutation
{
    // bytes that change how text, JSON, CSV and protobuf are read
    static readonly byte[] Interesting = [0x00, 0xFF, 0x7F, 0x80, (byte)',', (byte)'"', (byte)'\n', (byte)'\r', (byte)'{', (byte)'}',
        (byte)'[',
        (byte)']', (byte)':', (byte)'-', (byte)'9', (byte)'e', (byte)'.', (byte)'N', 0xC3, 0xEF, 0xBB, 0xBF];

    // int32 values that make sizes, lengths and offsets lie
    static readonly int[] Sizes = [int.MaxValue, -1, int.MinValue, 0x10000000, 0x7FFF, 65536, 1 << 20, 0];

    public static (byte[] Bytes, string How) Apply(byte[] input, Random r)
    {
        var bytes = input;
        var how = new List<string>();
        var steps = r.Next(4) == 0 ? 2 + r.Next(2) : 1;
        for (var s = 0; s < steps; s++)
        {
            var (next, what) = Once(bytes, r);
            bytes = next;
            how.Add(what);
        }
        return (bytes, string.Join(" + ", how));
    }

    static (byte[], string) Once(byte[] b, Random r)
    {
        var n = b.Length;
        switch (n == 0 ? 4 : r.Next(6))
        {
            case 0:
            {
                var o = (byte[])b.Clone();
                var k = 1 + r.Next(8);
                var at = new List<int>();
                for (var i = 0; i < k; i++)
                {
                    var bit = r.NextInt64(8L * n);
                    o[bit / 8] ^= (byte)(1 << (int)(bit % 8));
                    at.Add((int)(bit / 8));
                }
                return (o, $"flip {k} bit(s) at {string.Join(",", at)}");
            }
            case 1:
            {
                var o = (byte[])b.Clone();
                var at = r.Next(n);
                if (r.Next(2) == 0 && n >= 4)
                {
                    at = Math.Min(at, n - 4);
                    var v = Sizes[r.Next(Sizes.Length)];
                    BitConverter.GetBytes(v).CopyTo(o, at);
                    return (o, $"int32 {v} at {at}");
                }
                var len = Math.Min(1 + r.Next(4), n - at);
                for (var i = 0; i < len; i++) o[at + i] = r.Next(2) == 0 ? Interesting[r.Next(Interesting.Length)] : (byte)r.Next(256);
                return (o, $"overwrite {len} byte(s) at {at}");
            }
            case 2:
            {
                var keep = r.Next(n);
                return (b[..keep], $"truncate to {keep}");
            }
            case 3:
            {
                var i = r.Next(n + 1);
                var j = r.Next(n + 1);
                if (r.Next(2) == 0) return ([.. b[..i], .. b[j..]], $"splice [..{i}) + [{j}..)");
                var len = 1 + r.Next(Math.Max(1, Math.Min(64, n - Math.Max(i, j))));
                var o = (byte[])b.Clone();
                var from = Math.Min(j, n - 1);
                var to = Math.Min(i, n - 1);
                len = Math.Min(len, Math.Min(n - from, n - to));
                Array.Copy(b, from, o, to, len);
                return (o, $"copy {len} byte(s) from {from} to {to}");
            }
            default:
            {
                var at = r.Next(n + 1);
                var len = 1 + r.Next(16);
                var ins = new byte[len];
                var one = Interesting[r.Next(Interesting.Length)];
                for (var i = 0; i < len; i++)
                    ins[i] = r.Next(3) switch { 0 => (byte)r.Next(256), 1 => one, _ => Interesting[r.Next(Interesting.Length)] };
                return ([.. b[..at], .. ins, .. b[at..]], $"insert {len} byte(s) at {at}");
            }
        }
    }
}
