using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;

namespace Genre.Eval;

/// <summary>What a finished experiment folder recorded about its training.</summary>
public sealed record FinishedRun(History History, double Seconds);

/// <summary>
/// One experiment's folder in a reproduce output: <c>settings.json</c> marks it finished (written only after the model,
/// history and metrics are saved), <c>history.json</c> and <c>metrics.json</c> hold what training measured. The marker carries
/// its own checksum and the crc32c of each of those files, so a damaged folder is an error naming the file, not a silent
/// retraining or a wrong report. A marker an earlier genre wrote (without its checksum, the files' checksums or the experiment)
/// is refused (<see cref="EarlierFormat"/>) until <c>genre migrate</c> rewrites it.
/// </summary>
public static class ExperimentFolder
{
    /// <summary>The files a finished marker always vouches for.</summary>
    public static readonly Seq<string> Files = Seq("model.json", "history.json", "metrics.json");

    /// <summary>Vouched for when the folder holds them: the weights and the preprocessing.</summary>
    public static readonly Seq<string> FilesIfPresent = Seq(ModelFolder.WeightsFile, Preprocessing.FileName);

    /// <summary>The files the marker of <paramref name="dir"/> vouches for.</summary>
    public static Seq<string> FilesIn(string dir) => Files + FilesIfPresent.Filter(name => File.Exists(Path.Combine(dir, name)));

    /// <summary>
    /// The stored history and training seconds (its epochs' seconds summed, so a run resumed across sessions counts them all),
    /// when the folder holds a finished run of <paramref name="e"/>'s recipe with <paramref name="settings"/> (the marker stores
    /// the experiment it trained, read back by value); None when it holds no finished run of that recipe. A marker or file that
    /// is damaged, or missing though the marker vouches for it, is an error, and so is a marker an earlier genre wrote.
    /// </summary>
    public static Fin<Option<FinishedRun>> Finished(string dir, Experiment e, Settings settings)
    {
        var path = Path.Combine(dir, MarkerFile);
        return ChecksummedJson.Read(path).Bind(marker => marker.Match(
            s => Stored(s, path).Bind(recipe => recipe == e.RecipeWith(settings)
                ? Verified(dir, s).Map(Some)
                : FinSucc(Option<FinishedRun>.None)),
            () => FinSucc(Option<FinishedRun>.None)));
    }

    /// <summary>The marker's name: <c>settings.json</c>.</summary>
    public const string MarkerFile = "settings.json";

    /// <summary>The experiment and settings a marker records, as the recipe they trained.</summary>
    public static Fin<Recipe> Stored(JsonObject marker, string path) =>
        from o in Json.Object(marker, "experiment").ToFin(EarlierFormat.Refused(path, "has no experiment"))
        from e in ExperimentJson.FromJson(o, $"{path}: experiment")
        from s in ExperimentJson.SettingsOf(marker, path)
        select e.RecipeWith(s);

    static Fin<FinishedRun> Verified(string dir, JsonObject marker) =>
        from files in Json.Object(marker, "files")
            .ToFin(EarlierFormat.Refused(Path.Combine(dir, MarkerFile), "has no checksums of its files"))
        from _ in CheckFiles(dir, files)
        from run in Recorded(dir)
        select run;

    /// <summary>The metrics and history a finished folder holds, read as reproduce reads them (<c>genre migrate</c> reads them so
    /// too before it vouches for them).</summary>
    internal static Fin<FinishedRun> Recorded(string dir) =>
        from _ in Required(dir, "metrics.json").Bind(text => Json.Parse(text, Path.Combine(dir, "metrics.json"), Damaged))
        from h in Required(dir, "history.json").Bind(text => Json.Parse(text, Path.Combine(dir, "history.json"), Damaged))
        from history in HistoryOf(h)
            .ToFin(GenreError.Model($"{Path.Combine(dir, "history.json")}: not a list of epochs — the file is damaged"))
        select new FinishedRun(history, TrainingRun.TrainingSeconds(history));

    static LanguageExt.Common.Error Damaged(string message) => GenreError.Model($"{message} — the file is damaged");

    /// <summary>Each file the marker lists (at least <see cref="Files"/> and a weights file) must exist and have the crc32c it
    /// records.</summary>
    static Fin<Unit> CheckFiles(string dir, JsonObject files) =>
        (Files + FilesIfPresent.Filter(files.ContainsKey)).Fold(
            files.ContainsKey(ModelFolder.WeightsFile)
                ? FinSucc(unit)
                : FinFail<Unit>(GenreError.Model(
                    $"{Path.Combine(dir, "settings.json")}: no checksum for the weights — the file is damaged")),
            (acc, name) => acc.Bind(_ =>
        {
            var path = Path.Combine(dir, name);
            if (Json.String(files, name).Case is not string stored) return GenreError.Model(
                $"{Path.Combine(dir, "settings.json")}: no checksum for {name} — the file is damaged");
            return Crc(path).Bind(actual => actual == stored
                ? FinSucc(unit)
                : FinFail<Unit>(GenreError.Model(
                    $"{path}: checksum mismatch (settings.json records crc32c {stored}) — the file is damaged; delete {dir} to train " +
                        $"this experiment again")));
        }));

    internal static Fin<string> Crc(string path) =>
        Genre.Data.Files.ReadBytes(path, MissingThoughFinished).Map(b => Crc32c.Hex(Crc32c.Compute(b)));

    static Fin<string> Required(string dir, string name) => Genre.Data.Files.ReadText(Path.Combine(dir, name), MissingThoughFinished);

    static LanguageExt.Common.Error MissingThoughFinished(string path) =>
        GenreError.Model($"{path}: missing, though settings.json marks the experiment finished");

    /// <summary>
    /// Written as soon as an experiment's model and metrics are saved, so a later failure never costs its training; it records
    /// the crc32c of each of <see cref="FilesIn"/> as they are on disk.
    /// </summary>
    public static Fin<Unit> MarkFinished(string dir, Experiment e, Settings settings) =>
        from crcs in FilesIn(dir).Map(name => Crc(Path.Combine(dir, name)).Map(c => (name, c))).Sequence()
        let json = Marker(e, settings, crcs)
        from _ in ChecksummedJson.Write(Path.Combine(dir, MarkerFile), json)
        select unit;

    /// <summary>The settings (top-level, as folders have always had them), the experiment, and the files' checksums.</summary>
    internal static JsonObject Marker(Experiment e, Settings settings, Seq<(string Name, string Crc)> crcs)
    {
        var json = ExperimentJson.ToJson(settings);
        json["experiment"] = ExperimentJson.ToJson(e);
        json["files"] = new JsonObject(crcs.Map(c => new KeyValuePair<string, JsonNode?>(c.Name, c.Crc)));
        return json;
    }

    /// <summary>
    /// Give <paramref name="to"/> the finished training of its twin in <paramref name="source"/> (same layers, labels and settings):
    /// the same weights under this experiment's model name, the same history and test metrics, then the finished marker.
    /// </summary>
    public static Fin<Unit> CopyTraining(string source, string to, Experiment e, Sequential spec, ExperimentResult twin) =>
        FolderLock.While(to, () =>
            from stored in ModelFolder.Load(source)
            from _1 in ModelFolder.Save(to, spec, stored.Weights, stored.Preprocessing)
            from _2 in TrainingRun.WriteMetrics(to, new TrainingOutcome(spec, twin.History, twin.Test, twin.Seconds, [], false))
            from _3 in MarkFinished(to, e, twin.Settings)
            select unit);

    /// <summary>val_loss/val_accuracy are null when there was no validation set: read as NaN.</summary>
    static Option<EpochMetrics> EpochOf(JsonNode? e) =>
        e is null ? None :
        from epoch in Json.Int(e, "epoch")
        from loss in Json.Double(e, "loss")
        from accuracy in Json.Double(e, "accuracy")
        from seconds in Json.Double(e, "seconds")
        select new EpochMetrics(epoch, loss, accuracy, Json.Double(e, "val_loss").IfNone(double.NaN),
            Json.Double(e, "val_accuracy").IfNone(double.NaN), seconds);

    static Option<History> HistoryOf(JsonNode h) =>
        h is JsonArray a
            ? a.Select(EpochOf).ToSeq().Sequence().Map(epochs => new History(epochs.Strict()))
            : None;
}
