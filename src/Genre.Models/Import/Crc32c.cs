namespace Genre.Models.Import;

/// <summary>CRC-32C (Castagnoli), and TensorFlow's masked form used in tensor bundles.</summary>
public static class Crc32c
{
    static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public static uint Compute(ReadOnlySpan<byte> data) => Extend(0, data);

    /// <summary>The crc of (the bytes <paramref name="crc"/> was computed over) followed by <paramref name="data"/>.</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        var c = ~crc;
        foreach (var b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    /// <summary>tensorflow::crc32c::Mask: rotate right by 15 and add a constant.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8u;

    public static uint Unmask(uint masked)
    {
        var rot = masked - 0xa282ead8u;
        return (rot >> 17) | (rot << 15);
    }
}
