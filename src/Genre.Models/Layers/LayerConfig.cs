using System.Text.Json.Nodes;
using Genre.Data;
using LanguageExt.Common;

namespace Genre.Models;

/// <summary>How a source words a layer-config error: a member missing or not of its type (<c>expected</c> says what it must
/// be), a member read but not supported, an activation no row of <see cref="Activations"/> names.</summary>
internal sealed record LayerConfigWords(
    Func<string, string, Error> Mistyped,
    Func<string, string, Error> Invalid,
    Func<string, Error> UnknownActivation);

/// <summary>
/// The one reader of a layer's config members, for every source that stores them as JSON (<c>model.json</c>, a Keras config):
/// the sources differ only in their words (<see cref="LayerConfigWords"/>).
/// </summary>
internal sealed record LayerConfigReader(JsonNode? Node, LayerConfigWords Words) : ILayerConfig
{
    public Fin<int> Int(string key) => Json.Int(Node, key).ToFin(Words.Mistyped(key, "a whole number"));

    public Fin<double> Double(string key) => Json.Double(Node, key).ToFin(Words.Mistyped(key, "a number"));

    public Fin<bool> Bool(string key) => Json.Bool(Node, key).ToFin(Words.Mistyped(key, "true or false"));

    public Fin<bool> Bool(string key, bool absent) => Json.Member(Node, key).IsNone ? absent : Bool(key);

    public Fin<Seq<int>> Ints(string key) =>
        Json.Member(Node, key).Bind(LayerKinds.Ints).ToFin(Words.Mistyped(key, "a whole number or a list of them"));

    public Error Invalid(string key, string what) => Words.Invalid(key, what);

    public Fin<Activation> Activation(string key) =>
        from name in Json.String(Node, key).ToFin(Words.Mistyped(key, "a string"))
        from activation in Activations.Parse(name).ToFin(Words.UnknownActivation(name))
        select activation;
}
