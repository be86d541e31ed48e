using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt.Common;

namespace Genre.Data;

/// <summary>
/// Reading JSON that came from a file, which may be damaged: parsing fails with a reason in plain words, and each accessor
/// is None when the member is missing or of another type, so no reader ever meets an exception.
/// </summary>
internal static class Json
{
    // duplicate member names are an error here rather than later, when a member is first looked up
    static readonly JsonDocumentOptions Options = new() { AllowDuplicateProperties = false };

    /// <summary>The document, or <paramref name="error"/>("<paramref name="what"/>: not valid JSON (line L, byte B)").</summary>
    public static Fin<JsonNode> Parse(ReadOnlyMemory<byte> utf8, string what, Func<string, Error> error)
    {
        if (utf8.Span.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        // invalid UTF-8 inside a string would only fail later, when the string is first read
        if (!System.Text.Unicode.Utf8.IsValid(utf8.Span)) return error($"{what}: not valid UTF-8 text");
        try
        {
            return JsonNode.Parse(utf8.Span, documentOptions: Options) is { } node
                ? FinSucc(node)
                : FinFail<JsonNode>(error($"{what}: holds JSON null where an object or array belongs"));
        }
        catch (JsonException e)
        {
            // a member named twice is refused with no position: say so rather than print an empty one
            return error(e.LineNumber is { } line
                ? $"{what}: not valid JSON (line {line + 1}, byte {e.BytePositionInLine + 1})"
                : $"{what}: not valid JSON (a member is named twice in one object)");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return error($"{what}: not valid JSON");
        }
    }

    /// <summary>Text read from a file; see <see cref="Parse(ReadOnlyMemory{byte}, string, Func{string, Error})"/>.</summary>
    public static Fin<JsonNode> Parse(string text, string what, Func<string, Error> error) =>
        Parse(System.Text.Encoding.UTF8.GetBytes(text), what, error);

    /// <summary>
    /// The JSON object in the file at <paramref name="path"/>: a file that cannot be read is an I/O error naming it; text that is
    /// not JSON, or JSON that is not an object, is <paramref name="error"/>'s error naming it. The one file reader of JSON.
    /// </summary>
    public static Fin<JsonObject> ReadObject(string path, Func<string, Error> error)
    {
        return Files.ReadBytes(path).Bind(bytes => Parse(bytes, path, error))
            .Bind(node => Object(node).ToFin(error($"{path}: not a JSON object")));
    }

    public static Option<JsonNode> Member(JsonNode? node, string key) =>
        node is JsonObject o && o.TryGetPropertyValue(key, out var v) && v is not null ? Some(v) : None;

    public static Option<JsonObject> Object(JsonNode? node) => node is JsonObject o ? Some(o) : None;
    public static Option<JsonArray> Array(JsonNode? node) => node is JsonArray a ? Some(a) : None;

    public static Option<int> Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var x) ? Some(x) : None;
    public static Option<long> Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<long>(out var x) ? Some(x) : None;
    public static Option<double> Double(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var x) ? Some(x) : None;
    public static Option<bool> Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var x) ? Some(x) : None;
    public static Option<string> String(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var x) ? Some(x) : None;

    public static Option<JsonObject> Object(JsonNode? node, string key) => Member(node, key).Bind(Object);
    public static Option<JsonArray> Array(JsonNode? node, string key) => Member(node, key).Bind(Array);
    public static Option<int> Int(JsonNode? node, string key) => Member(node, key).Bind(Int);
    public static Option<long> Long(JsonNode? node, string key) => Member(node, key).Bind(Long);
    public static Option<double> Double(JsonNode? node, string key) => Member(node, key).Bind(Double);
    public static Option<bool> Bool(JsonNode? node, string key) => Member(node, key).Bind(Bool);
    public static Option<string> String(JsonNode? node, string key) => Member(node, key).Bind(String);

    /// <summary>A number as JSON can hold it: NaN and ±infinity become null (JSON has no such numbers).</summary>
    public static JsonNode? Finite(double value) => double.IsFinite(value) ? JsonValue.Create(value) : null;
}
