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

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }

    /// <summary>tensorflow::crc32c::Mask: rotate right by 15 and add a constant.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}
