using System.Text.Json.Nodes;
using Genre.Data.Stages;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend.Torch;
using Genre.Testing.Laws;

namespace Genre.Properties;

/// <summary>
/// Issue 24: nothing genre writes is read back silently wrong, on generated values — checksummed JSON and model folders survive
/// any one damaged byte as an error or as the very value written; mappings and fitted preprocessing round-trip; an invalid
/// mapping in a file is refused.
/// </summary>
public class StorageProperties
{
    static readonly TorchBackend Backend = new();
    static string Fresh() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "genre-storage-properties", Guid.NewGuid().ToString("N"))).FullName;

    static void Flip(string path, int at, byte mask)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[at % bytes.Length] ^= mask;
        File.WriteAllBytes(path, bytes);
    }

    static readonly Gen<byte> Masks = Gen.Elements<byte>(0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff);

    [Property(MaxTest = 150)]
    public Property One_damaged_byte_of_checksummed_json_is_an_error_or_the_value_written() =>
        Prop.ForAll(GenreArb.Experiments(), Gen.Choose(0, 100_000).ToArbitrary(), Masks.ToArbitrary(), (e, at, mask) =>
        {
            var path = Path.Combine(Fresh(), "experiment.json");
            var written = ExperimentJson.ToJson(e);
            ChecksummedJson.Write(path, written).IfFail(x => throw new InvalidOperationException(x.Message));
            Flip(path, at, mask);
            return ChecksummedJson.Read(path).Match(
                read => read.Exists(o => o.ToJsonString() == written.ToJsonString()).Label("read back as another value"),
                error => error.Message.Contains(path).Label($"the error does not name the file: {error.Message}"));
        });

    static readonly Gen<(Sequential Spec, int Seed)> Models =
        from inputs in Gen.Choose(1, 20)
        from classes in Gen.Choose(2, 12)
        from spec in ExperimentGen.Spec(inputs, classes)
        from seed in Gen.Choose(0, 1000)
        select (spec, seed);

    static ModelWeights Weights(Sequential spec, int seed) =>
        Backend.Compile(spec, seed).Map(m => { using (m) return m.Weights(); })
            .Match(w => w, e => throw new InvalidOperationException(e.Message));

    [Property(MaxTest = 40)]
    public Property A_model_folder_loads_the_spec_and_weights_it_saved_bit_for_bit() =>
        Prop.ForAll(Models.ToArbitrary(), m =>
        {
            var dir = Fresh();
            var weights = Weights(m.Spec, m.Seed);
            return (from _ in ModelFolder.Save(dir, m.Spec, weights, None)
                    from loaded in ModelFolder.Load(dir)
                    select loaded.Spec == m.Spec && Same(loaded.Weights, weights))
                .Match(ok => ok.Label("what was loaded is what was saved"), e => false.Label(e.Message));
        });

    static bool Same(ModelWeights a, ModelWeights b) =>
        a.Layers.Count == b.Layers.Count && a.Layers.Zip(b.Layers).ForAll(p =>
            p.Item1.Tensors.Count == p.Item2.Tensors.Count
            && p.Item1.Tensors.Zip(p.Item2.Tensors).ForAll(t => t.Item1.Name == t.Item2.Name && t.Item1.Shape == t.Item2.Shape
                && t.Item1.Values.AsSpan().SequenceEqual(t.Item2.Values)));

    [Property(MaxTest = 60)]
    public Property One_damaged_byte_of_a_model_folder_is_an_error_naming_the_file_or_the_value_saved() =>
        Prop.ForAll(Models.ToArbitrary(), Gen.Elements("model.json", ModelFolder.WeightsFile).ToArbitrary(),
            Gen.Choose(0, 100_000).SelectMany(at => Masks.Select(mask => (at, mask))).ToArbitrary(), (m, file, damage) =>
        {
            var dir = Fresh();
            var weights = Weights(m.Spec, m.Seed);
            ModelFolder.Save(dir, m.Spec, weights, None).IfFail(e => throw new InvalidOperationException(e.Message));
            Flip(Path.Combine(dir, file), damage.at, damage.mask);
            return ModelFolder.Load(dir).Match(
                loaded => (loaded.Spec == m.Spec && Same(loaded.Weights, weights)).Label($"{file} damaged, read back as another model"),
                e => e.Message.Contains(Path.Combine(dir, file)).Label($"the error does not name {file}: {e.Message}"));
        });

    [Property(MaxTest = 200)]
    public Property A_mapping_round_trips_through_json() =>
        Prop.ForAll(GenreGen.Mapping(KaggleGenres.Sorted).ToArbitrary(), m =>
            GenreMapping.FromJson(JsonNode.Parse(m.ToJson().ToJsonString()), "mapping")
                .Match(read => (read == m).Label("read back as another mapping"), e => false.Label(e.Message)));

    [Property(MaxTest = 200)]
    public Property An_invalid_mapping_in_a_file_is_refused() =>
        Prop.ForAll(GenreGen.InvalidMapping(KaggleGenres.Sorted).Where(x => x.Kind != GenreGen.Invalid.MappedTwice).ToArbitrary(), x =>
            GenreMapping.FromJson(new JsonObject(x.Pairs.Map(p => KeyValuePair.Create(p.Source, (JsonNode?)p.Target))), "mapping.json")
                .Match(_ => false.Label($"{x.Kind} was read as a mapping"), e => e.Message.StartsWith("mapping.json").Label(e.Message)));

    [Property(MaxTest = 60)]
    public Property Fitted_preprocessing_round_trips_through_its_file() =>
        Prop.ForAll(GenreArb.Pipelines(), StageLawSuite.Frames(), (features, c) =>
            (from data in ReportPipeline.Prepare(c.Train, None, features,
                 FinSucc((Enumerable.Range(0, c.Train.Count).ToArray(), System.Array.Empty<int>(), System.Array.Empty<int>())))
             let p = Preprocessing.Of(data)
             from read in Preprocessing.FromJson(JsonNode.Parse(p.ToJson().ToJsonString())!.AsObject(), "preprocessing.json")
             select read.ToJson().ToJsonString() == p.ToJson().ToJsonString() && read.Pipeline == p.Pipeline)
            .Match(ok => ok.Label("read back as other preprocessing"), e => false.Label(e.Message)));
}
