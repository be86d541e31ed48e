using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Genre.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Models;

/// <summary>
/// A small self-describing file of named float32 tensors plus a JSON metadata object:
/// "GENRET1\n", int32 header length, UTF-8 JSON header {meta, tensors:[{name, shape}]}, then the tensors' little-endian bytes.
/// Written atomically.
/// </summary>
public static class TensorFile
{
    static readonly byte[] Magic = "GENRET1\n"u8.ToArray();

    public static Fin<Unit> Write(string path, JsonObject meta, Seq<NamedTensor> tensors) =>
        AtomicFile.Write(path, s =>
        {
            var header = new JsonObject
            {
                ["meta"] = meta.DeepClone(),
                ["tensors"] = new JsonArray(tensors.Map(t => (JsonNode)new JsonObject
                {
                    ["name"] = t.Name, ["shape"] = new JsonArray(t.Shape.Map(d => (JsonNode)d).ToArray()),
                }).ToArray()),
            };
            var json = Encoding.UTF8.GetBytes(header.ToJsonString());
            s.Write(Magic);
            s.Write(BitConverter.GetBytes(json.Length));
            s.Write(json);
            foreach (var t in tensors) s.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Values.AsSpan()));
        });

    public static Fin<(JsonObject Meta, Seq<NamedTensor> Tensors)> Read(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (bytes.Length < 12 || !bytes.AsSpan(0, 8).SequenceEqual(Magic)) return GenreError.Model($"{path}: not a Genre tensor file");
            var len = BitConverter.ToInt32(bytes, 8);
            var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 12, len))!.AsObject();
            var offset = 12 + len;
            var tensors = new List<NamedTensor>();
            foreach (var t in header["tensors"]!.AsArray())
            {
                var shape = toSeq(t!["shape"]!.AsArray().Select(d => d!.GetValue<int>())).Strict();
                var count = shape.Fold(1, (a, b) => a * b);
                if (offset + 4L * count > bytes.Length) return GenreError.Model($"{path}: truncated (tensor {t["name"]})");
                var values = new float[count];
                Buffer.BlockCopy(bytes, offset, values, 0, 4 * count);
                offset += 4 * count;
                tensors.Add(new NamedTensor(t["name"]!.GetValue<string>(), shape, values));
            }
            return (header["meta"]!.AsObject(), toSeq(tensors).Strict());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return GenreError.Io($"{path}: cannot read ({e.Message})"); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or ArgumentException)
        { return GenreError.Model($"{path}: corrupt header ({e.Message})"); }
    }
}
