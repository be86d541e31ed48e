using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;
using static Genre.TestSupport.Results;

namespace Genre.Fuzz;

/// <summary>
/// Files as earlier genres wrote them, made from current ones: readers refuse them, <c>genre migrate</c> reads them by their
/// structure alone (GENRET1) or by checksums the current format no longer keeps (GENRET2 weights.bin), so fuzzing them through
/// migrate reaches its parsers.
/// </summary>
public static class EarlierFiles
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

    /// <summary>
    /// A model folder's weights as weights.bin in place of weights.safetensors: a GENRET2 tensor file whose meta records
    /// model.json's crc32c, as genre wrote it after checksums and before safetensors; with <paramref name="genret1"/>, in the
    /// layout before checksums.
    /// </summary>
    public static void WeightsBinInPlace(string dir, bool genret1)
    {
        var stored = Ok(ModelFolder.Load(dir));
        var spec = File.ReadAllBytes(Path.Combine(dir, ModelFolder.SpecFile));
        var bin = Path.Combine(dir, ModelFolder.EarlierWeightsFile);
        Ok(TensorFile.Write(bin, new JsonObject { ["model"] = stored.Spec.Name, ["model_json_crc32c"] = Crc32c.Hex(Crc32c.Compute(spec)) },
            ModelStore.Flatten(stored.Weights)));
        File.Delete(Path.Combine(dir, ModelFolder.WeightsFile));
        if (genret1) TensorFileInPlace(bin);
    }

    /// <summary>A finished marker as written before checksums: the settings alone.</summary>
    public static void MarkerInPlace(string settingsPath)
    {
        var o = JsonNode.Parse(File.ReadAllText(settingsPath))!.AsObject();
        o.Remove("experiment");
        o.Remove("files");
        o.Remove("crc32c");
        File.WriteAllText(settingsPath, o.ToJsonString());
    }
}
