using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Data.Stages;
using Genre.Models;
using LanguageExt.Common;

namespace Genre.Eval;

/// <summary>One file <c>genre migrate</c> wrote or removed, and what it did to it.</summary>
public sealed record MigrationChange(string Path, string What);

/// <summary>
/// <c>genre migrate DIR</c>: every file under DIR that an earlier genre wrote, rewritten in the current format with its checksum —
/// experiment markers (<c>settings.json</c>), <c>preprocessing.json</c> of formats 1 and 2, <c>weights.bin</c> (as
/// <c>weights.safetensors</c>), weights without their sha256, GENRET1 checkpoints or ones without training settings,
/// <c>gbdt.json</c> without its checksum or seed, <c>ensemble.json</c> and a run's <c>metrics.json</c> without their checksums.
/// What an old file lacks is derived where the folder says it (an experiment and its split from the folder's names, its settings
/// from the experiment's table, a seed from a <c>seed-S</c> folder or <c>--seed</c>); otherwise migrate refuses, naming the file
/// and what is missing. Every file is verified as it is read (checksums where it has them, structure where not), and every change
/// is planned before any is written: a damaged or underivable file is an error and nothing is written. Each file is written
/// atomically under its folder's lock. Current files are left as they are, so a second run changes nothing.
/// </summary>
public static class Migration
{
    /// <summary>
    /// Migrates every folder under <paramref name="dir"/> (itself included); the changes, in the order they were made (none when
    /// everything is current). <paramref name="seed"/> is the run's seed for a <c>gbdt.json</c> that records none and has no
    /// <c>seed-S</c> folder above it; stage kinds are read by <paramref name="registry"/> (default: the built-in stages).
    /// </summary>
    public static Fin<Seq<MigrationChange>> Run(string dir, Option<int> seed = default, StageRegistry? registry = null)
    {
        if (!Directory.Exists(dir)) return GenreError.Io($"{dir}: folder not found");
        var context = new Context(seed, registry ?? StageRegistry.BuiltIn);
        return from steps in Folders(dir).ToSeq().Map(folder => Plan(folder, context)).Sequence().Map(s => s.Bind(x => x).Strict())
               from _ in Apply(steps)
               select steps.Map(s => s.Change).Strict();
    }

    sealed record Context(Option<int> Seed, StageRegistry Registry);

    /// <summary>A planned change: the bytes to write at <see cref="Path"/>, or None to remove it.</summary>
    internal sealed record Step(string Path, Option<byte[]> Bytes, MigrationChange Change)
    {
        public static Step Write(string path, byte[] bytes, string what) => new(path, bytes, new MigrationChange(path, what));
        public static Step Write(string path, string text, string what) => Write(path, Utf8(text), what);
        public static Step Remove(string path, string what) => new(path, None, new MigrationChange(path, what));
    }

    static IEnumerable<string> Folders(string dir) =>
        Seq1(dir).Concat(Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories)
            .Where(d => !Path.GetRelativePath(dir, d).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .Order(StringComparer.Ordinal));

    /// <summary>Writes every step in order, each folder's under the lock genre's writers take (a checkpoint's: its experiment
    /// folder's).</summary>
    static Fin<Unit> Apply(Seq<Step> steps) =>
        steps.GroupBy(s => Owner(s.Path)).Fold(FinSucc(unit), (acc, folder) => acc.Bind(_ =>
            FolderLock.While(folder.Key, () =>
                folder.Fold(FinSucc(unit), (done, s) => done.Bind(__ => s.Bytes.Match(
                    bytes => AtomicFile.WriteAllBytes(s.Path, bytes),
                    () => Files.Delete(s.Path)))))));

    static string Owner(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        return Path.GetFileName(folder) == "checkpoints" ? Path.GetDirectoryName(folder)! : folder;
    }

    // ------------------------------------------------------------------ one folder

    /// <summary>The folder's steps: its files first, then the marker, whose checksums are of the files as they will be.</summary>
    static Fin<Seq<Step>> Plan(string folder, Context c) =>
        from preprocessing in Optional(folder, Preprocessing.FileName, path => PlanPreprocessing(path, c))
        from weights in EarlierTensors.PlanWeights(folder)
        from checkpoints in EarlierTensors.CheckpointsIn(folder).Map(path => EarlierTensors.PlanCheckpoint(path, c.Registry))
            .Sequence().Map(s => s.Bind(x => x))
        from gbdt in Optional(folder, Gbdt.TrialsFile, path => PlanGbdt(path, c))
        from ensemble in Optional(folder, EnsembleFolder.FileName, PlanEnsemble)
        from metrics in Optional(folder, "metrics.json", PlanRunMetrics)
        let files = preprocessing + weights
        from marker in Optional(folder, ExperimentFolder.MarkerFile, path => PlanMarker(path, files, c))
        let all = files + checkpoints + gbdt + ensemble + metrics + marker
        select all.Filter(s => s.Bytes.IsSome) + all.Filter(s => s.Bytes.IsNone); // a file is removed once what replaces it is written

    static Fin<Seq<Step>> Optional(string folder, string name, Func<string, Fin<Seq<Step>>> plan)
    {
        var path = Path.Combine(folder, name);
        return File.Exists(path) ? plan(path) : FinSucc(Seq<Step>());
    }

    /// <summary>A checksummed JSON file's object and whether it has its checksum (verified when it has).</summary>
    internal static Fin<(JsonObject Object, bool Stamped)> ReadJson(string path) =>
        Files.ReadText(path).Bind(text => ChecksummedJson.Inspect(text, path));

    static Fin<Seq<Step>> PlanPreprocessing(string path, Context c) =>
        ReadJson(path).Bind(read =>
        {
            var format = Json.String(read.Object, "format");
            if (format.Case is string old && Preprocessing.EarlierFormats.Contains(old))
                return EarlierPreprocessing.FromJson(read.Object, path).Map(p => Seq1(Step.Write(path,
                    ChecksummedJson.Format(p.ToJson(), indented: true), $"format {old} → {Preprocessing.Format}, with its checksum")));
            return Preprocessing.FromJson(read.Object, path, c.Registry).Map(p => read.Stamped
                ? Seq<Step>()
                : Seq1(Step.Write(path, ChecksummedJson.Format(p.ToJson(), indented: true), "its checksum added")));
        });

    /// <summary>A <c>gbdt.json</c> with its trials checked, its seed (derived when missing) and its checksum.</summary>
    static Fin<Seq<Step>> PlanGbdt(string path, Context c) =>
        from read in ReadJson(path)
        from _ in Gbdt.TrialsOf(read.Object, path)
        from recorded in Json.Member(read.Object, "seed").Match(
            _ => StageJson.Int(read.Object, "seed", path).Map(Some), () => FinSucc(Option<int>.None))
        from seed in recorded.Match(s => FinSucc((Seed: s, From: "")), () => SeedOf(path, c))
        select read.Stamped && recorded.IsSome
            ? Seq<Step>()
            : Seq1(Step.Write(path, ChecksummedJson.Format(WithSeedFirst(read.Object, seed.Seed), indented: true),
                recorded.IsSome ? "its checksum added" : $"seed {seed.Seed} ({seed.From}) and its checksum added"));

    /// <summary>The seed of the run that wrote <paramref name="path"/>: its <c>seed-S</c> folder's, else the one given.</summary>
    static Fin<(int Seed, string From)> SeedOf(string path, Context c)
    {
        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); dir is not null; dir = Path.GetDirectoryName(dir))
            if (SeedFolder.SeedOf(Path.GetFileName(dir)).Case is int s) return (s, $"from the folder {Path.GetFileName(dir)}");
        return c.Seed.Match(
            s => FinSucc((s, "from --seed")),
            () => FinFail<(int, string)>(GenreError.Model(
                $"{path} has no seed, and no seed-S folder above it names one: run genre migrate " +
                $"{Path.GetDirectoryName(path)} --seed S with the seed of the run that wrote it")));
    }

    static JsonObject WithSeedFirst(JsonObject o, int seed)
    {
        var copy = new JsonObject { ["seed"] = seed };
        foreach (var (key, value) in o.Where(p => p.Key != "seed")) copy[key] = value?.DeepClone();
        return copy;
    }

    static Fin<Seq<Step>> PlanEnsemble(string path) =>
        from read in ReadJson(path)
        from _ in Json.String(read.Object, "format") == Some(EnsembleFolder.Format)
            ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model($"{path}: not a {EnsembleFolder.Format} file — the file is damaged"))
        select read.Stamped
            ? Seq<Step>()
            : Seq1(Step.Write(path, ChecksummedJson.Format(read.Object, indented: true), "its checksum added"));

    /// <summary>A run's <c>metrics.json</c> (it names its profile) carries a checksum; an experiment folder's is vouched for by
    /// the marker instead.</summary>
    static Fin<Seq<Step>> PlanRunMetrics(string path) =>
        Files.ReadText(path).Bind(text => ChecksummedJson.Inspect(text, path)).Map(read =>
            read.Stamped || !read.Object.ContainsKey("profile")
                ? Seq<Step>()
                : Seq1(Step.Write(path, ChecksummedJson.Format(read.Object, indented: true), "its checksum added")));

    // ------------------------------------------------------------------ the experiment marker

    /// <summary>
    /// A marker with its experiment, settings, the checksums of its files as they will be and its own checksum. The checksums it
    /// had are verified against the files first; a file it vouched for that is not there (a folder kept as a record, its weights
    /// not committed) keeps its checksum.
    /// </summary>
    static Fin<Seq<Step>> PlanMarker(string path, Seq<Step> files, Context c)
    {
        var dir = Path.GetDirectoryName(path)!;
        return from read in ReadJson(path)
               let marker = read.Object
               from recorded in Json.Object(marker, "files").Match(f => CheckRecorded(dir, path, f).Map(Some),
                   () => RequiredFiles(dir, path).Map(_ => Option<JsonObject>.None))
               from _ in recorded.IsSome ? ExperimentFolder.Recorded(dir).Map(_ => unit) : FinSucc(unit)
               from derived in Json.Object(marker, "experiment").Match(
                   o => from e in ExperimentJson.FromJson(o, $"{path}: experiment", c.Registry)
                        from s in ExperimentJson.SettingsOf(marker, path)
                        select (Experiment: e, Settings: s, Said: Option<string>.None),
                   () => Derived(dir, path, marker).Map(d => (d.Experiment, d.Settings, Said: Some(d.Said))))
               from crcs in Checksums(dir, recorded, files)
               let added = Seq(derived.Said, recorded.IsNone ? Some("the checksums of its files") : None,
                   read.Stamped ? None : Some("its own checksum")).Somes().ToSeq()
               select added.IsEmpty && files.IsEmpty
                   ? Seq<Step>()
                   : Seq1(Step.Write(path, ChecksummedJson.Format(ExperimentFolder.Marker(derived.Experiment, derived.Settings, crcs)),
                       string.Join("; ", Seq(added.IsEmpty ? "" : Listed(added) + " added",
                           files.IsEmpty || recorded.IsNone ? "" : "the checksums of its rewritten files updated")
                           .Filter(s => s.Length > 0))));
    }

    /// <summary>"a", "a and b", "a, b and c".</summary>
    static string Listed(Seq<string> parts) =>
        parts.Count == 1 ? parts.Head : string.Join(", ", parts.Init) + " and " + parts.Last;

    /// <summary>Each file the old marker vouched for that is there has the checksum it records.</summary>
    static Fin<JsonObject> CheckRecorded(string dir, string marker, JsonObject files) =>
        files.Fold(FinSucc(files), (acc, p) => acc.Bind(_ =>
        {
            var file = Path.Combine(dir, p.Key);
            if (Json.String(p.Value).Case is not string stored)
                return GenreError.Model($"{marker}: no checksum for {GenreError.Show(p.Key)} — the file is damaged");
            if (!File.Exists(file)) return FinSucc(files);
            return ExperimentFolder.Crc(file).Bind(actual => actual == stored
                ? FinSucc(files)
                : FinFail<JsonObject>(GenreError.Model(
                    $"{file}: checksum mismatch ({ExperimentFolder.MarkerFile} records crc32c {stored}) — the file is damaged")));
        }));

    /// <summary>A marker from before file checksums vouched for nothing: what it finished must be there and read as it does
    /// now.</summary>
    static Fin<Unit> RequiredFiles(string dir, string marker) =>
        from _1 in Files.ReadBytes(Path.Combine(dir, ModelFolder.SpecFile),
            file => GenreError.Model($"{file}: missing, though {marker} marks the experiment finished"))
        from _2 in ExperimentFolder.Recorded(dir)
        select unit;

    /// <summary>
    /// The crc32c of each file the marker vouches for, in the order the current genre writes them: the planned bytes of a
    /// rewritten file, else the file's; a file the old marker vouched for that is not there keeps the checksum it had.
    /// </summary>
    static Fin<Seq<(string Name, string Crc)>> Checksums(string dir, Option<JsonObject> recorded, Seq<Step> files)
    {
        var planned = files.Filter(f => f.Bytes.IsSome).Map(f => (Name: Path.GetFileName(f.Path), Bytes: (byte[])f.Bytes));
        var names = (ExperimentFolder.Files + ExperimentFolder.FilesIfPresent
                     + recorded.Map(r => r.Select(p => p.Key).ToSeq()).IfNone(Seq<string>()))
            .Filter(name => name != ModelFolder.EarlierWeightsFile).Distinct().ToSeq();
        return names.Map(name =>
            {
                var file = Path.Combine(dir, name);
                return planned.Find(p => p.Name == name).Map(p => FinSucc(Some((name, Crc32c.Hex(Crc32c.Compute(p.Bytes))))))
                    .IfNone(() => File.Exists(file) ? ExperimentFolder.Crc(file).Map(crc => Some((name, crc)))
                        : FinSucc(recorded.Bind(r => Json.String(r, name)).Map(crc => (name, crc))));
            })
            .Sequence().Map(s => s.Somes().ToSeq().Strict());
    }

    /// <summary>
    /// What a marker without its experiment trained: the experiment its folder is named after (a <c>member-k</c> folder: member k of
    /// the ensemble its parent is named after; inside <c>track-aware/</c>: on the track-aware split), with the settings of the row
    /// of its table the marker's settings are (that row's early stopping, which markers did not record), from the marker's seed.
    /// </summary>
    internal static Fin<(Experiment Experiment, Settings Settings, string Said)> Derived(string dir, string marker, JsonObject o)
    {
        var full = Path.GetFullPath(dir);
        var name = Path.GetFileName(full);
        var member = MemberIndex(name);
        var experimentDir = member.IsSome ? Path.GetDirectoryName(full)! : full;
        var experimentName = Path.GetFileName(experimentDir);
        var split = Path.GetFileName(Path.GetDirectoryName(experimentDir)) == "track-aware" ? DataSplit.TrackAware : DataSplit.Report;
        return from known in (Experiments.OfReport + Experiments.Beyond).Find(e => e.Name == experimentName)
                   .ToFin(GenreError.Model($"{marker} has no experiment, and its folder's name '{GenreError.Show(experimentName)}' is " +
                                           "not one of genre's experiments: genre migrate cannot tell which it trained"))
               from e in member.Match(
                   k => known.Members >= k
                       ? FinSucc(Ensembles.Member(known with { Split = split }, k))
                       : FinFail<Experiment>(GenreError.Model($"{marker} has no experiment, and {experimentName} has no member {k}")),
                   () => FinSucc(known with { Split = split }))
               from recorded in RecordedSettings(o, marker)
               let row = e.Training.Values.Find(s => Unseeded(s) == Unseeded(recorded))
               let settings = row.Map(r => r with { Seed = recorded.Seed }).IfNone(recorded)
               let onSplit = split == DataSplit.TrackAware ? ", track-aware" : ""
               select (e, settings, $"the experiment ({e.Name}{onSplit}, from the folder's name)");
    }

    /// <summary>What a table row and a marker share: the settings without the seed (the run's) and early stopping (which markers
    /// did not record).</summary>
    static Settings Unseeded(Settings s) => s with { Seed = 0, EarlyStopping = None };

    /// <summary>The settings a marker records; folders from before the learning rate was recorded used Adam's default.</summary>
    static Fin<Settings> RecordedSettings(JsonObject o, string marker)
    {
        var copy = (JsonObject)o.DeepClone();
        if (!copy.ContainsKey("learning_rate")) copy["learning_rate"] = 1e-3;
        return ExperimentJson.SettingsOf(copy, marker);
    }

    static Option<int> MemberIndex(string folderName) =>
        folderName.StartsWith("member-", StringComparison.Ordinal) && int.TryParse(folderName["member-".Length..],
            System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) && k >= 1
            ? Some(k) : None;

    /// <summary>The settings of the finished experiment whose folder holds <paramref name="checkpoints"/>: its marker's, current
    /// or derived.</summary>
    internal static Fin<Option<Settings>> SettingsBeside(string checkpoints, StageRegistry registry)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(checkpoints))!;
        var path = Path.Combine(dir, ExperimentFolder.MarkerFile);
        if (!File.Exists(path)) return Option<Settings>.None;
        return ReadJson(path).Bind(read => Json.Object(read.Object, "experiment").Match(
            _ => ExperimentJson.SettingsOf(read.Object, path),
            () => Derived(dir, path, read.Object).Map(d => d.Settings))).Map(Some);
    }

    static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);
}
