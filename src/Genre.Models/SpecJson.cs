using System.Text.Json.Nodes;
using Genre.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Models;

/// <summary>The spec as JSON (like Keras' get_config, flattened): {name, input_shape, layers:[{type, units, activation, …}]}.</summary>
public static class SpecJson
{
    public static JsonObject ToJson(Sequential m) => new()
    {
        ["name"] = m.Name,
        ["input_shape"] = new JsonArray(m.InputShape.Map(d => (JsonNode)d).ToArray()),
        ["layers"] = new JsonArray(m.Layers.Map(Layer).ToArray()),
    };

    static JsonNode Layer(Layer l) => l switch
    {
        Dense d => new JsonObject { ["type"] = "Dense", ["units"] = d.Units, ["activation"] = d.Activation.ToString().ToLowerInvariant() },
        Lstm s => new JsonObject { ["type"] = "LSTM", ["units"] = s.Units, ["return_sequences"] = s.ReturnSequences },
        Dropout r => new JsonObject { ["type"] = "Dropout", ["rate"] = r.Rate },
        _ => throw new ArgumentException($"unknown layer {l}"),
    };

    public static Fin<Sequential> FromJson(JsonObject o, string origin)
    {
        try
        {
            var layers = o["layers"]!.AsArray().Select(n => n!["type"]!.GetValue<string>() switch
            {
                "Dense" => (Layer)new Dense(n["units"]!.GetValue<int>(), Enum.Parse<Activation>(n["activation"]!.GetValue<string>(), ignoreCase: true)),
                "LSTM" => new Lstm(n["units"]!.GetValue<int>(), n["return_sequences"]!.GetValue<bool>()),
                "Dropout" => new Dropout(n["rate"]!.GetValue<double>()),
                var t => throw new InvalidOperationException($"unknown layer type '{t}'"),
            });
            var spec = new Sequential(toSeq(o["input_shape"]!.AsArray().Select(d => d!.GetValue<int>())).Strict(), toSeq(layers).Strict(),
                o["name"]!.GetValue<string>());
            return SpecValidation.ValidateFin(spec);
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or ArgumentException or FormatException)
        {
            return GenreError.Model($"{origin}: bad model spec ({e.Message})");
        }
    }
}
