using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>What a tensor file holds, verified.</summary>
internal sealed record TensorFileContent(JsonObject Meta, Seq<NamedTensor> Tensors);

/// <summary>
/// A small self-describing file of named float32 tensors plus a JSON metadata object, written atomically:
/// "GENRET2\n", int32 header length, uint32 crc32c of the header, the UTF-8 JSON header {meta, tensors:[{name, shape, crc32c}]},
/// then the tensors' little-endian bytes, each covered by its crc32c; nothing after the last tensor.
/// A file an earlier genre wrote before checksums ("GENRET1\n", no header crc, no tensor crcs) is refused
/// (<see cref="EarlierFormat"/>): <c>genre migrate</c> rewrites it. Every size in a file is checked against the file's length
/// before anything is allocated.
/// </summary>
internal static class TensorFile
{
    static readonly byte[] Magic = "GENRET2\n"u8.ToArray();
    /// <summary>The magic of the layout before checksums, which only <c>genre migrate</c> reads.</summary>
    public static readonly byte[] EarlierMagic = "GENRET1\n"u8.ToArray();

    /// <summary>Written atomically.</summary>
    public static Fin<Unit> Write(string path, JsonObject meta, Seq<NamedTensor> tensors) =>
        AtomicFile.WriteAllBytes(path, ToBytes(meta, tensors));

    /// <summary>The file's bytes.</summary>
    public static byte[] ToBytes(JsonObject meta, Seq<NamedTensor> tensors)
    {
        var header = new JsonObject
        {
            ["meta"] = meta.DeepClone(),
            ["tensors"] = new JsonArray(tensors.Map(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["shape"] = new JsonArray(t.Shape.Map(d => (JsonNode)d).ToArray()),
                ["crc32c"] = Crc32c.Hex(Crc32c.Compute(MemoryMarshal.AsBytes(t.Values.AsSpan()))),
            }).ToArray()),
        };
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var s = new MemoryStream();
        s.Write(Magic);
        s.Write(BitConverter.GetBytes(json.Length));
        s.Write(BitConverter.GetBytes(Crc32c.Compute(json)));
        s.Write(json);
        foreach (var t in tensors) s.Write(MemoryMarshal.AsBytes(t.Values.AsSpan()));
        return s.ToArray();
    }

    public static Fin<TensorFileContent> Read(string path) => Files.ReadBytes(path).Bind(bytes => Parse(bytes, path));

    /// <summary>The content of a tensor file held in memory; <paramref name="path"/> names it in errors.</summary>
    public static Fin<TensorFileContent> Parse(byte[] bytes, string path)
    {
        if (bytes.Length < 8) return Damaged(path, $"too short for a Genre tensor file ({bytes.Length} bytes)");
        if (bytes.AsSpan(0, 8).SequenceEqual(EarlierMagic)) return EarlierFormat.Refused(path, "has no checksums (a GENRET1 tensor file)");
        if (!bytes.AsSpan(0, 8).SequenceEqual(Magic))
            return GenreError.Model($"{path}: not a Genre tensor file (it does not start with GENRET2)");
        const int start = 16;
        if (bytes.Length < start) return Damaged(path, $"truncated in the header ({bytes.Length} bytes)");
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (length <= 0 || length > bytes.Length - start)
            return Damaged(path, $"the header length {length} does not fit the file ({bytes.Length} bytes)");
        if (Crc32c.Compute(bytes.AsSpan(start, length)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)))
            return Damaged(path, "checksum mismatch in the header");
        return Body(bytes, start, length, path, checksummed: true);
    }

    /// <summary>
    /// The JSON header at <paramref name="start"/> ({meta, tensors: [{name, shape, crc32c}]}, <paramref name="length"/> bytes)
    /// and the tensors after it, every size checked against the file's length before anything is allocated, each tensor's
    /// crc32c verified when <paramref name="checksummed"/> (an earlier genre's GENRET1 file has none: <c>genre migrate</c>
    /// reads it by its structure alone).
    /// </summary>
    internal static Fin<TensorFileContent> Body(byte[] bytes, int start, int length, string path, bool checksummed) =>
        from node in Json.Parse(bytes.AsMemory(start, length), $"{path}: header", m => GenreError.Model($"{m} — the file is damaged"))
        from meta in Json.Object(node, "meta").ToFin(Damaged(path, "the header has no meta object"))
        from entries in Json.Array(node, "tensors").ToFin(Damaged(path, "the header has no tensor list"))
        from tensors in Tensors(bytes, start + length, entries, path, checksummed)
        select new TensorFileContent(meta, tensors);

    static Fin<Seq<NamedTensor>> Tensors(byte[] bytes, int offset, JsonArray entries, string path, bool checksummed)
    {
        var tensors = new List<NamedTensor>(entries.Count);
        var names = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (Json.String(entry, "name").Case is not string raw) return Damaged(
                path, $"tensor {tensors.Count} of the header has no name");
            var name = GenreError.Show(raw, 80);
            if (!names.Add(raw)) return Damaged(path, $"tensor '{name}' appears twice");
            if (Shape(entry).Case is not Seq<int> shape) return Damaged(path, $"tensor '{name}': the shape is not a list of sizes ≥ 0");
            var available = (bytes.Length - offset) / 4;
            var count = 1L;
            foreach (var d in shape) count = count > available ? count : count * d;
            if (count > available)
                return Damaged(path, $"truncated: tensor '{name}' ({string.Join(", ", shape)}) needs more bytes than the file's " +
                    $"{bytes.Length - offset} after offset {offset}");
            var data = bytes.AsSpan(offset, (int)count * 4);
            if (checksummed && Json.String(entry, "crc32c") != Some(Crc32c.Hex(Crc32c.Compute(data))))
                return Damaged(path, $"checksum mismatch in tensor '{name}'");
            tensors.Add(new NamedTensor(raw, shape, MemoryMarshal.Cast<byte, float>(data).ToArray()));
            offset += data.Length;
        }
        if (offset != bytes.Length) return Damaged(path, $"{bytes.Length - offset} unexpected bytes after the last tensor");
        return toSeq(tensors).Strict();
    }

    static Option<Seq<int>> Shape(JsonNode? entry) =>
        Json.Array(entry, "shape").Bind(a => a.Select(Json.Int).ToSeq().Sequence()).Filter(s => s.ForAll(d => d >= 0)).Map(s => s.Strict());

    static LanguageExt.Common.Error Damaged(string path, string what) => GenreError.Model($"{path}: {what} — the file is damaged");
}
