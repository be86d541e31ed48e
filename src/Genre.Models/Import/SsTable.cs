namespace Genre.Models.Import;

/// <summary>
/// Reads a LevelDB-format table as TensorFlow writes <c>variables.index</c>: a 48-byte footer with the index block
/// handle, data blocks of prefix-compressed entries with restart points, each followed by a 5-byte trailer
/// (compression type, crc). Only uncompressed blocks are supported (what TF writes for bundles).
/// </summary>
public static class SsTable
{
    const ulong Magic = 0xdb4775248b80fb57UL;

    public static IReadOnlyList<(string Key, byte[] Value)> ReadAll(byte[] file, string name)
    {
        if (file.Length < 48) throw new InvalidDataException($"{name}: too short for a table ({file.Length} bytes)");
        var footer = file.AsSpan(file.Length - 48);
        if (BitConverter.ToUInt64(footer[40..]) != Magic) throw new InvalidDataException($"{name}: not a TensorFlow table (bad magic)");
        var i = 0;
        ProtoReader.Varint(footer, ref i); ProtoReader.Varint(footer, ref i); // metaindex handle (unused)
        var indexOffset = (int)ProtoReader.Varint(footer, ref i);
        var indexSize = (int)ProtoReader.Varint(footer, ref i);
        var result = new List<(string, byte[])>();
        foreach (var (_, handle) in Block(file, indexOffset, indexSize, name))
        {
            var j = 0;
            var offset = (int)ProtoReader.Varint(handle, ref j);
            var size = (int)ProtoReader.Varint(handle, ref j);
            result.AddRange(Block(file, offset, size, name));
        }
        return result;
    }

    static List<(string, byte[])> Block(byte[] file, int offset, int size, string name)
    {
        if (offset < 0 || size < 4 || offset + size + 5 > file.Length) throw new InvalidDataException($"{name}: block handle out of range");
        if (file[offset + size] != 0) throw new InvalidDataException($"{name}: compressed blocks are not supported (type {file[offset + size]})");
        var data = file.AsSpan(offset, size);
        var restarts = (int)BitConverter.ToUInt32(data[^4..]);
        var end = size - 4 - 4 * restarts;
        var entries = new List<(string, byte[])>();
        var key = Array.Empty<byte>();
        var i = 0;
        while (i < end)
        {
            var shared = (int)ProtoReader.Varint(data, ref i);
            var nonShared = (int)ProtoReader.Varint(data, ref i);
            var valueLength = (int)ProtoReader.Varint(data, ref i);
            var next = new byte[shared + nonShared];
            Array.Copy(key, next, shared);
            data.Slice(i, nonShared).CopyTo(next.AsSpan(shared));
            i += nonShared;
            key = next;
            entries.Add((System.Text.Encoding.UTF8.GetString(key), data.Slice(i, valueLength).ToArray()));
            i += valueLength;
        }
        return entries;
    }
}
