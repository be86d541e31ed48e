using Genre.Data;

namespace Genre.Models.Import;

/// <summary>A BundleEntryProto: where one tensor lives in the data shard and how to check it.</summary>
internal sealed record BundleEntry(string Key, int DType, Seq<long> Shape, int Shard, long Offset, long Size, uint MaskedCrc32c);

/// <summary>
/// TF2 checkpoint reader (tensor bundle) without TensorFlow: <c>variables.index</c> (an SSTable of BundleEntryProto)
/// and <c>variables.data-00000-of-00001</c> (raw little-endian tensors). Offsets, sizes and lengths from either file are
/// checked against the data file's length before use; errors name the file they concern.
/// </summary>
internal sealed record TensorBundle(string Directory, Map<string, BundleEntry> Entries, byte[] Data)
{
    public const int DtFloat = 1;
    public const int DtString = 7;
    public const string IndexFile = "variables.index";
    public const string DataFile = "variables.data-00000-of-00001";

    string DataPath => Path.Combine(Directory, DataFile);
    string IndexPath => Path.Combine(Directory, IndexFile);

    public static Fin<TensorBundle> Open(string variablesDir)
    {
        var index = Path.Combine(variablesDir, IndexFile);
        var data = Path.Combine(variablesDir, DataFile);
        return from indexBytes in Files.ReadBytes(index, _ => GenreError.Model(
            $"{index}: missing (not a TF2 SavedModel variables folder?)"))
               from dataBytes in Files.ReadBytes(data, _ => GenreError.Model($"{data}: missing (only single-shard bundles are supported)"))
               from bundle in Parse(variablesDir, index, indexBytes, dataBytes)
               select bundle;
    }

    static Fin<TensorBundle> Parse(string variablesDir, string index, byte[] indexBytes, byte[] dataBytes)
    {
        // the table and protobuf readers throw InvalidDataException on malformed input: made the index file's error
        try
        {
            var table = SsTable.ReadAll(indexBytes, index);
            var header = table.Where(e => e.Key.Length == 0).Select(e => CheckHeader(e.Value)).FirstOrDefault();
            if (header is not null) return GenreError.Model($"{index}: {header}");
            var entries = table.Where(e => e.Key.Length > 0).Select(e => ParseEntry(e.Key, e.Value)).ToList();
            return new TensorBundle(variablesDir, entries.Fold(Map<string, BundleEntry>(), (m, e) => m.AddOrUpdate(e.Key, e)), dataBytes);
        }
        catch (InvalidDataException e) { return GenreError.Model(e.Message.StartsWith(index) ? e.Message : $"{index}: {e.Message}"); }
    }

    /// <summary>BundleHeaderProto (num_shards = 1, endianness = 2): null when readable here (one shard, little-endian).</summary>
    static string? CheckHeader(byte[] value)
    {
        var fields = ProtoReader.Fields(value).ToList();
        var shards = fields.Where(f => f.Number == 1).Select(f => (long)f.Value).DefaultIfEmpty(1).First();
        var bigEndian = fields.Any(f => f.Number == 2 && f.Value == 1);
        return bigEndian ? "big-endian tensor bundles are not supported"
            : shards != 1 ? $"bundles with {shards} shards are not supported (only variables.data-00000-of-00001)"
            : null;
    }

    static BundleEntry ParseEntry(string key, byte[] value)
    {
        int dtype = 0, shard = 0; long offset = 0, size = 0; uint crc = 0;
        var shape = Seq<long>();
        foreach (var f in ProtoReader.Fields(value))
            switch (f.Number)
            {
                case 1: dtype = (int)f.Value; break;
                case 2:
                    shape = toSeq(ProtoReader.Fields(f.Bytes).Where(d => d.Number == 2)
                            .Select(d => ProtoReader.Fields(d.Bytes).Where(s => s.Number == 1).Select(s => (long)s.Value).FirstOrDefault()))
                                .Strict(); break;
                case 3: shard = (int)f.Value; break;
                case 4: offset = (long)f.Value; break;
                case 5: size = (long)f.Value; break;
                case 6: crc = (uint)f.Value; break;
            }
        return new BundleEntry(key, dtype, shape, shard, offset, size, crc);
    }

    /// <summary>The float32 values of one tensor, after checking dtype, shape and crc32c.</summary>
    public Fin<float[]> ReadFloat(string key, Seq<int> expectedShape, string what)
    {
        if (Entries.Find(key).Case is not BundleEntry e) return GenreError.Model($"{what}: tensor '{key}' not found in {IndexPath}");
        if (e.DType != DtFloat) return GenreError.Model($"{what}: expected dtype float32, got TF dtype {e.DType}");
        if (!e.Shape.SequenceEqual(expectedShape.Map(d => (long)d)))
            return GenreError.Model($"{what}: expected ({string.Join(", ", expectedShape)}), got ({string.Join(", ", e.Shape)})");
        if (e.Shard != 0 || !Inside(e) || e.Size != 4L * expectedShape.Fold(1L, (a, b) => a * b))
            return GenreError.Model($"{what}: entry points outside the data file (offset {e.Offset}, size {e.Size})");
        var bytes = Data.AsSpan((int)e.Offset, (int)e.Size);
        var crc = Crc32c.Mask(Crc32c.Compute(bytes));
        if (crc != e.MaskedCrc32c) return GenreError.Model(
            $"{what}: crc32c mismatch in {DataFile} (stored {e.MaskedCrc32c:x8}, computed {crc:x8}) — the file is damaged");
        var values = new float[e.Size / 4];
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
        return values;
    }

    /// <summary>
    /// A scalar string tensor (e.g. the object graph). On disk: varint64 length, the masked crc32c of the length
    /// (as uint32), then the bytes; the entry's crc32c covers the length (uint32), the length checksum and the bytes.
    /// </summary>
    public Fin<byte[]> ReadScalarString(string key)
    {
        if (Entries.Find(key).Case is not BundleEntry e) return GenreError.Model($"{IndexPath}: tensor '{key}' not found");
        if (e.DType != DtString || !e.Shape.IsEmpty) return GenreError.Model(
            $"{IndexPath}: tensor '{key}': expected a scalar string, got TF dtype {e.DType} shape ({string.Join(", ", e.Shape)})");
        if (e.Shard != 0 || e.Size < 5 || !Inside(e))
            return GenreError.Model($"{DataPath}: tensor '{key}': entry points outside the data file (offset {e.Offset}, size {e.Size})");
        var bytes = Data.AsSpan((int)e.Offset, (int)e.Size);
        var i = 0;
        ulong length;
        try { length = ProtoReader.Varint(bytes[..^4], ref i); }
        catch (InvalidDataException) { return GenreError.Model($"{DataPath}: tensor '{key}': bad string length — the file is damaged"); }
        if (length > (ulong)e.Size || (ulong)i + 4 + length != (ulong)e.Size)
            return GenreError.Model(
                $"{DataPath}: tensor '{key}': string length {length} does not fit the entry size {e.Size} — the file is damaged");
        var lengthBytes = BitConverter.GetBytes((uint)length);
        var stored = BitConverter.ToUInt32(bytes.Slice(i, 4));
        var crc = Crc32c.Extend(0, lengthBytes);
        if (Crc32c.Mask(crc) != stored) return GenreError.Model(
            $"{DataPath}: tensor '{key}': crc32c mismatch in the string lengths — the file is damaged");
        crc = Crc32c.Extend(Crc32c.Extend(crc, bytes.Slice(i, 4)), bytes[(i + 4)..]);
        if (Crc32c.Mask(crc) != e.MaskedCrc32c) return GenreError.Model(
            $"{DataPath}: tensor '{key}': crc32c mismatch (stored {e.MaskedCrc32c:x8}, computed {Crc32c.Mask(crc):x8}) — the file is " +
                $"damaged");
        return bytes[(i + 4)..].ToArray();
    }

    /// <summary>The entry's bytes lie inside the data file (sizes from the index are not trusted).</summary>
    bool Inside(BundleEntry e) => e.Offset >= 0 && e.Size >= 0 && e.Offset <= Data.Length && e.Size <= Data.Length - e.Offset;
}
