using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Genre.Models;

namespace Genre.Fuzz;

/// <summary>
/// Files as genre wrote them before checksums, made from current ones: readers still accept them (as legacy) and check
/// only their structure, so fuzzing them reaches the parsers behind the checksums.
/// </summary>
public static class LegacyFiles
{
    /// <summary>Rewrites a tensor file in the GENRET1 layout (no crcs; weights.bin's meta without model.json's crc).</summary>
    public static void TensorFileInPlace(string path)
    {
        var content = TensorFile.Read(path).Match(c => c, e => throw new InvalidOperationException(e.Message));
        var meta = (JsonObject)content.Meta.DeepClone();
        meta.Remove("model_json_crc32c");
        var header = new JsonObject
        {
            ["meta"] = meta,
            ["tensors"] = new JsonArray(content.Tensors.Map(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name,
                ["shape"] = new JsonArray(t.Shape.Map(d => (JsonNode)d).ToArray()),
            }).ToArray()),
        };
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        using var s = File.Create(path);
        s.Write("GENRET1\n"u8);
        s.Write(BitConverter.GetBytes(json.Length));
        s.Write(json);
        foreach (var t in content.Tensors) s.Write(MemoryMarshal.AsBytes(t.Values.AsSpan()));
    }

    /// <summary>A finished marker as written before checksums: the settings alone.</summary>
    public static void MarkerInPlace(string settingsPath)
    {
        var o = JsonNode.Parse(File.ReadAllText(settingsPath))!.AsObject();
        o.Remove("files");
        o.Remove("crc32c");
        File.WriteAllText(settingsPath, o.ToJsonString());
    }
}
