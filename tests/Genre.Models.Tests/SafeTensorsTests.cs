using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Genre.Data;
using Genre.Models.Backend;

namespace Genre.Models.Tests;

/// <summary>
/// Weights in safetensors (issue 15): model folders round-trip exactly, an independent numpy reader
/// (tests/golden/models/read_safetensors.py) reads what genre writes, genre reads what another writer lays out differently,
/// damage is a one-line model error, and weights without their sha256 (an earlier genre's) are refused naming genre migrate.
/// </summary>
public class SafeTensorsTests
{
    static string Script => Path.Combine(Support.RepoRoot, "tests", "golden", "models", "read_safetensors.py");

    static string Python(params string[] args)
    {
        var psi = new ProcessStartInfo(Genre.TestSupport.Inputs.DebianPython)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, stderr.Result);
        return stdout.Result;
    }

    static (string Dir, ICompiledModel Model) Saved(string name)
    {
        var dir = Support.TempDir();
        var m = Ok(Support.Backend.Compile(Ok(Zoo.ByName(name)), 7));
        Ok(ModelFolder.Save(dir, m.Spec, m.Weights(), None));
        return (dir, m);
    }

    [Theory]
    [InlineData("softmax")]
    [InlineData("rnn1")]
    [InlineData("rnn2")]
    [InlineData("dnn2")]
    public void Every_model_folder_round_trips_exactly(string name)
    {
        var (dir, m) = Saved(name);
        using (m)
        {
            Assert.Equal(["model.json", "weights.safetensors"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order()
                .ToArray<string>());
            var stored = Ok(ModelFolder.Load(dir));
            Assert.Equal(m.Spec, stored.Spec);
            Assert.Equal(Support.Flat(m), ModelStore.Flatten(stored.Weights).Bind(t => toSeq(t.Values)).ToArray());
        }
    }

    [NumpyTheory]
    [InlineData("rnn1")]
    [InlineData("dnn2")]
    public void An_independent_numpy_reader_reads_every_tensor_and_checks_the_checksum(string name)
    {
        var (dir, m) = Saved(name);
        using (m)
        {
            using var summary = JsonDocument.Parse(Python(Path.Combine(dir, ModelFolder.WeightsFile)));
            var root = summary.RootElement;
            Assert.True(root.GetProperty("checksum_ok").GetBoolean());
            Assert.Equal(SpecJson.ToJson(m.Spec).ToJsonString(), root.GetProperty("metadata").GetProperty("model").GetString());
            var tensors = root.GetProperty("tensors");
            var ours = ModelStore.Flatten(m.Weights());
            Assert.Equal(ours.Count, tensors.EnumerateObject().Count());
            foreach (var t in ours)
            {
                var theirs = tensors.GetProperty(t.Name);
                Assert.Equal(t.Shape.ToArray(), theirs.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray());
                var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Values.AsSpan()).ToArray();
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), theirs.GetProperty("sha256").GetString());
                Assert.Equal(t.Values.Sum(v => (double)v), theirs.GetProperty("sum").GetDouble(), 9);
            }
        }
    }

    [NumpyFact]
    public void Genre_reads_a_file_laid_out_by_another_writer()
    {
        var (dir, m) = Saved("rnn2");
        using (m)
        {
            var weights = Path.Combine(dir, ModelFolder.WeightsFile);
            Python("--rewrite", weights, weights + ".other");
            File.Move(weights + ".other", weights, overwrite: true);
            var file = Ok(SafeTensors.Read(weights));
            Assert.True(file.Metadata.Find(SafeTensors.ChecksumKey).IsSome); // its own sha256, of its own data order
            Assert.Equal("2/kernel", file.Tensors.Head.Name); // reverse name order: the data no longer follows Keras order
            Assert.Equal(Support.Flat(m), ModelStore.Flatten(Ok(ModelFolder.Load(dir)).Weights).Bind(t => toSeq(t.Values)).ToArray());
        }
    }

    [Fact]
    public void Damage_is_a_one_line_model_error_naming_the_file()
    {
        var (dir, m) = Saved("dnn1");
        m.Dispose();
        var path = Path.Combine(dir, ModelFolder.WeightsFile);
        var good = File.ReadAllBytes(path);
        var flipped = (byte[])good.Clone();
        flipped[^5] ^= 0x40;
        File.WriteAllBytes(path, flipped);
        var e = Fail(ModelFolder.Load(dir));
        Assert.StartsWith($"{path}: checksum mismatch", e);
        File.WriteAllBytes(path, good[..^8]);
        Assert.StartsWith($"{path}: the tensors hold", Fail(ModelFolder.Load(dir)));
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.StartsWith($"{path}: not a safetensors file", Fail(ModelFolder.Load(dir)));
        var header = (byte[])good.Clone();
        header[9] = (byte)'[';
        File.WriteAllBytes(path, header);
        var corrupt = Fail(ModelFolder.Load(dir));
        Assert.StartsWith($"{path}: corrupt safetensors header", corrupt);
        Assert.DoesNotContain("\n", corrupt);
    }

    [Fact]
    public void Weights_without_their_sha256_are_refused_naming_them_and_genre_migrate()
    {
        var (dir, m) = Saved("dnn2");
        using (m)
        {
            var path = Path.Combine(dir, ModelFolder.WeightsFile);
            var file = Ok(SafeTensors.Read(path));
            var bytes = SafeTensors.ToBytes(file.Metadata.Remove(SafeTensors.ChecksumKey).ToSeq(), file.Tensors);
            var header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToUInt64(bytes));
            // ToBytes stamps every file it writes: the stamp is taken out of the header, as an earlier genre wrote it
            var unstamped = System.Text.RegularExpressions.Regex.Replace(header, ",\"sha256\":\"[0-9a-f]{64}\"", "");
            var padded = unstamped.PadRight(header.Length);
            File.WriteAllBytes(path, [.. bytes[..8], .. System.Text.Encoding.UTF8.GetBytes(padded), .. bytes[(8 + header.Length)..]]);
            Assert.True(Ok(SafeTensors.Read(path)).Metadata.Find(SafeTensors.ChecksumKey).IsNone);
            Assert.Equal($"{path} has no checksum (written by an earlier genre): run genre migrate {dir}", Fail(ModelFolder.Load(dir)));
        }
    }

    /// <summary>The committed results (results/), migrated: every model folder loads, none keeps a weights.bin.</summary>
    [Fact]
    public void The_committed_result_folders_load()
    {
        var results = Path.Combine(Support.RepoRoot, "results");
        Assert.Empty(Directory.GetFiles(results, "weights.bin", SearchOption.AllDirectories));
        var folders = Directory.GetFiles(results, ModelFolder.WeightsFile, SearchOption.AllDirectories)
            .Select(Path.GetDirectoryName).ToArray();
        Assert.True(folders.Length >= 40, $"{folders.Length} model folders");
        foreach (var dir in folders) Ok(ModelFolder.Load(dir!));
    }
}
