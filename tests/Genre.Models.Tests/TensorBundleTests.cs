using System.Text;
using Genre.Data;
using Genre.Models.Import;

namespace Genre.Models.Tests;

/// <summary>
/// The SSTable and tensor-bundle readers on tables written here, byte by byte, in LevelDB's format (prefix-compressed
/// keys, restart points, block trailers, footer) — independent of the authors' files.
/// </summary>
public class TensorBundleTests
{
    static byte[] Varint(ulong v)
    {
        var b = new List<byte>();
        for (; v >= 0x80; v >>= 7) b.Add((byte)(v | 0x80));
        b.Add((byte)v);
        return b.ToArray();
    }

    static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A block: entries with the key prefix shared with the previous key, a full key every <paramref name="restartEvery"/>
    /// entries.</summary>
    static byte[] Block(IReadOnlyList<(string Key, byte[] Value)> entries, int restartEvery)
    {
        var body = new List<byte>();
        var restarts = new List<int>();
        var previous = System.Array.Empty<byte>();
        for (var i = 0; i < entries.Count; i++)
        {
            var key = Encoding.UTF8.GetBytes(entries[i].Key);
            var shared = 0;
            if (i % restartEvery == 0) restarts.Add(body.Count);
            else while (shared < Math.Min(key.Length, previous.Length) && key[shared] == previous[shared]) shared++;
            body.AddRange(Cat(Varint((ulong)shared), Varint((ulong)(key.Length - shared)), Varint((ulong)entries[i].Value.Length)));
            body.AddRange(key.Skip(shared));
            body.AddRange(entries[i].Value);
            previous = key;
        }
        if (restarts.Count == 0) restarts.Add(0);
        foreach (var r in restarts) body.AddRange(BitConverter.GetBytes((uint)r));
        body.AddRange(BitConverter.GetBytes((uint)restarts.Count));
        return body.ToArray();
    }

    /// <summary>A whole table: data blocks of <paramref name="perBlock"/> entries, an empty metaindex, the index block, the
    /// footer.</summary>
    public static byte[] Table(IReadOnlyList<(string Key, byte[] Value)> entries, int perBlock, int restartEvery = 2, byte compression = 0,
        ulong magic = 0xdb4775248b80fb57UL)
    {
        var file = new List<byte>();
        var index = new List<(string, byte[])>();
        (int Offset, int Size) Append(byte[] block, byte type)
        {
            var at = file.Count;
            file.AddRange(block);
            file.Add(type);
            file.AddRange(BitConverter.GetBytes(0u));
            return (at, block.Length);
        }
        foreach (var chunk in entries.Chunk(perBlock))
        {
            var (o, s) = Append(Block(chunk, restartEvery), compression);
            index.Add((chunk[^1].Key, Cat(Varint((ulong)o), Varint((ulong)s))));
        }
        var meta = Append(Block([], 1), 0);
        var idx = Append(Block(index, 1), 0);
        var footer = Cat(Varint((ulong)meta.Offset), Varint((ulong)meta.Size), Varint((ulong)idx.Offset), Varint((ulong)idx.Size));
        file.AddRange(footer);
        file.AddRange(new byte[40 - footer.Length]);
        file.AddRange(BitConverter.GetBytes(magic));
        return file.ToArray();
    }

    static readonly (string, byte[])[] Keys =
    [
        ("layer_with_weights-0/bias/.ATTRIBUTES/VARIABLE_VALUE", [1]),
        ("layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE", [2, 2]),
        ("layer_with_weights-1/bias/.ATTRIBUTES/VARIABLE_VALUE", [3]),
        ("layer_with_weights-1/kernel/.ATTRIBUTES/VARIABLE_VALUE", []),
        ("variables/2/.ATTRIBUTES/VARIABLE_VALUE", [5, 5, 5]),
        ("variables/3/.ATTRIBUTES/VARIABLE_VALUE", [6]),
        ("variables/4/.ATTRIBUTES/VARIABLE_VALUE", [7]),
    ];

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(7, 3)]
    [InlineData(100, 16)]
    public void Sstable_reads_every_key_and_value_in_order(int perBlock, int restartEvery)
    {
        var read = SsTable.ReadAll(Table(Keys, perBlock, restartEvery), "t");
        Assert.Equal(Keys.Select(k => k.Item1), read.Select(r => r.Key));
        Assert.Equal(Keys.Select(k => k.Item2), read.Select(r => r.Value));
    }

    [Fact]
    public void Compressed_blocks_and_foreign_files_are_refused_by_name()
    {
        var compressed = Assert.Throws<InvalidDataException>(() => SsTable.ReadAll(Table(Keys, 3, compression: 1), "v.index"));
        Assert.Equal("v.index: compressed blocks are not supported (type 1)", compressed.Message);
        var magic = Assert.Throws<InvalidDataException>(() => SsTable.ReadAll(Table(Keys, 3, magic: 42), "v.index"));
        Assert.Equal("v.index: not a TensorFlow table (bad magic)", magic.Message);
        Assert.Throws<InvalidDataException>(() => SsTable.ReadAll(new byte[20], "v.index"));
    }

    /// <summary>A table whose one data block is <paramref name="dataBlock"/> (raw), found through an index entry (offset, size).</summary>
    static byte[] TableOf(byte[] dataBlock, ulong? offset = null, ulong? size = null)
    {
        var file = Cat(dataBlock, [0], new byte[4]);
        var meta = Block([], 1);
        var index = Block([("k", Cat(Varint(offset ?? 0), Varint(size ?? (ulong)dataBlock.Length)))], 1);
        var metaAt = file.Length;
        file = Cat(file, meta, [0], new byte[4]);
        var indexAt = file.Length;
        file = Cat(file, index, [0], new byte[4]);
        var footer = Cat(Varint((ulong)metaAt), Varint((ulong)meta.Length), Varint((ulong)indexAt), Varint((ulong)index.Length));
        return Cat(file, footer, new byte[40 - footer.Length], BitConverter.GetBytes(0xdb4775248b80fb57UL));
    }

    static byte[] Restarts(uint count) => Cat(BitConverter.GetBytes(0u), BitConverter.GetBytes(count));

    /// <summary>Issue 18: bytes inserted into or flipped in variables.index crashed the reader ("Source array was not long
    /// enough").</summary>
    [Theory]
    [InlineData("shared prefix longer than the previous key", "a block entry does not fit the block")]
    [InlineData("value longer than the block", "a block entry does not fit the block")]
    [InlineData("key of 2^40 bytes", "a block entry does not fit the block")]
    [InlineData("2^32 - 1 restart points", "a block's restart count does not fit the block")]
    [InlineData("block at offset 2^40", "block handle out of range")]
    [InlineData("block of 2^63 bytes", "block handle out of range")]
    [InlineData("truncated varint", "truncated varint")]
    public void Sizes_in_a_table_that_do_not_fit_it_are_refused_before_they_are_used(string damage, string message)
    {
        var table = damage switch
        {
            "shared prefix longer than the previous key" => TableOf(Cat(Varint(5), Varint(1), Varint(0), "a"u8.ToArray(), Restarts(1))),
            "value longer than the block" => TableOf(Cat(Varint(0), Varint(1), Varint(1000), "a"u8.ToArray(), Restarts(1))),
            "key of 2^40 bytes" => TableOf(Cat(Varint(0), Varint(1UL << 40), Varint(0), "a"u8.ToArray(), Restarts(1))),
            "2^32 - 1 restart points" => TableOf(Cat(Varint(0), Varint(1), Varint(0), "a"u8.ToArray(), Restarts(uint.MaxValue))),
            "block at offset 2^40" => TableOf(Cat(Varint(0), Varint(1), Varint(0), "a"u8.ToArray(), Restarts(1)), offset: 1UL << 40),
            "block of 2^63 bytes" => TableOf(Cat(Varint(0), Varint(1), Varint(0), "a"u8.ToArray(), Restarts(1)), size: 1UL << 63),
            _ => TableOf(Cat(Varint(0), [0x80, 0x80], Restarts(1))),
        };
        var e = Assert.Throws<InvalidDataException>(() => SsTable.ReadAll(table, "v.index"));
        Assert.EndsWith(message, e.Message);
    }

    [Fact]
    public void Protobuf_fields_that_run_past_the_message_are_refused()
    {
        Assert.Equal("truncated 64-bit field", Assert.Throws<InvalidDataException>(() => ProtoReader.Fields(new byte[] { 0x09, 1, 2, 3 })
            .ToList()).Message);
        Assert.Equal("truncated 32-bit field", Assert.Throws<InvalidDataException>(() => ProtoReader.Fields(new byte[] { 0x0D, 1 })
            .ToList()).Message);
        Assert.Equal("truncated length-delimited field", Assert.Throws<InvalidDataException>(
            () => ProtoReader.Fields(Cat([0x0A], Varint(ulong.MaxValue))).ToList()).Message);
        Assert.Equal("truncated length-delimited field",
            Assert.Throws<InvalidDataException>(() => ProtoReader.Fields(new byte[] { 0x0A, 5, 1 }).ToList()).Message);
    }

    // ---- bundles: BundleEntryProto values written here, tensors in a data shard beside them ----

    static byte[] Entry(int dtype, int[] shape, long offset, long size, uint crc)
    {
        var dims = shape.Select(d => Cat([0x12], Varint((ulong)Cat([0x08], Varint((ulong)d)).Length), [0x08], Varint((ulong)d)))
            .SelectMany(x => x).ToArray();
        return Cat([0x08], Varint((ulong)dtype), [0x12], Varint((ulong)dims.Length), dims,
            [0x20], Varint((ulong)offset), [0x28], Varint((ulong)size), [0x35], BitConverter.GetBytes(crc));
    }

    static string WriteBundle(IReadOnlyList<(string Key, byte[] Value)> entries, byte[] data, byte[]? header = null)
    {
        var dir = Support.TempDir();
        var all = new List<(string, byte[])> { ("", header ?? [0x08, 0x01]) };
        all.AddRange(entries.OrderBy(e => e.Key, StringComparer.Ordinal));
        File.WriteAllBytes(Path.Combine(dir, "variables.index"), Table(all, 2));
        File.WriteAllBytes(Path.Combine(dir, "variables.data-00000-of-00001"), data);
        return dir;
    }

    static readonly float[] Kernel = [0.5f, -1.25f, 3f, 1e-3f, -0f, 7.75f];
    static byte[] KernelBytes => Kernel.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void Float_tensors_are_read_after_their_dtype_shape_and_crc_are_checked()
    {
        var crc = Crc32c.Mask(Crc32c.Compute(KernelBytes));
        var dir = WriteBundle([("k", Entry(1, [2, 3], 8, 24, crc)), ("bad", Entry(1, [2, 3], 8, 24, crc + 1))],
            Cat(new byte[8], KernelBytes));
        var bundle = Ok(TensorBundle.Open(dir));
        Assert.Equal(Kernel, Ok(bundle.ReadFloat("k", Seq(2, 3), "m: layer 0 (Dense) kernel")));
        Assert.Equal("m: layer 0 (Dense) kernel: expected (3, 2), got (2, 3)",
            Fail(bundle.ReadFloat("k", Seq(3, 2), "m: layer 0 (Dense) kernel")));
        Assert.StartsWith("m: layer 0 (Dense) kernel: crc32c mismatch",
            Fail(bundle.ReadFloat("bad", Seq(2, 3), "m: layer 0 (Dense) kernel")));
        Assert.Contains("tensor 'nope' not found", Fail(bundle.ReadFloat("nope", Seq(2, 3), "m: layer 0 (Dense) kernel")));
    }

    [Fact]
    public void Wrong_dtypes_and_out_of_range_entries_are_model_errors()
    {
        var dir = WriteBundle([("d", Entry(2, [6], 0, 48, 0)), ("far", Entry(1, [2, 3], 100, 24, 0))], KernelBytes);
        var bundle = Ok(TensorBundle.Open(dir));
        Assert.Equal("w: expected dtype float32, got TF dtype 2", Fail(bundle.ReadFloat("d", Seq1(6), "w")));
        Assert.Equal("w: entry points outside the data file (offset 100, size 24)", Fail(bundle.ReadFloat("far", Seq(2, 3), "w")));
        Assert.Equal(Genre.Data.GenreError.ModelCode, bundle.ReadFloat("far", Seq(2, 3), "w").Match(_ => 0, e => e.Code));
    }

    [Fact]
    public void Headers_of_other_layouts_are_refused()
    {
        Assert.Contains("big-endian tensor bundles are not supported",
            Fail(TensorBundle.Open(WriteBundle([], [], [0x08, 0x01, 0x10, 0x01]))));
        Assert.Contains("bundles with 2 shards are not supported", Fail(TensorBundle.Open(WriteBundle([], [], [0x08, 0x02]))));
    }

    [Fact]
    public void Scalar_strings_carry_a_length_checksum_and_an_entry_checksum()
    {
        var text = "object graph bytes"u8.ToArray();
        var length = BitConverter.GetBytes((uint)text.Length);
        var lengthCrc = BitConverter.GetBytes(Crc32c.Mask(Crc32c.Compute(length)));
        var payload = Cat(Varint((ulong)text.Length), lengthCrc, text);
        var crc = Crc32c.Mask(Crc32c.Compute(Cat(length, lengthCrc, text)));
        var dir = WriteBundle([("s", Entry(7, [], 0, payload.Length, crc)), ("t", Entry(7, [], 0, payload.Length, crc ^ 1))], payload);
        var bundle = Ok(TensorBundle.Open(dir));
        Assert.Equal(text, Ok(bundle.ReadScalarString("s")));
        Assert.StartsWith(Path.Combine(dir, "variables.data-00000-of-00001") + ": tensor 't': crc32c mismatch",
            Fail(bundle.ReadScalarString("t")));
    }
}

public class Crc32cTests
{
    [Fact]
    public void Crc32c_matches_the_standard_check_value()
    {
        Assert.Equal(0xE3069283u, Crc32c.Compute("123456789"u8));
        Assert.Equal(0u, Crc32c.Compute([]));
        Assert.Equal(0x8A9136AAu, Crc32c.Compute(new byte[32])); // RFC 3720 B.4: 32 bytes of zeros
        Assert.Equal(0x62A8AB43u, Crc32c.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray())); // 32 bytes of 0xFF
    }

    /// <summary>The polynomial bit by bit (reflected 0x82F63B78), as the specification states it.</summary>
    static uint BitByBit(ReadOnlySpan<byte> data)
    {
        var c = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            c ^= b;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
        }
        return ~c;
    }

    [Fact]
    public void Eight_bytes_per_step_equals_the_bitwise_definition_at_every_length_and_alignment()
    {
        var random = new Random(5);
        var data = new byte[64];
        random.NextBytes(data);
        for (var start = 0; start < 8; start++)
            for (var length = 0; start + length <= data.Length; length++)
                Assert.Equal(BitByBit(data.AsSpan(start, length)), Crc32c.Compute(data.AsSpan(start, length)));
    }

    [Fact]
    public void Extend_continues_a_crc_over_concatenated_bytes()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7919)).ToArray();
        for (var cut = 0; cut <= data.Length; cut += 97)
            Assert.Equal(Crc32c.Compute(data), Crc32c.Extend(Crc32c.Compute(data.AsSpan(0, cut)), data.AsSpan(cut)));
    }

    [Fact]
    public void Mask_is_tensorflows_rotation_plus_constant_and_unmask_inverts_it()
    {
        Assert.Equal(0xC78AB0E5u, Crc32c.Mask(0xE3069283u)); // ((c >> 15) | (c << 17)) + 0xa282ead8, computed in Python
        Assert.NotEqual(0xE3069283u, Crc32c.Mask(0xE3069283u));
        foreach (var c in new[] { 0u, 1u, 0xE3069283u, 0xFFFFFFFFu, 0x12345678u }) Assert.Equal(c, Crc32c.Unmask(Crc32c.Mask(c)));
    }
}
