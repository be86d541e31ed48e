using System.Text.Json;
using Genre.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Models.Import;

/// <summary>Reads the Keras Sequential config from <c>keras_metadata.pb</c> (SavedMetadata: nodes with JSON metadata).</summary>
public static class KerasConfig
{
    public static Fin<Sequential> FromMetadataFile(string path, string name)
    {
        if (!File.Exists(path)) return GenreError.Model($"{path}: missing (not a Keras SavedModel?)");
        try
        {
            var root = ProtoReader.Fields(File.ReadAllBytes(path))
                .Where(f => f.Number == 1 && f.WireType == 2)
                .Select(f => ProtoReader.Fields(f.Bytes).ToList())
                .FirstOrDefault(n => n.Any(x => x.Number == 3 && Utf8(x) == "root"));
            if (root is null) return GenreError.Model($"{path}: no root node in the Keras metadata");
            var json = root.Where(x => x.Number == 5).Select(Utf8).FirstOrDefault() ?? "";
            using var doc = JsonDocument.Parse(json);
            return FromConfigJson(doc.RootElement.GetProperty("config"), name, path);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return GenreError.Model($"{path}: cannot read the Keras config ({e.Message})");
        }
    }

    static string Utf8(ProtoField f) => System.Text.Encoding.UTF8.GetString(f.Bytes.Span);

    /// <summary>The "config" object of a Sequential (layers with class_name/config) → our spec.</summary>
    public static Fin<Sequential> FromConfigJson(JsonElement config, string name, string origin)
    {
        var input = Seq<int>();
        var layers = Seq<Layer>();
        foreach (var layer in config.GetProperty("layers").EnumerateArray())
        {
            var cls = layer.GetProperty("class_name").GetString();
            var c = layer.GetProperty("config");
            if (c.TryGetProperty("batch_input_shape", out var bis) && input.IsEmpty)
                input = toSeq((bis.ValueKind == JsonValueKind.Object ? bis.GetProperty("items") : bis).EnumerateArray().Skip(1).Select(e => e.GetInt32())).Strict();
            var parsed = cls switch
            {
                "InputLayer" => FinSucc(Option<Layer>.None),
                "Dense" => Activation(c, origin).Map(a => Some<Layer>(new Dense(c.GetProperty("units").GetInt32(), a))),
                "LSTM" => FinSucc(Some<Layer>(new Lstm(c.GetProperty("units").GetInt32(), c.GetProperty("return_sequences").GetBoolean()))),
                "Dropout" => FinSucc(Some<Layer>(new Dropout(c.GetProperty("rate").GetDouble()))),
                _ => FinFail<Option<Layer>>(GenreError.Model($"{origin}: unsupported Keras layer '{cls}'")),
            };
            if (parsed.IsFail) return parsed.Map(_ => default(Sequential)!);
            layers = layers.Concat(((Option<Layer>)parsed).ToSeq()).Strict();
        }
        if (input.IsEmpty) return GenreError.Model($"{origin}: the config has no batch_input_shape");
        return SpecValidation.ValidateFin(new Sequential(input, layers, name));
    }

    static Fin<Activation> Activation(JsonElement c, string origin) => c.GetProperty("activation").GetString() switch
    {
        "linear" => Models.Activation.Linear, "relu" => Models.Activation.Relu, "softmax" => Models.Activation.Softmax,
        "tanh" => Models.Activation.Tanh, "sigmoid" => Models.Activation.Sigmoid,
        var other => GenreError.Model($"{origin}: unsupported activation '{other}'"),
    };
}
