using System.Text.Json.Nodes;
using LanguageExt.Common;

namespace Genre.Data.Tests;

/// <summary>Issue 18: JSON files genre reads back carry their own crc32c; files without one are legacy.</summary>
public class ChecksummedJsonTests
{
    static JsonObject Sample() => new() { ["epochs"] = 60, ["rate"] = 0.001, ["name"] = "dnn2 ±", ["list"] = new JsonArray(1, 2) };

    static string Error(Fin<JsonObject> r) => r.Match(_ => throw new Xunit.Sdk.XunitException("expected a failure"), e =>
    {
        Assert.Equal(GenreError.ModelCode, e.Code);
        return e.Message;
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void What_is_written_reads_back_without_the_checksum_member(bool indented)
    {
        var text = ChecksummedJson.Format(Sample(), indented);
        Assert.Contains("crc32c", text);
        var read = Ok(ChecksummedJson.Parse(text, "m.json"));
        Assert.Equal(Sample().ToJsonString(), read.ToJsonString());
        Assert.NotNull(JsonNode.Parse(text)); // still plain JSON for any other reader
    }

    [Fact]
    public void The_checksum_covers_the_text_without_its_own_member()
    {
        var body = Sample().ToJsonString();
        var text = ChecksummedJson.Format(Sample());
        Assert.Equal(body[..^1] + $",\"crc32c\":\"{Crc32c.Hex(Crc32c.Compute(System.Text.Encoding.UTF8.GetBytes(body)))}\"}}", text);
        Assert.Equal("{\"crc32c\":\"" + Crc32c.Hex(Crc32c.Compute("{}"u8)) + "\"}", ChecksummedJson.Format(new JsonObject()));
    }

    [Fact]
    public void A_file_without_the_member_is_legacy_and_read_as_it_is()
    {
        Assert.Equal(Sample().ToJsonString(), Ok(ChecksummedJson.Parse(Sample().ToJsonString(), "old.json")).ToJsonString());
    }

    [Theory]
    [InlineData("60", "61")]
    [InlineData("0.001", "0.002")]
    [InlineData("\"list\":[1,2]", "\"list\":[1,2 ]")]
    public void Any_change_is_a_checksum_mismatch_naming_the_file(string from, string to)
    {
        var text = ChecksummedJson.Format(Sample()).Replace(from, to);
        Assert.Equal("m.json: checksum mismatch — the file is damaged", Error(ChecksummedJson.Parse(text, "m.json")));
    }

    [Fact]
    public void A_mangled_checksum_member_or_broken_JSON_is_damage()
    {
        var text = ChecksummedJson.Format(Sample());
        var crc = text[^10..^2];
        Assert.Equal("m.json: the checksum member is mangled — the file is damaged", Error(ChecksummedJson.Parse(text.Replace(crc, "nothex!!"), "m.json")));
        Assert.StartsWith("m.json: not valid JSON (line 1, byte", Error(ChecksummedJson.Parse(text[..^1], "m.json")));
        Assert.Equal("m.json: not a JSON object — the file is damaged", Error(ChecksummedJson.Parse("[1,2]", "m.json")));
    }

    /// <summary>"crc32c" → "crc33c" once let a stamped file pass as legacy (a CI failure, 1 run in ≈256).</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Any_byte_of_the_checksum_member_changed_is_damage(bool indented)
    {
        var text = ChecksummedJson.Format(Sample(), indented);
        var start = text.LastIndexOf("\"crc32c\"", StringComparison.Ordinal);
        for (var i = start; i < text.Length; i++)
            foreach (var b in new[] { '2', '3', 'x', 'C', '0', ' ', '"', ':' })
            {
                if (text[i] == b) continue;
                var changed = text[..i] + b + text[(i + 1)..];
                Assert.True(ChecksummedJson.Parse(changed, "m.json").IsFail, $"read as sound: {changed[start..]}");
            }
    }

    [Fact]
    public void A_legacy_file_ending_in_an_ordinary_string_stays_legacy()
    {
        var old = new JsonObject { ["epochs"] = 60, ["name"] = "dnn2" }.ToJsonString();
        Assert.Equal(old, Ok(ChecksummedJson.Parse(old, "old.json")).ToJsonString());
    }

    [Fact]
    public void A_missing_file_is_none()
    {
        Assert.True(Ok(ChecksummedJson.Read(Path.Combine(TestFiles.TempDir(), "nope.json"))).IsNone);
    }
}
