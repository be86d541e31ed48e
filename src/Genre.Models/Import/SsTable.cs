namespace Genre.Models.Import;

/// <summary>
/// Reads a LevelDB-format table as TensorFlow writes <c>variables.index</c>: a 48-byte footer with the index block
/// handle, data blocks of prefix-compressed entries with restart points, each followed by a 5-byte trailer
/// (compression type, crc). Only uncompressed blocks are supported (what TF writes for bundles). Every offset, size and
/// length in the file is checked against the bytes there are before it is used; a table that breaks the format throws
/// <see cref="InvalidDataException"/> with the table's name (the file it came from) in its message.
/// </summary>
internal static class SsTable
{
    const ulong Magic = 0xdb4775248b80fb57UL;

    public static IReadOnlyList<(string Key, byte[] Value)> ReadAll(byte[] file, string name)
    {
        if (file.Length < 48) throw new InvalidDataException($"{name}: too short for a table ({file.Length} bytes)");
        var footer = file.AsSpan(file.Length - 48);
        if (BitConverter.ToUInt64(footer[40..]) != Magic) throw new InvalidDataException($"{name}: not a TensorFlow table (bad magic)");
        var i = 0;
        ProtoReader.Varint(footer, ref i); ProtoReader.Varint(footer, ref i); // metaindex handle (unused)
        var indexOffset = ProtoReader.Varint(footer, ref i);
        var indexSize = ProtoReader.Varint(footer, ref i);
        var result = new List<(string, byte[])>();
        foreach (var (_, handle) in Block(file, indexOffset, indexSize, name))
        {
            var j = 0;
            var offset = ProtoReader.Varint(handle, ref j);
            var size = ProtoReader.Varint(handle, ref j);
            result.AddRange(Block(file, offset, size, name));
        }
        return result;
    }

    static List<(string, byte[])> Block(byte[] file, ulong offset, ulong size, string name)
    {
        // the block, then its 5-byte trailer, all inside the file
        if (size < 4 || offset > (ulong)file.Length || size > (ulong)file.Length - offset || (ulong)file.Length - offset - size < 5)
            throw new InvalidDataException($"{name}: block handle out of range");
        var data = file.AsSpan((int)offset, (int)size);
        if (file[(int)(offset + size)] != 0) throw new InvalidDataException(
            $"{name}: compressed blocks are not supported (type {file[(int)(offset + size)]})");
        var restarts = BitConverter.ToUInt32(data[^4..]);
        if (restarts > (size - 4) / 4) throw new InvalidDataException($"{name}: a block's restart count does not fit the block");
        var end = (int)size - 4 - 4 * (int)restarts;
        var entries = new List<(string, byte[])>();
        var key = System.Array.Empty<byte>();
        var i = 0;
        while (i < end)
        {
            var shared = ProtoReader.Varint(data[..end], ref i);
            var nonShared = ProtoReader.Varint(data[..end], ref i);
            var valueLength = ProtoReader.Varint(data[..end], ref i);
            if (shared > (ulong)key.Length || nonShared > (ulong)(end - i) || valueLength > (ulong)(end - i) - nonShared)
                throw new InvalidDataException($"{name}: a block entry does not fit the block");
            var next = new byte[(int)shared + (int)nonShared];
            System.Array.Copy(key, next, (int)shared);
            data.Slice(i, (int)nonShared).CopyTo(next.AsSpan((int)shared));
            i += (int)nonShared;
            key = next;
            entries.Add((System.Text.Encoding.UTF8.GetString(key), data.Slice(i, (int)valueLength).ToArray()));
            i += (int)valueLength;
        }
        return entries;
    }
}
