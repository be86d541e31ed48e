using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;

namespace Genre.Models.Tests;

/// <summary>
/// Issue 18: tensor files carry checksums (header and each tensor), and no size in a file is trusted before it is checked against
/// the file's length. Issue 25: a file an earlier genre wrote without them (GENRET1) is refused, naming it and genre migrate
/// (whose reader of that layout is tested in Genre.Eval.Tests' MigrationTests).
/// </summary>
public class TensorFileTests
{
    static readonly Seq<NamedTensor> Tensors = Seq(
        new NamedTensor("a", Seq(2, 3), [1, 2, 3, 4, 5, 6]),
        new NamedTensor("b", Seq1(4), [-1, 0.5f, 1e-8f, 3e8f]));

    static string Written()
    {
        var path = Path.Combine(Support.TempDir(), "t.bin");
        Ok(TensorFile.Write(path, new JsonObject { ["k"] = 7 }, Tensors));
        return path;
    }

    /// <summary>A file in the layout written before checksums: "GENRET1\n", int32 length, header, tensors.</summary>
    internal static byte[] EarlierBytes(string header, params float[] values)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var data = values.SelectMany(BitConverter.GetBytes).ToArray();
        return "GENRET1\n"u8.ToArray().Concat(BitConverter.GetBytes(json.Length)).Concat(json).Concat(data).ToArray();
    }

    static string Error(byte[] bytes)
    {
        var path = Path.Combine(Support.TempDir(), "t.bin");
        File.WriteAllBytes(path, bytes);
        var e = Fail(TensorFile.Read(path));
        Assert.StartsWith(path + ": ", e);
        Assert.DoesNotContain("\n", e);
        return e[(path.Length + 2)..];
    }

    [Fact]
    public void What_is_written_reads_back_checksummed()
    {
        var read = Ok(TensorFile.Read(Written()));
        Assert.Equal(7, read.Meta["k"]!.GetValue<int>());
        Assert.Equal(Tensors.Map(t => t.Name), read.Tensors.Map(t => t.Name));
        Assert.Equal(Tensors.Map(t => string.Join(",", t.Shape)), read.Tensors.Map(t => string.Join(",", t.Shape)));
        Assert.Equal(Tensors.Bind(t => toSeq(t.Values)), read.Tensors.Bind(t => toSeq(t.Values)));
    }

    [Fact]
    public void A_file_an_earlier_genre_wrote_is_refused_naming_it_and_genre_migrate_not_as_damage()
    {
        var dir = Support.TempDir();
        var path = Path.Combine(dir, "t.bin");
        File.WriteAllBytes(path, EarlierBytes("""{"meta":{"k":1},"tensors":[{"name":"x","shape":[2]}]}""", 1.5f, -2));
        var read = TensorFile.Read(path);
        Assert.Equal($"{path} has no checksums (a GENRET1 tensor file) (written by an earlier genre): run genre migrate {dir}", Fail(read));
        read.IfFail(e =>
        {
            Assert.Equal(GenreError.ModelCode, e.Code);
            Assert.True(EarlierFormat.Is(e));
        });
    }

    [Fact]
    public void Each_damaged_part_is_named()
    {
        var pristine = File.ReadAllBytes(Written());
        byte[] With(int at, byte xor) { var b = (byte[])pristine.Clone(); b[at] ^= xor; return b; }
        Assert.Equal("checksum mismatch in the header — the file is damaged", Error(With(20, 0x01)));
        Assert.Equal("checksum mismatch in tensor 'a' — the file is damaged", Error(With(pristine.Length - 4 * 4 - 1, 0x10)));
        Assert.Equal("checksum mismatch in tensor 'b' — the file is damaged", Error(With(pristine.Length - 1, 0x80)));
        Assert.Equal("checksum mismatch in the header — the file is damaged", Error(With(12, 0x04))); // the stored crc itself
        Assert.Equal("2 unexpected bytes after the last tensor — the file is damaged", Error(pristine.Concat(new byte[2]).ToArray()));
        Assert.StartsWith("truncated: tensor 'b' (4) needs more bytes", Error(pristine[..^3]));
        Assert.Equal("not a Genre tensor file (it does not start with GENRET2)", Error(With(0, 0x20)));
        Assert.Equal("too short for a Genre tensor file (5 bytes) — the file is damaged", Error(pristine[..5]));
    }

    [Theory]
    [InlineData(0x7FFFFFFF)]
    [InlineData(-1)]
    [InlineData(0)]
    public void A_header_length_that_does_not_fit_the_file_is_refused_before_reading_it(int length)
    {
        var bytes = File.ReadAllBytes(Written());
        BitConverter.GetBytes(length).CopyTo(bytes, 8);
        Assert.Equal($"the header length {length} does not fit the file ({bytes.Length} bytes) — the file is damaged", Error(bytes));
    }
}
