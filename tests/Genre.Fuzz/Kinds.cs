using Genre.Data;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Import;
using LanguageExt;
using static Genre.TestSupport.Results;
using static LanguageExt.Prelude;

namespace Genre.Fuzz;

/// <summary>Where the valid inputs come from, and the backend the readers build models with.</summary>
public sealed record FuzzEnvironment(string RepoRoot, Option<string> AuthorsModels, IBackend Backend)
{
    public string Golden(string name) => Path.Combine(RepoRoot, "tests", "golden", "data", name);
}

/// <summary>
/// One kind of input genre reads: how to write its valid variants (folders, as genre would hold them), which file of a variant
/// a case damages, and the reader — the same functions the CLI calls for that input, up to a model's first predictions.
/// </summary>
public sealed record FuzzKind(
    string Name,
    Func<int, string> Target,
    Func<FuzzEnvironment, Option<string>> Missing,
    Func<FuzzEnvironment, string, Seq<string>> Prepare,
    Func<FuzzEnvironment, string, int, Fin<Unit>> Read);

public static class Kinds
{
    public static readonly Seq<FuzzKind> All = Seq(
        new FuzzKind("csv", _ => "data.csv", _ => None, (env, root) => One(
            root, "tiny", d => File.Copy(env.Golden("synthetic-tiny.csv"), Path.Combine(d, "data.csv"))),
            // the data of every command; every other case with the report's genre merges (--reduced)
            (_, dir, i) => ReportPipeline.Load(Path.Combine(dir, "data.csv"), i % 2 == 0 ? None : Some(GenreMapping.ReportMerges))
                .Map(_ => unit)),

        new FuzzKind("mapping", _ => "mapping.csv", _ => None, (env, root) =>
            One(root, "report", d => File.Copy(env.Golden("report-mapping.csv"), Path.Combine(d, "mapping.csv"))),
            (_, dir, _) =>
            {
                var path = Path.Combine(dir, "mapping.csv");
                return ReportPipeline.ToFin(GenreMapping.Load(path)).Bind(
                    m => ReportPipeline.ToFin(m.ValidateAgainst(KaggleGenres.FileOrder, path))).Map(_ => unit);
            }),

        new FuzzKind("model.json", _ => "model.json", _ => None, Models, LoadModel),

        new FuzzKind("weights", _ => ModelFolder.EarlierWeightsFile, _ => None, EarlierWeights, LoadModel),

        new FuzzKind("safetensors", _ => ModelFolder.WeightsFile, _ => None, ModelFolders, LoadModelFolder),

        new FuzzKind("preprocessing", _ => Preprocessing.FileName, _ => None, ModelFolders, LoadModelFolder),

        new FuzzKind("checkpoint", _ => Path.Combine("checkpoints", "epoch-00002.ckpt"), _ => None, Checkpoints, Resume),

        new FuzzKind("savedmodel-index", _ => Path.Combine("variables", "variables.index"), NeedsAuthors, AuthorsModels, ReadSavedModel),

        new FuzzKind("savedmodel-data", _ => Path.Combine("variables", "variables.data-00000-of-00001"), NeedsAuthors, AuthorsModels,
            ReadSavedModel),

        new FuzzKind("keras-metadata", _ => "keras_metadata.pb", NeedsAuthors, AuthorsModels, ReadSavedModel),

        new FuzzKind("experiment", i => MarkerFiles[i / 2 % MarkerFiles.Count], _ => None, ExperimentFolders, ReadExperiment));

    static Seq<string> One(string root, string name, Action<string> write)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        write(dir);
        return Seq1(name);
    }


    /// <summary>Every layer type, small: Dense → LSTM (sequences) → LSTM → Dropout → Dense(114, softmax) on (15, 1).</summary>
    public static readonly Sequential Spec = new(Seq(15, 1), Seq<Layer>(new Dense(8), new Lstm(6, ReturnSequences: true), new Lstm(5),
        new Dropout(0.2), new Dense(Zoo.Genres, Activation.Softmax)), "fuzz");

    /// <summary>A saved model as genre writes it (model.json, weights.safetensors), and the same folder as genre wrote it before
    /// checksums (weights.bin in the GENRET1 layout).</summary>
    static Seq<string> Models(FuzzEnvironment env, string root)
    {
        foreach (var variant in new[] { "current", "earlier" })
        {
            var dir = Path.Combine(root, variant);
            using var m = Ok(env.Backend.Compile(Spec, 3));
            Ok(ModelFolder.Save(dir, Spec, m.Weights(), None));
            if (variant == "earlier") EarlierFiles.WeightsBinInPlace(dir, genret1: true);
        }
        return Seq("current", "earlier");
    }

    /// <summary>weights.bin as genre wrote it with checksums (GENRET2, model.json's crc32c in its meta) and before them.</summary>
    static Seq<string> EarlierWeights(FuzzEnvironment env, string root)
    {
        foreach (var variant in new[] { "earlier", "earlier-genret1" })
        {
            var dir = Path.Combine(root, variant);
            using var m = Ok(env.Backend.Compile(Spec, 3));
            Ok(ModelFolder.Save(dir, Spec, m.Weights(), None));
            EarlierFiles.WeightsBinInPlace(dir, genret1: variant.EndsWith("genret1"));
        }
        return Seq("earlier", "earlier-genret1");
    }

    /// <summary>Whether <paramref name="path"/> is in a variant as an earlier genre wrote it (its name starts with "earlier").</summary>
    public static bool IsEarlier(string path) => path.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith("earlier"));

    /// <summary>What evaluate does with a model folder; an earlier genre's folder goes through <c>genre migrate</c> first.</summary>
    static Fin<Unit> LoadModel(FuzzEnvironment env, string dir, int _) =>
        MigratedIfEarlier(dir, () => Evaluate(env, dir, ModelFolder.Load(dir).Map(s => (s.Spec, s.Weights))));

    /// <summary>
    /// An earlier genre's variant (its name starts with "earlier") is migrated, then read: a migration that fails must leave the
    /// folder as it was (one that succeeds rewrites it, so the campaign does not compare the folder after such a case).
    /// </summary>
    public static Fin<Unit> MigratedIfEarlier(string dir, Func<Fin<Unit>> read)
    {
        if (!IsEarlier(dir)) return read();
        var before = Snapshot.Listing(dir);
        return Migration.Run(dir).Match(
            _ => read(),
            e => Snapshot.Listing(dir) == before
                ? FinFail<Unit>(e)
                : throw new InvalidOperationException($"genre migrate failed ({e.Message}) and left files changed"));
    }

    /// <summary>A model folder as genre train writes it now: model.json, weights.safetensors and preprocessing.json (of a tiny
    /// file).</summary>
    static Seq<string> ModelFolders(FuzzEnvironment env, string root)
    {
        var dir = Path.Combine(root, "folder");
        var data = Ok(ReportPipeline.Load(env.Golden("synthetic-tiny.csv"), None)).Data;
        using var m = Ok(env.Backend.Compile(Spec, 3));
        Ok(ModelFolder.Save(dir, Spec, m.Weights(), Some(Preprocessing.Of(data))));
        return Seq1("folder");
    }

    /// <summary>What predict and evaluate do with a model folder: load weights and preprocessing, then build and predict.</summary>
    static Fin<Unit> LoadModelFolder(FuzzEnvironment env, string dir, int _) =>
        Evaluate(env, dir, ModelFolder.Load(dir).Map(s => (s.Spec, s.Weights)));

    static readonly float[] Rows = Enumerable.Range(0, 8 * Features.Count).Select(i => (float)(i * 37 % 101) / 100).ToArray();

    /// <summary>What evaluate does with a loaded model before scoring it: check it fits the data, build it, predict.</summary>
    static Fin<Unit> Evaluate(FuzzEnvironment env, string dir, Fin<(Sequential Spec, ModelWeights Weights)> loaded) =>
        from m in loaded
        from _1 in SpecValidation.AcceptsFeatures(m.Spec, Features.Count, dir)
        from _2 in m.Spec.Layers.Last is Dense { Units: Zoo.Genres } ? FinSucc(unit)
            : FinFail<Unit>(GenreError.Model($"{dir}: the model predicts other classes than the data's"))
        from compiled in env.Backend.Load(m.Spec, m.Weights)
        select Predict(compiled);

    static Unit Predict(ICompiledModel model)
    {
        using (model) model.Predict(Rows, 8);
        return unit;
    }

    // ------------------------------------------------------------------ checkpoints

    static readonly LabeledData Train = Problem(60, 1);
    static readonly LabeledData Validation = Problem(20, 2);
    /// <summary>Small enough that a case's checkpoint is a few kilobytes: the damage lands in the header as often as in the
    /// tensors.</summary>
    static readonly Sequential Small = new(Seq1(Features.Count), Seq<Layer>(new Dense(16, Activation.Relu), new Dropout(0.2),
        new Dense(3, Activation.Softmax)), "small");

    static TrainingConfig Config(string dir) => new(2, 20, 4, new AdamSettings(LearningRate: 0.01),
        EarlyStopping: new EarlyStopping(Patience: 5), Checkpoints: new CheckpointPolicy(dir, 1));

    static LabeledData Problem(int rows, int seed)
    {
        var r = new Random(seed);
        var x = Enumerable.Range(0, rows * Features.Count).Select(_ => (float)r.NextDouble()).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => x[i * Features.Count] > x[i * Features.Count + 1] ? 0
            : x[i * Features.Count + 2] > 0.5 ? 1 : 2).ToArray();
        return new LabeledData(x, rows, y, 3);
    }

    /// <summary>Two epochs' checkpoints (with early stopping's best weights); with and without the older one; current and as genre
    /// wrote them before checksums (GENRET1).</summary>
    static Seq<string> Checkpoints(FuzzEnvironment env, string root)
    {
        var variants = Seq("current", "current-alone", "earlier", "earlier-alone");
        foreach (var variant in variants)
        {
            var dir = Path.Combine(root, variant);
            using var m = Ok(env.Backend.Compile(Small, 4));
            Ok(m.Fit(Train, Some(Validation), Config(Path.Combine(dir, "checkpoints"))));
            foreach (var f in Directory.GetFiles(Path.Combine(dir, "checkpoints")))
            {
                if (variant.EndsWith("-alone") && f.EndsWith("epoch-00001.ckpt")) File.Delete(f);
                else if (variant.StartsWith("earlier")) EarlierFiles.TensorFileInPlace(f);
            }
        }
        return variants;
    }

    /// <summary>train --resume one epoch further (after <c>genre migrate</c>, for an earlier genre's checkpoints).</summary>
    static Fin<Unit> Resume(FuzzEnvironment env, string dir, int _) =>
        MigratedIfEarlier(dir, () =>
        {
            using var m = Ok(env.Backend.Compile(Small, 4));
            var config = Config(Path.Combine(dir, "checkpoints")) with { Epochs = 3, Resume = true };
            return m.Fit(Train, Some(Validation), config).Map(_ => unit);
        });

    // ------------------------------------------------------------------ the authors' SavedModels

    static Option<string> NeedsAuthors(FuzzEnvironment env) =>
        env.AuthorsModels.IsSome ? None : Some("needs the authors' SavedModels (../shared/reference/authors-models)");

    static Seq<string> AuthorsModels(FuzzEnvironment env, string root)
    {
        var source = (string)env.AuthorsModels;
        var names = Seq("DNN1net", "RNN1net");
        foreach (var name in names)
            foreach (var f in Directory.GetFiles(Path.Combine(source, name), "*", SearchOption.AllDirectories))
            {
                var to = Path.Combine(root, name, Path.GetRelativePath(Path.Combine(source, name), f));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(f, to);
                File.SetAttributes(to, FileAttributes.Normal);
            }
        return names;
    }

    static Fin<Unit> ReadSavedModel(FuzzEnvironment env, string dir, int _) =>
        Evaluate(env, dir, SavedModel.Load(dir).Map(m => (m.Spec, m.Weights)));

    // ------------------------------------------------------------------ a finished experiment of a reproduce output

    static readonly Seq<string> MarkerFiles = Seq("settings.json", "history.json", "metrics.json");
    static readonly Settings Finished = new(2, 20, 4);
    static readonly Experiment Fuzzed = new("fuzzed", "a small net", new Learner.Net(Small), double.NaN, None);

    /// <summary>
    /// A finished experiment folder as reproduce writes it now, and one as genre wrote it before checksums: the settings alone in
    /// its marker, weights.bin (GENRET1), in a folder named after the report's softmax (what <c>genre migrate</c> derives the
    /// experiment from).
    /// </summary>
    static Seq<string> ExperimentFolders(FuzzEnvironment env, string root)
    {
        var current = Path.Combine(root, "current");
        using var m = Ok(env.Backend.Compile(Small, 4));
        var history = Ok(m.Fit(Train, Some(Validation), Config(Path.Combine(current, "checkpoints"))));
        Directory.Delete(Path.Combine(current, "checkpoints"), true);
        var outcome = new TrainingOutcome(Small, history, m.Evaluate(Validation), 1.5, [], false);
        Ok(ModelFolder.Save(current, Small, m.Weights(), None));
        Recorded(current, history, outcome);
        Ok(ExperimentFolder.MarkFinished(current, Fuzzed, Finished));

        var earlier = Path.Combine(root, EarlierExperiment);
        using var softmax = Ok(env.Backend.Compile(Softmax.Model.Network.IfNone(Zoo.Softmax()), 4));
        Ok(ModelFolder.Save(earlier, softmax.Spec, softmax.Weights(), None));
        Recorded(earlier, history, outcome);
        Ok(ExperimentFolder.MarkFinished(earlier, Softmax, Finished));
        EarlierFiles.MarkerInPlace(Path.Combine(earlier, "settings.json"));
        EarlierFiles.WeightsBinInPlace(earlier, genret1: true);
        return Seq("current", EarlierExperiment);
    }

    const string EarlierExperiment = "earlier/softmax";
    static readonly Experiment Softmax = Experiments.OfReport.Head;

    static void Recorded(string dir, History history, TrainingOutcome outcome)
    {
        Ok(AtomicFile.WriteAllText(Path.Combine(dir, "history.json"), TrainingRun.HistoryJson(history).ToJsonString()));
        var metrics = TrainingRun.MetricsJson(outcome).ToJsonString(new() { WriteIndented = true });
        Ok(AtomicFile.WriteAllText(Path.Combine(dir, "metrics.json"), metrics));
    }

    /// <summary>What reproduce does with an experiment folder: is it finished with these settings? then load its model (after
    /// <c>genre migrate</c>, for an earlier genre's folder).</summary>
    static Fin<Unit> ReadExperiment(FuzzEnvironment env, string dir, int _) =>
        MigratedIfEarlier(dir, () =>
            ExperimentFolder.Finished(dir, dir.EndsWith("softmax") ? Softmax : Fuzzed, Finished).Bind(done => done.Match(
                _ => ModelFolder.Load(dir).Map(_ => unit),
                () => FinSucc(unit))));
}
