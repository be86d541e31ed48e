using System.Text.Json.Nodes;

namespace Genre.Data.Stages;

/// <summary>
/// Typed reads of a stage's JSON for stage kinds (built-in or a user's): each returns a one-line model error naming the member
/// and the place when it is missing or of another type, so a damaged file is never read as another stage.
/// </summary>
public static class StageJson
{
    static LanguageExt.Common.Error Bad(string at, string what) => GenreError.Model($"{at}: {what} — the file is damaged");

    /// <summary><paramref name="node"/> as an object.</summary>
    public static Fin<JsonObject> Object(JsonNode? node, string at) =>
        Json.Object(node).ToFin(Bad(at, "not a JSON object"));

    /// <summary>The member <paramref name="name"/> of <paramref name="o"/>, an object.</summary>
    public static Fin<JsonObject> Object(JsonObject o, string name, string at) =>
        Json.Object(o, name).ToFin(Bad(at, $"'{name}' is not an object"));

    /// <summary>The member <paramref name="name"/> of <paramref name="o"/>, a list.</summary>
    public static Fin<JsonArray> Array(JsonObject o, string name, string at) =>
        Json.Array(o, name).ToFin(Bad(at, $"'{name}' is not a list"));

    /// <summary>The member <paramref name="name"/> of <paramref name="o"/>, a string.</summary>
    public static Fin<string> Text(JsonObject o, string name, string at) =>
        Json.String(o, name).ToFin(Bad(at, $"'{name}' is not a string"));

    /// <summary>The member <paramref name="name"/> of <paramref name="o"/>, a number.</summary>
    public static Fin<double> Number(JsonObject o, string name, string at) =>
        Json.Double(o, name).ToFin(Bad(at, $"'{name}' is not a number"));

    /// <summary>The member <paramref name="name"/> of <paramref name="o"/>, an integer.</summary>
    public static Fin<int> Int(JsonObject o, string name, string at) =>
        Json.Int(o, name).ToFin(Bad(at, $"'{name}' is not an integer"));

    /// <summary>The member <paramref name="name"/> of <paramref name="o"/>, true or false.</summary>
    public static Fin<bool> Bool(JsonObject o, string name, string at) =>
        Json.Bool(o, name).ToFin(Bad(at, $"'{name}' is not true or false"));

    /// <summary>The member <paramref name="name"/> of <paramref name="o"/>, a list of strings.</summary>
    public static Fin<Seq<string>> Texts(JsonObject o, string name, string at) =>
        Json.Array(o, name).Bind(a => a.Select(Json.String).ToSeq().Sequence()).Map(s => s.Strict())
            .ToFin(Bad(at, $"'{name}' is not a list of strings"));

    /// <summary>A list of numbers; NaN and ±infinity are written as strings ("NaN", "Infinity", "-Infinity").</summary>
    public static Fin<double[]> Numbers(JsonObject o, string name, string at) =>
        Json.Array(o, name).Bind(a => a.Select(NumberOrSpecial).ToSeq().Sequence()).Map(s => s.ToArray())
            .ToFin(Bad(at, $"'{name}' is not a list of numbers"));

    /// <summary>A list of lists of numbers.</summary>
    public static Fin<Seq<double[]>> NumberLists(JsonObject o, string name, string at) =>
        Json.Array(o, name).Bind(a => a.Select(inner => Json.Array(inner)
                .Bind(xs => xs.Select(NumberOrSpecial).ToSeq().Sequence()).Map(s => s.ToArray())).ToSeq().Sequence())
            .Map(s => s.Strict()).ToFin(Bad(at, $"'{name}' is not a list of lists of numbers"));

    static Option<double> NumberOrSpecial(JsonNode? n) => Json.Double(n) || Json.String(n).Bind(s => s switch
    {
        "NaN" => Some(double.NaN),
        "Infinity" => Some(double.PositiveInfinity),
        "-Infinity" => Some(double.NegativeInfinity),
        _ => None,
    });

    /// <summary>Numbers as JSON in their shortest round-trip form (a reload is bit-identical); non-finite ones as strings.</summary>
    public static JsonArray ToJson(IEnumerable<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : (JsonNode)JsonValue.Create(
            double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity")).ToArray());

    /// <summary>Strings as a JSON list.</summary>
    public static JsonArray ToJson(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    /// <summary>Every member a stage reads must be there; an extra member is also refused (a file from another version).</summary>
    public static Fin<Unit> Only(JsonObject o, Seq<string> names, string at)
    {
        var extra = o.Select(p => p.Key).Where(k => !names.Contains(k)).ToSeq();
        return extra.IsEmpty ? FinSucc(unit) : Bad(at, $"unexpected member '{extra.Head}'");
    }
}
