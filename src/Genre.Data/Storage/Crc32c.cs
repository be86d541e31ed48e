using System.Buffers.Binary;
using System.Numerics;

namespace Genre.Data;

/// <summary>
/// CRC-32C (Castagnoli): the checksum of TensorFlow's tensor bundles and of every file genre writes and reads back,
/// and TensorFlow's masked form. Eight bytes per step with the processor's crc32 instruction where there is one.
/// </summary>
internal static class Crc32c
{
    public static uint Compute(ReadOnlySpan<byte> data) => Extend(0, data);

    /// <summary>The crc of (the bytes <paramref name="crc"/> was computed over) followed by <paramref name="data"/>.</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        var c = ~crc;
        for (; data.Length >= 8; data = data[8..]) c = BitOperations.Crc32C(c, BinaryPrimitives.ReadUInt64LittleEndian(data));
        foreach (var b in data) c = BitOperations.Crc32C(c, b);
        return ~c;
    }

    /// <summary>The checksum as genre records it in its files: eight lower-case hex digits.</summary>
    public static string Hex(uint crc) => crc.ToString("x8");

    /// <summary>tensorflow::crc32c::Mask: rotate right by 15 and add a constant.</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + 0xa282ead8u;

    public static uint Unmask(uint masked)
    {
        var rot = masked - 0xa282ead8u;
        return (rot >> 17) | (rot << 15);
    }
}
