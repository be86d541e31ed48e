using System.Text.Json.Nodes;
using Genre.Data;
using LanguageExt.Common;

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

    /// <summary>{"type": class name, then the kind's config members}.</summary>
    static JsonNode Layer(Layer l)
    {
        var kind = LayerKinds.Of(l);
        var o = new JsonObject { ["type"] = kind.ClassName };
        foreach (var (key, value) in kind.Config(l)) o[key] = value?.DeepClone();
        return o;
    }

    /// <summary>The spec in <paramref name="o"/>, validated; every missing or mistyped member is an error naming <paramref
    /// name="origin"/>.</summary>
    public static Fin<Sequential> FromJson(JsonObject o, string origin)
    {
        Fin<T> Need<T>(Option<T> value, string what) => value.ToFin(GenreError.Model($"{origin}: bad model spec ({what})"));
        return from name in Need(Json.String(o, "name").Filter(n => n == GenreError.Show(n, int.MaxValue)),
            "'name' must be a string of printable characters")
               from input in Need(Json.Array(o, "input_shape").Bind(a => a.Select(Json.Int).ToSeq().Sequence()),
                   "'input_shape' must be a list of whole numbers")
               from list in Need(Json.Array(o, "layers"), "'layers' must be a list")
               from layers in list.Select((n, i) => LayerOf(n, i, origin)).ToSeq().Sequence()
               from spec in SpecValidation.ValidateFin(new Sequential(input.Strict(), layers.Strict(), name), origin)
               select spec;
    }

    static Fin<Layer> LayerOf(JsonNode? n, int index, string origin)
    {
        Error Bad(string what) => GenreError.Model($"{origin}: bad model spec (layer {index}: {what})");
        return from type in Json.String(n, "type").ToFin(Bad("'type' must be a string"))
               from kind in LayerKinds.Named(type).ToFin(Bad($"unknown layer type '{GenreError.Show(type)}'"))
               from layer in kind.Read(new LayerConfigReader(n, new LayerConfigWords(
                   (key, expected) => Bad($"'{key}' must be {expected}"),
                   (key, what) => Bad($"'{key}' {what}"),
                   name => Bad($"unknown activation '{GenreError.Show(name)}'"))))
               select layer;
    }
}
