using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>
/// The safetensors format (Hugging Face): an unsigned 64-bit little-endian header length, a UTF-8 JSON header
/// <c>{"__metadata__": {string: string}, NAME: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}</c> padded with
/// spaces to a multiple of 8 bytes, then the tensors' raw little-endian bytes (offsets relative to the end of the header).
/// Genre writes float32 tensors in the given order and puts <see cref="ChecksumKey"/>, the sha256 of the data bytes, in the
/// metadata; reading checks the layout (dtype, shape × 4 = extent, extents tile the data exactly) and the checksum when present.
/// </summary>
public static class SafeTensors
{
    /// <summary>The header entry that holds the string-to-string metadata (safetensors' reserved key).</summary>
    public const string MetadataKey = "__metadata__";
    /// <summary>The metadata key under which Genre stores the sha256 (lowercase hex) of the data bytes.</summary>
    public const string ChecksumKey = "sha256";

    /// <summary>The file's bytes. Metadata keys other than <see cref="ChecksumKey"/> are written as given.</summary>
    public static byte[] ToBytes(Seq<(string Key, string Value)> metadata, Seq<NamedTensor> tensors)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors data is little-endian");
        var data = new MemoryStream();
        var header = new JsonObject();
        var meta = new JsonObject();
        foreach (var (k, v) in metadata) meta[k] = v;
        header[MetadataKey] = meta;
        foreach (var t in tensors)
        {
            var begin = data.Length;
            data.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Values.AsSpan()));
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Map(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(begin, data.Length),
            };
        }
        var bytes = data.ToArray();
        meta[ChecksumKey] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + bytes.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        json.CopyTo(file, 8);
        file.AsSpan(8 + json.Length, padded - json.Length).Fill((byte)' ');
        bytes.CopyTo(file, 8 + padded);
        return file;
    }

    /// <summary>Written atomically.</summary>
    public static Fin<Unit> Write(string path, Seq<(string Key, string Value)> metadata, Seq<NamedTensor> tensors) =>
        AtomicFile.WriteAllBytes(path, ToBytes(metadata, tensors));

    /// <summary>
    /// The metadata and the float32 tensors of a safetensors file, in file order. An I/O error when it cannot be read; a model
    /// error (naming the file) when the header or layout is malformed, a dtype is not F32, or the stored sha256 does not match.
    /// </summary>
    public static Fin<(Map<string, string> Metadata, Seq<NamedTensor> Tensors)> Read(string path) =>
        Files.ReadBytes(path).Bind(bytes => Parse(bytes, path));

    /// <summary>Tensors in file order (by data offset); errors name the file and the tensor.</summary>
    public static Fin<(Map<string, string> Metadata, Seq<NamedTensor> Tensors)> Parse(byte[] file, string origin)
    {
        if (file.Length < 8) return GenreError.Model($"{origin}: not a safetensors file (shorter than its 8-byte header length)");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (length > (ulong)(file.Length - 8)) return GenreError.Model(
            $"{origin}: not a safetensors file (header length {length} exceeds the file's {file.Length} bytes)");
        var dataStart = 8 + (int)length;
        var parsed = Json.Parse(file.AsMemory(8, (int)length), $"{origin}: corrupt safetensors header",
            m => GenreError.Model($"{m} — the file is damaged"));
        if (parsed.IsFail) return parsed.Map(_ => (Map<string, string>(), Seq<NamedTensor>()));
        if ((JsonNode)parsed is not JsonObject header) return Corrupt(origin, "not a JSON object");
        {
            var metadata = Map<string, string>();
            if (header[MetadataKey] is { } meta)
            {
                if (meta is not JsonObject m) return Corrupt(origin, $"{MetadataKey} is not an object");
                foreach (var (key, value) in m)
                    if (Json.String(value).Case is string text) metadata = metadata.AddOrUpdate(key, text);
                    else return Corrupt(origin, $"{MetadataKey}.{key} is not a string");
            }
            var entries = new List<(string Name, long Begin, long End, Seq<int> Shape)>();
            var dataLength = file.Length - dataStart;
            foreach (var (name, node) in header.Where(p => p.Key != MetadataKey))
            {
                if (node is not JsonObject t) return Corrupt(origin, $"tensor {name} is not an object");
                if (Json.String(t["dtype"]).Case is not string dtype) return Corrupt(origin, $"tensor {name} has no dtype");
                if (dtype != "F32") return GenreError.Model($"{origin}: tensor {name}: dtype {dtype}, genre reads F32 only");
                if (t["shape"] is not JsonArray shapeNode || shapeNode.Count > 8
                    || !shapeNode.All(d => Json.Long(d).Exists(x => x is >= 0 and <= int.MaxValue)))
                    return Corrupt(origin, $"tensor {name} has no shape of non-negative integers");
                var shape = toSeq(shapeNode.Select(d => (int)Json.Long(d).IfNone(0)).ToArray());
                if (t["data_offsets"] is not JsonArray offsetNode || offsetNode.Count != 2
                    || !offsetNode.All(d => Json.Long(d).Exists(x => x >= 0)))
                    return GenreError.Model($"{origin}: tensor {name}: data_offsets needs [begin, end]");
                var offsets = offsetNode.Select(d => Json.Long(d).IfNone(0)).ToArray();
                // the product of dimensions is checked step by step against what the file can hold before it can overflow
                var count = shape.Fold(1L, (acc, d) => acc > dataLength ? acc : acc * d);
                if (count > dataLength || offsets[1] - offsets[0] != 4 * count)
                    return GenreError.Model(
                        $"{origin}: tensor {name}: shape ({string.Join(", ", shape)}) does not match data_offsets [{offsets[0]}, " +
                            $"{offsets[1]}] ({offsets[1] - offsets[0]} bytes)");
                entries.Add((name, offsets[0], offsets[1], shape));
            }
            entries.Sort((x, y) => x.Begin.CompareTo(y.Begin));
            var expected = 0L;
            foreach (var e in entries)
            {
                if (e.Begin != expected) return GenreError.Model(
                    $"{origin}: tensor {e.Name}: data_offsets begin at {e.Begin}, expected {expected} (tensors must tile the data)");
                expected = e.End;
            }
            if (expected != dataLength) return GenreError.Model(
                $"{origin}: the tensors hold {expected} bytes, the file has {dataLength} after the header (truncated or padded)");
            foreach (var sum in metadata.Find(ChecksumKey))
            {
                var actual = Convert.ToHexStringLower(SHA256.HashData(file.AsSpan(dataStart)));
                if (actual != sum) return GenreError.Model(
                    $"{origin}: checksum mismatch (sha256 of the tensor data is {actual}, the header says {sum}): the file is damaged");
            }
            var tensors = entries.Select(e =>
            {
                var values = new float[(e.End - e.Begin) / 4];
                Buffer.BlockCopy(file, dataStart + (int)e.Begin, values, 0, (int)(e.End - e.Begin));
                return new NamedTensor(e.Name, e.Shape, values);
            });
            return (metadata, toSeq(tensors.ToArray()));
        }
    }

    static LanguageExt.Common.Error Corrupt(string origin, string what) =>
        GenreError.Model($"{origin}: corrupt safetensors header ({what}) — the file is damaged");
}
