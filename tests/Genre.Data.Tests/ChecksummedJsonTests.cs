using System.Text.Json.Nodes;
using LanguageExt.Common;

namespace Genre.Data.Tests;

/// <summary>Issue 18: JSON files genre reads back carry their own crc32c. Issue 25: a file without one (an earlier genre's, or
/// one whose member was deleted) is refused naming it and genre migrate, never read unverified.</summary>
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
    public void A_file_without_the_member_is_refused_naming_it_and_genre_migrate()
    {
        var path = Path.Combine("out", "dnn2", "settings.json");
        var read = ChecksummedJson.Parse(Sample().ToJsonString(), path);
        Assert.Equal($"{path} has no checksum (written by an earlier genre): run genre migrate {Path.Combine("out", "dnn2")}", Error(read));
        read.IfFail(e =>
        {
            Assert.Equal(GenreError.ModelCode, e.Code);
            Assert.True(EarlierFormat.Is(e));
        });
        // only genre migrate reads it, to add the checksum
        var (o, stamped) = Ok(ChecksummedJson.Inspect(Sample().ToJsonString(), path));
        Assert.False(stamped);
        Assert.Equal(Sample().ToJsonString(), o.ToJsonString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_deleted_checksum_member_is_refused_naming_the_file_and_genre_migrate(bool indented)
    {
        var dir = TestFiles.TempDir();
        var path = Path.Combine(dir, "settings.json");
        Ok(ChecksummedJson.Write(path, Sample(), indented));
        var text = File.ReadAllText(path);
        var deleted = System.Text.RegularExpressions.Regex.Replace(text, @",\s*""crc32c""\s*:\s*""[0-9a-f]{8}""", "");
        Assert.NotEqual(text, deleted);
        File.WriteAllText(path, deleted);
        Assert.Equal($"{path} has no checksum (written by an earlier genre): run genre migrate {dir}",
            ChecksummedJson.Read(path).Match(_ => "read", e => e.Message));
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
        Assert.Equal("m.json: the checksum member is mangled — the file is damaged",
            Error(ChecksummedJson.Parse(text.Replace(crc, "nothex!!"), "m.json")));
        Assert.StartsWith("m.json: not valid JSON (line 1, byte", Error(ChecksummedJson.Parse(text[..^1], "m.json")));
        Assert.Equal("m.json: not a JSON object — the file is damaged", Error(ChecksummedJson.Parse("[1,2]", "m.json")));
    }

    /// <summary>"crc32c" → "crc33c" once let a stamped file pass as one without a checksum (a CI failure, 1 run in ≈256).</summary>
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
    public void An_earlier_file_ending_in_an_ordinary_string_is_earlier_not_damaged()
    {
        var old = new JsonObject { ["epochs"] = 60, ["name"] = "dnn2" }.ToJsonString();
        ChecksummedJson.Parse(old, "old.json").IfFail(e => Assert.True(EarlierFormat.Is(e), e.Message));
        Assert.True(ChecksummedJson.Parse(old, "old.json").IsFail);
        Assert.Equal(old, Ok(ChecksummedJson.Inspect(old, "old.json")).Object.ToJsonString());
    }

    [Fact]
    public void A_missing_file_is_none()
    {
        Assert.True(Ok(ChecksummedJson.Read(Path.Combine(TestFiles.TempDir(), "nope.json"))).IsNone);
    }
}
