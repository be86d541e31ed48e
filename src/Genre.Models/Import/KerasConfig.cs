using System.Text.Json;
using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models.Import;

/// <summary>
/// Reads the Keras Sequential config from <c>keras_metadata.pb</c> (SavedMetadata: nodes with JSON metadata). The file has
/// no checksum of its own, so every member is checked as it is read; errors name the file.
/// </summary>
internal static class KerasConfig
{
    public static Fin<Sequential> FromMetadataFile(string path, string name) =>
        from bytes in Files.ReadBytes(path, missing => GenreError.Model($"{missing}: missing (not a Keras SavedModel?)"))
        from root in Root(bytes, path)
        let json = root.Where(x => x.Number == 5 && x.WireType == 2).Select(x => x.Bytes).FirstOrDefault()
        from node in Json.Parse(json, $"{path}: the root node's metadata", GenreError.Model)
        from config in Json.Object(node, "config").ToFin(GenreError.Model($"{path}: the root node's metadata has no config"))
        from spec in FromConfig(config, name, path)
        select spec;

    static Fin<List<ProtoField>> Root(byte[] bytes, string path)
    {
        List<ProtoField>? root;
        // the protobuf reader throws InvalidDataException on malformed input: the one exception it raises, made the file's error
        try
        {
            root = ProtoReader.Fields(bytes)
                .Where(f => f.Number == 1 && f.WireType == 2)
                .Select(f => ProtoReader.Fields(f.Bytes).ToList())
                .FirstOrDefault(n => n.Any(x => x.Number == 3 && x.WireType == 2 && Utf8(x) == "root"));
        }
        catch (InvalidDataException e) { return GenreError.Model($"{path}: not a Keras metadata file ({GenreError.Reason(e)})"); }
        return root is null ? GenreError.Model($"{path}: no root node in the Keras metadata") : root;
    }

    static string Utf8(ProtoField f) => System.Text.Encoding.UTF8.GetString(f.Bytes.Span);

    /// <summary>The "config" object of a Sequential (layers with class_name/config) → our spec.</summary>
    public static Fin<Sequential> FromConfigJson(JsonElement config, string name, string origin) =>
        Json.Parse(JsonSerializer.SerializeToUtf8Bytes(config), origin, GenreError.Model)
            .Bind(node => Json.Object(node).ToFin(GenreError.Model($"{origin}: the config is not an object")))
            .Bind(o => FromConfig(o, name, origin));

    /// <summary>A Keras config's words: "bad Keras config (layer i: units)" for a member missing or mistyped.</summary>
    static LayerConfigWords Words(int index, string origin) => new(
        (key, _) => GenreError.Model($"{origin}: bad Keras config (layer {index}: {key})"),
        (key, what) => GenreError.Model($"{origin}: bad Keras config (layer {index}: {key} {what})"),
        name => GenreError.Model($"{origin}: unsupported activation '{GenreError.Show(name)}'"));

    static Fin<Sequential> FromConfig(JsonObject config, string name, string origin)
    {
        Fin<T> Need<T>(Option<T> value, string what) => value.ToFin(GenreError.Model($"{origin}: bad Keras config ({what})"));
        var input = Seq<int>();
        var layers = Seq<Layer>();
        if (Json.Array(config, "layers").Case is not JsonArray list) return Need(Option<Sequential>.None, "no list of layers");
        foreach (var (layer, index) in list.Select((l, i) => (l, i)))
        {
            var cls = Json.String(layer, "class_name");
            var c = Json.Object(layer, "config");
            if (cls.IsNone || c.IsNone) return Need(Option<Sequential>.None, $"layer {index} has no class_name or config");
            if (input.IsEmpty && c.Bind(x => Json.Member(x, "batch_input_shape")).Case is JsonNode bis)
            {
                var items = bis is JsonObject tuple ? Json.Array(tuple, "items") : Json.Array(bis);
                var shape = items.Bind(a => a.Skip(1).Select(Json.Int).ToSeq().Sequence());
                if (shape.Case is not Seq<int> dims) return Need(Option<Sequential>.None,
                    $"layer {index}: batch_input_shape is not [null, sizes…]");
                input = dims.Strict();
            }
            var unsupported = GenreError.Model($"{origin}: unsupported Keras layer '{GenreError.Show((string)cls)}'");
            var parsed = (string)cls == "InputLayer"
                ? FinSucc(Option<Layer>.None)
                : from kind in LayerKinds.Named((string)cls).ToFin(unsupported)
                  from read in kind.Read(new LayerConfigReader(c.Case as JsonNode, Words(index, origin)))
                  select Some(read);
            if (parsed.IsFail) return (LanguageExt.Common.Error)parsed;
            layers = layers.Concat(((Option<Layer>)parsed).ToSeq()).Strict();
        }
        if (input.IsEmpty) return GenreError.Model($"{origin}: the config has no batch_input_shape");
        return SpecValidation.ValidateFin(new Sequential(input, layers, name), origin);
    }
}
