using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models;

/// <summary>The spec as JSON (like Keras' get_config, flattened): {name, input_shape, layers:[{type, units, activation, …}]}.</summary>
public static class SpecJson
{
    /// <summary>The spec as the JSON object written to <c>model.json</c> (read back by <c>FromJson</c>).</summary>
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

    /// <summary>The spec in <paramref name="o"/>, validated; every missing or mistyped member is an error naming <paramref
    /// name="origin"/>.</summary>
    public static Fin<Sequential> FromJson(JsonObject o, string origin)
    {
        Fin<T> Need<T>(Option<T> value, string what) => value.ToFin(GenreError.Model($"{origin}: bad model spec ({what})"));
        return from name in Need(Json.String(o, "name").Filter(n => n == GenreError.Show(n, int.MaxValue)), "'name' must be a string of printable characters")
               from input in Need(Json.Array(o, "input_shape").Bind(a => a.Select(Json.Int).ToSeq().Sequence()), "'input_shape' must be a list of whole numbers")
               from list in Need(Json.Array(o, "layers"), "'layers' must be a list")
               from layers in list.Select((n, i) => LayerOf(n, i, origin)).ToSeq().Sequence()
               from spec in SpecValidation.ValidateFin(new Sequential(input.Strict(), layers.Strict(), name), origin)
               select spec;
    }

    static Fin<Layer> LayerOf(JsonNode? n, int index, string origin)
    {
        Fin<T> Need<T>(Option<T> value, string what) => value.ToFin(GenreError.Model($"{origin}: bad model spec (layer {index}: {what})"));
        return from type in Need(Json.String(n, "type"), "'type' must be a string")
               from layer in type switch
               {
                   "Dense" => from units in Need(Json.Int(n, "units"), "'units' must be a whole number")
                              from name in Need(Json.String(n, "activation"), "'activation' must be a string")
                              from activation in Need(toSeq(Enum.GetValues<Activation>()).Find(a => a.ToString().Equals(name, StringComparison.OrdinalIgnoreCase)),
                                  $"unknown activation '{GenreError.Show(name)}'")
                              select (Layer)new Dense(units, activation),
                   "LSTM" => from units in Need(Json.Int(n, "units"), "'units' must be a whole number")
                             from sequences in Need(Json.Bool(n, "return_sequences"), "'return_sequences' must be true or false")
                             select (Layer)new Lstm(units, sequences),
                   "Dropout" => Need(Json.Double(n, "rate"), "'rate' must be a number").Map(rate => (Layer)new Dropout(rate)),
                   _ => FinFail<Layer>(GenreError.Model($"{origin}: bad model spec (layer {index}: unknown layer type '{GenreError.Show(type)}')")),
               }
               select layer;
    }
}
