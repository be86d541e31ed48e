using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Data.Stages;
using Genre.Models;

namespace Genre.Eval;

/// <summary>
/// What decides an experiment's weights: what it fits, the features it reads, its labels, its split and the settings of this
/// run. Two folders trained for equal recipes hold the same training; a changed experiment is a different recipe.
/// </summary>
public sealed record Recipe(Learner Model, Pipeline Features, Option<GenreMapping> Labels, DataSplit Split, Settings Settings);

/// <summary>
/// An experiment and its training settings as JSON (Keras' <c>get_config</c>/<c>from_config</c> for a whole experiment): written
/// into each experiment folder's settings file, read back to the equal value, so a folder trained for another experiment is told
/// apart by value. Every member is checked by type; a missing or ill-typed one is an error naming the file and the member.
/// </summary>
public static class ExperimentJson
{
    /// <summary>The experiment as JSON (its training table included).</summary>
    public static JsonObject ToJson(Experiment e) => new()
    {
        ["name"] = e.Name,
        ["title"] = e.Title,
        ["report_accuracy"] = Json.Finite(e.ReportAccuracy),
        ["authors_model"] = e.AuthorsModel.Case is string m ? m : null,
        ["model"] = e.Model.ToJson(),
        ["features"] = e.Features.ToJson(),
        ["labels"] = e.Labels.Case is GenreMapping l ? l.ToJson() : null,
        ["split"] = SplitName(e.Split),
        ["training"] = new JsonObject(e.Training.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)ToJson(p.Value)))),
    };

    /// <summary>The experiment in <paramref name="o"/>; stage kinds are read by <paramref name="registry"/> (default: the built-in
    /// stages).</summary>
    public static Fin<Experiment> FromJson(JsonObject o, string origin, StageRegistry? registry = null) =>
        from name in StageJson.Text(o, "name", origin)
        from title in StageJson.Text(o, "title", origin)
        from accuracy in Nullable(o, "report_accuracy", origin, n => Json.Double(n), "a number or null").Map(a => a.IfNone(double.NaN))
        from authors in Nullable(o, "authors_model", origin, n => Json.String(n), "a string or null")
        from model in StageJson.Object(o, "model", origin).Bind(m => LearnerOf(m, $"{origin}: model"))
        from features in (registry ?? StageRegistry.BuiltIn).ReadStage(o["features"], $"{origin}: features")
        from pipeline in features is Pipeline p ? FinSucc(p) : Bad<Pipeline>(origin, "features must be a pipeline")
        from labels in Json.Member(o, "labels").Filter(n => n is not null).Match(
            n => GenreMapping.FromJson(n, $"{origin}: labels").Map(Some),
            () => FinSucc(Option<GenreMapping>.None))
        from split in StageJson.Text(o, "split", origin).Bind(s => SplitOf(s, origin))
        from table in StageJson.Object(o, "training", origin)
        from training in table.Select(p => Json.Object(p.Value).ToFin(Damaged(origin, $"training.{p.Key} is not an object"))
                .Bind(s => SettingsOf(s, $"{origin}: training.{p.Key}")).Map(s => (p.Key, s)))
            .ToSeq().Sequence()
        select new Experiment(name, title, model, accuracy, authors)
        {
            Features = pipeline,
            Labels = labels,
            Split = split,
            Training = toHashMap(training),
        };

    static Fin<Learner> LearnerOf(JsonObject o, string at) =>
        StageJson.Text(o, "kind", at).Bind(kind => kind switch
        {
            "net" => SpecOf(o, at).Map(s => (Learner)new Learner.Net(s)),
            "ensemble" => from spec in SpecOf(o, at)
                          from k in StageJson.Int(o, "members", at)
                          from _ in k >= 2 ? FinSucc(unit) : Bad<Unit>(at, $"an ensemble needs at least 2 members, got {k}")
                          select (Learner)new Learner.Ensemble(spec, k),
            "trees" => StageJson.Array(o, "candidates", at)
                .Bind(a => a.Select((c, i) => Json.Object(c).ToFin(Damaged(at, $"candidates[{i}] is not an object"))
                    .Bind(x => GbdtOf(x, $"{at} candidates[{i}]"))).ToSeq().Sequence())
                .Map(c => (Learner)new Learner.Trees(c.Strict())),
            _ => Bad<Learner>(at, $"unknown model kind '{GenreError.Show(kind)}' (known: net, ensemble, trees)"),
        });

    static Fin<Sequential> SpecOf(JsonObject o, string at) => StageJson.Object(o, "spec", at).Bind(s => SpecJson.FromJson(s, at));

    /// <summary>A run's settings: epochs, batch size, seed, learning rate, and the decay and early stopping when set.</summary>
    public static JsonObject ToJson(Settings s)
    {
        var o = new JsonObject
        {
            ["epochs"] = s.Epochs,
            ["batch_size"] = s.BatchSize,
            ["seed"] = s.Seed,
            ["learning_rate"] = s.LearningRate,
        };
        switch (s.Decay.Case)
        {
            case CosineDecay d: o["cosine_decay_alpha"] = d.Alpha; break;
            case CosLog d: o["coslog_cycles"] = d.Cycles; break;
        }
        // only when set, so the settings of earlier runs read and write as they were
        if (s.Beta2 != 0.999) o["beta_2"] = s.Beta2;
        if (s.LabelSmoothing != 0) o["label_smoothing"] = s.LabelSmoothing;
        foreach (var e in s.EarlyStopping)
        {
            var stopping = new JsonObject
            {
                ["monitor"] = e.Monitor,
                ["patience"] = e.Patience,
                ["min_delta"] = e.MinDelta,
                ["restore_best_weights"] = e.RestoreBestWeights,
            };
            if (e.RestoreAtEnd) stopping["restore_at_end"] = true; // only when set, as beta_2 and label_smoothing
            o["early_stopping"] = stopping;
        }
        return o;
    }

    /// <summary>The settings in <paramref name="o"/> (as <see cref="ToJson(Settings)"/> writes them).</summary>
    public static Fin<Settings> SettingsOf(JsonObject o, string at) =>
        from epochs in StageJson.Int(o, "epochs", at)
        from batch in StageJson.Int(o, "batch_size", at)
        from seed in StageJson.Int(o, "seed", at)
        from rate in StageJson.Number(o, "learning_rate", at)
        from cosine in Json.Member(o, "cosine_decay_alpha").Match(
            _ => StageJson.Number(o, "cosine_decay_alpha", at).Map(a => Some((RateSchedule)new CosineDecay(a))),
            () => FinSucc(Option<RateSchedule>.None))
        from coslog in Json.Member(o, "coslog_cycles").Match(
            _ => StageJson.Int(o, "coslog_cycles", at).Map(n => Some((RateSchedule)new CosLog(n))),
            () => FinSucc(Option<RateSchedule>.None))
        from _s in cosine.IsSome && coslog.IsSome
            ? FinFail<Unit>(Damaged(at, "cosine_decay_alpha and coslog_cycles are two schedules: a run has one"))
            : FinSucc(unit)
        from beta2 in Json.Member(o, "beta_2").Match(_ => StageJson.Number(o, "beta_2", at), () => FinSucc(0.999))
        from smoothing in Json.Member(o, "label_smoothing").Match(_ => StageJson.Number(o, "label_smoothing", at), () => FinSucc(0.0))
        from stopping in Json.Member(o, "early_stopping").Match(
            _ => StageJson.Object(o, "early_stopping", at).Bind(e => StoppingOf(e, $"{at} early_stopping")).Map(Some),
            () => FinSucc(Option<EarlyStopping>.None))
        select new Settings(epochs, batch, seed, rate, stopping, cosine || coslog, beta2, smoothing);

    static Fin<EarlyStopping> StoppingOf(JsonObject o, string at) =>
        from monitor in StageJson.Text(o, "monitor", at)
        from patience in StageJson.Int(o, "patience", at)
        from delta in StageJson.Number(o, "min_delta", at)
        from restore in Json.Bool(o, "restore_best_weights").ToFin(Damaged(at, "restore_best_weights must be true or false"))
        from atEnd in Json.Member(o, "restore_at_end").Match(
            _ => Json.Bool(o, "restore_at_end").ToFin(Damaged(at, "restore_at_end must be true or false")), () => FinSucc(false))
        select new EarlyStopping(monitor, patience, delta, restore, atEnd);

    /// <summary>One LightGBM configuration as JSON.</summary>
    public static JsonObject ToJson(GbdtSettings s) => new()
    {
        ["learning_rate"] = s.LearningRate,
        ["leaves"] = s.Leaves,
        ["min_leaf"] = s.MinLeaf,
        ["max_rounds"] = s.MaxRounds,
        ["early_stop"] = s.EarlyStop,
    };

    /// <summary>The LightGBM configuration in <paramref name="o"/>.</summary>
    public static Fin<GbdtSettings> GbdtOf(JsonObject o, string at) =>
        from rate in StageJson.Number(o, "learning_rate", at)
        from leaves in StageJson.Int(o, "leaves", at)
        from minLeaf in StageJson.Int(o, "min_leaf", at)
        from rounds in StageJson.Int(o, "max_rounds", at)
        from stop in StageJson.Int(o, "early_stop", at)
        select new GbdtSettings(rate, leaves, minLeaf, rounds, stop);

    /// <summary>"report" or "track-aware".</summary>
    public static string SplitName(DataSplit split) => split switch
    {
        DataSplit.TrackAware => "track-aware",
        DataSplit.ArtistAware => "artist-aware",
        _ => "report",
    };

    /// <summary>The split <see cref="SplitName"/> calls <paramref name="name"/>; None for any other name.</summary>
    public static Option<DataSplit> SplitNamed(string name) => name switch
    {
        "report" => DataSplit.Report,
        "track-aware" => DataSplit.TrackAware,
        "artist-aware" => DataSplit.ArtistAware,
        _ => None,
    };

    static Fin<DataSplit> SplitOf(string name, string at) =>
        SplitNamed(name).Match(FinSucc,
            () => Bad<DataSplit>(at, $"unknown split '{GenreError.Show(name)}' (known: report, track-aware, artist-aware)"));

    static Fin<Option<A>> Nullable<A>(JsonObject o, string name, string at, Func<JsonNode, Option<A>> read, string what) =>
        o[name] is not JsonNode n
            ? FinSucc(Option<A>.None)
            : read(n).Map(Some).ToFin(Damaged(at, $"{name} must be {what}"));

    static LanguageExt.Common.Error Damaged(string at, string what) => GenreError.Model($"{at}: {what} — the file is damaged");

    static Fin<A> Bad<A>(string at, string what) => Damaged(at, what);
}
