using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Genre.Data;

/// <summary>
/// JSON objects genre writes and reads back carry their own checksum as their last member, <c>"crc32c": "xxxxxxxx"</c>: the
/// crc32c of the file's UTF-8 bytes without that member (and the comma before it). The file stays plain JSON for any other
/// reader. A file whose member is there but does not match, or is mangled, is damaged; a file without it was written by an
/// earlier genre and is refused (<see cref="EarlierFormat"/>) until <c>genre migrate</c> adds it — were it read, deleting the
/// member would switch verification off.
/// </summary>
internal static partial class ChecksummedJson
{
    public const string Member = "crc32c";

    /// <summary>The text of <paramref name="o"/> (which must not have a <see cref="Member"/> member) with its checksum.</summary>
    public static string Format(JsonObject o, bool indented = false)
    {
        indented &= o.Count > 0; // "{}" has no inside to indent
        var body = o.ToJsonString(new JsonSerializerOptions { WriteIndented = indented });
        var crc = Crc32c.Hex(Crc32c.Compute(Encoding.UTF8.GetBytes(body)));
        var close = body.LastIndexOf('}');
        var head = body[..close].TrimEnd();
        var member = indented ? $"\n  \"{Member}\": \"{crc}\"" : $"\"{Member}\":\"{crc}\"";
        var separator = head.EndsWith('{') ? "" : ",";
        return head + separator + member + (indented ? "\n" : "") + "}";
    }

    public static Fin<Unit> Write(string path, JsonObject o, bool indented = false) => AtomicFile.WriteAllText(path, Format(o, indented));

    /// <summary>
    /// The object in the file, verified, without the checksum member; None when the file does not exist. Damage is a model error
    /// naming the file, and so is a file without its checksum (<see cref="EarlierFormat"/>).
    /// </summary>
    public static Fin<Option<JsonObject>> Read(string path)
    {
        if (!File.Exists(path)) return FinSucc(Option<JsonObject>.None);
        return Files.ReadText(path).Bind(text => Parse(text, path)).Map(Some);
    }

    /// <summary>See <see cref="Read"/>; <paramref name="path"/> names the text in errors.</summary>
    public static Fin<JsonObject> Parse(string text, string path) =>
        Inspect(text, path).Bind(read => read.Stamped
            ? FinSucc(read.Object)
            : FinFail<JsonObject>(EarlierFormat.Refused(path, "has no checksum")));

    /// <summary>
    /// The object in <paramref name="text"/> and whether it carries its checksum: a checksum that does not match, or a mangled
    /// one, is damage. Only <c>genre migrate</c> takes a file without one (Stamped false), to add it.
    /// </summary>
    internal static Fin<(JsonObject Object, bool Stamped)> Inspect(string text, string path)
    {
        var stamp = Stamp().Match(text);
        if (stamp.Success)
        {
            var body = text.Remove(stamp.Index, stamp.Length);
            if (stamp.Groups[1].Value != Crc32c.Hex(Crc32c.Compute(Encoding.UTF8.GetBytes(body))))
                return GenreError.Model($"{path}: checksum mismatch — the file is damaged");
        }
        return from node in Json.Parse(text, path, m => GenreError.Model($"{m} — the file is damaged"))
               from o in Json.Object(node).ToFin(GenreError.Model($"{path}: not a JSON object — the file is damaged"))
               from _ in stamp.Success || !(o.ContainsKey(Member) || MangledStamp(text))
                   ? FinSucc(unit)
                   : FinFail<Unit>(GenreError.Model($"{path}: the checksum member is mangled — the file is damaged"))
               select (Without(o), stamp.Success);
    }

    static JsonObject Without(JsonObject o)
    {
        o.Remove(Member);
        return o;
    }

    /// <summary>
    /// Without a stamp, a last member whose name is one character away from <see cref="Member"/>, or whose value is eight hex
    /// digits, is a stamp with a damaged name, not an earlier genre's file: no file genre wrote before checksums ends that way.
    /// </summary>
    static bool MangledStamp(string text)
    {
        var last = LastMember().Match(text);
        if (!last.Success) return false;
        var name = last.Groups[1].Value;
        var oneAway = name.Length == Member.Length && Enumerable.Range(0, name.Length).Count(i => name[i] != Member[i]) <= 1;
        return oneAway || HexStamp().IsMatch(last.Groups[2].Value);
    }

    [GeneratedRegex("""(?:,|\{)\s*"([^"\\]*)"\s*:\s*"([^"\\]*)"\s*\}\s*$""")]
    private static partial Regex LastMember();

    [GeneratedRegex("^[0-9a-f]{8}$")]
    private static partial Regex HexStamp();

    /// <summary>The checksum member as <see cref="Format"/> writes it: the last member of the outermost object.</summary>
    [GeneratedRegex("""(?:,|(?<=\{))\s*"crc32c"\s*:\s*"([0-9a-f]{8})"(?=\s*\}\s*$)""")]
    private static partial Regex Stamp();
}
