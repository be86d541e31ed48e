using System.Text.Json.Nodes;
using Genre.Data;
using LanguageExt.Common;
using TorchSharp;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// Training checkpoints: weights, Adam's m, v and step, the history and the early-stopping state, in one checksummed
/// <see cref="TensorFile"/> named <c>epoch-NNNNN.ckpt</c>, written atomically; the two newest are kept. Resuming takes the
/// newest checkpoint that verifies: a damaged one is skipped with a warning (and renamed <c>….damaged</c>), so the one before
/// it — the reason two are kept — carries on. A checkpoint an earlier genre wrote (no checksums, or no training settings) is not
/// damage but refused (<see cref="EarlierFormat"/>) until <c>genre migrate</c> rewrites it.
/// </summary>
internal static class Checkpoints
{
    public const string DamagedSuffix = ".damaged";

    public static Fin<string> Write(string dir, TorchModel model, KerasAdam adam, TrainingState state, TrainingConfig config)
    {
        var epoch = state.History.Count;
        var path = Path.Combine(dir, $"epoch-{epoch:D5}.ckpt");
        using var scope = NewDisposeScope();
        var tensors = Named("p", model.Parameters).Concat(Named("m", adam.M)).Concat(Named("v", adam.V))
            .Concat(state.Early.Best.Map(ModelStore.Flatten).IfNone(Seq<NamedTensor>()).Map(t => t with { Name = "best/" + t.Name }))
                .ToList();
        var meta = new JsonObject
        {
            ["epoch"] = epoch,
            ["adam_step"] = adam.Step,
            ["model"] = SpecJson.ToJson(model.Spec),
            ["training"] = Training(config),
            ["history"] = new JsonArray(state.History.Map(h => (JsonNode)new JsonArray(
                h.Epoch, Json.Finite(h.Loss), Json.Finite(h.Accuracy), Json.Finite(h.ValLoss), Json.Finite(h.ValAccuracy), h.Seconds))
                    .ToArray()),
            ["early"] = new JsonObject
            {
                ["best"] = Json.Finite(state.Early.BestValue),
                ["best_epoch"] = state.Early.BestEpoch,
                ["wait"] = state.Early.Wait,
                ["stopped"] = state.Early.Stopped,
            },
        };
        return TensorFile.Write(path, meta, toSeq(tensors)).Map(_ =>
        {
            foreach (var old in List(dir).SkipLast(2)) File.Delete(old);
            return path;
        });
    }

    /// <summary>What must match for a resumed run to continue the same training (epochs may grow).</summary>
    internal static JsonObject Training(TrainingConfig c)
    {
        var t = new JsonObject
        {
            ["batch_size"] = c.BatchSize,
            ["seed"] = c.Seed,
            ["shuffle"] = c.Shuffle,
            ["learning_rate"] = c.Adam.LearningRate,
            ["beta_1"] = c.Adam.Beta1,
            ["beta_2"] = c.Adam.Beta2,
            ["epsilon"] = c.Adam.Epsilon,
        };
        // only when set, so checkpoints of constant-rate runs stay as they were; a decaying rate depends on the whole fit's length
        switch (c.Adam.Decay.Case)
        {
            case CosineDecay d: t["cosine_decay"] = new JsonObject { ["alpha"] = d.Alpha, ["epochs"] = c.Epochs }; break;
            case CosLog d: t["coslog"] = new JsonObject { ["cycles"] = d.Cycles, ["epochs"] = c.Epochs }; break;
        }
        if (c.LabelSmoothing != 0) t["label_smoothing"] = c.LabelSmoothing;
        return t;
    }

    static string Describe(JsonNode t) => GenreError.Show(
        $"batch {t["batch_size"]}, seed {t["seed"]}, Adam lr {t["learning_rate"]}" +
        (t["cosine_decay"] is JsonObject d ? $" with cosine decay to {d["alpha"]}× over {d["epochs"]} epochs" : "") +
        (t["coslog"] is JsonObject l ? $" with {l["cycles"]} coslog cycles over {l["epochs"]} epochs" : "") +
        (t["label_smoothing"] is JsonNode ls ? $", label smoothing {ls}" : "") +
        (Json.Bool(t, "shuffle") == Some(false) ? ", no shuffle" : ""), 200);

    /// <summary>When the descriptions read alike, the settings that differ: " (beta_2 0.998 there, 0.999 here)".</summary>
    static string Differences(JsonObject saved, JsonObject wanted)
    {
        if (Describe(saved) != Describe(wanted)) return "";
        var keys = saved.Select(p => p.Key).Union(wanted.Select(p => p.Key)).Where(k => !JsonNode.DeepEquals(saved[k], wanted[k]));
        return GenreError.Show(" (" + string.Join("; ", keys.Select(k =>
            $"{k} {saved[k]?.ToJsonString() ?? "absent"} there, {wanted[k]?.ToJsonString() ?? "absent"} here")) + ")", 200);
    }

    static IEnumerable<NamedTensor> Named(string prefix, IEnumerable<Tensor> ts) =>
        ts.Select((t, i) => new NamedTensor($"{prefix}/{i}", toSeq(t.shape.Select(d => (int)d)).Strict(),
            t.detach().contiguous().data<float>().ToArray()));

    public static IEnumerable<string> List(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, "epoch-*.ckpt").OrderBy(p => p, StringComparer.Ordinal) : [];

    public static Option<string> Latest(string dir) => List(dir).LastOrDefault() is { } p ? Some(p) : None;

    /// <summary>
    /// Restores the newest checkpoint that verifies into the model and optimizer; None when there is none yet. Damaged ones
    /// before it are reported (<see cref="CheckpointSkipped"/>) and renamed; when none verifies, the error names the newest's
    /// damage. A checkpoint of another model is an error; one written with other training settings is an error, or, under
    /// <see cref="CheckpointPolicy.RestartOnOtherSettings"/>, deleted (with the others in the folder) so training starts again.
    /// A checkpoint an earlier genre wrote is an error naming it and <c>genre migrate</c>.
    /// </summary>
    public static Fin<Option<TrainingState>> RestoreLatest(CheckpointPolicy policy, TorchModel model, KerasAdam adam, TrainingConfig config,
                                                           IProgress<TrainingEvent>? progress)
    {
        var candidates = List(policy.Directory).Reverse().ToList();
        if (candidates.Count == 0) return FinSucc(Option<TrainingState>.None);
        var damaged = new List<(string Path, Error Why)>();
        foreach (var path in candidates)
        {
            var read = TensorFile.Read(path);
            if (read.Case is Error { } unread)
            {
                if (EarlierFormat.Is(unread)) return unread; // whole but old: skipping it would train again from scratch
                damaged.Add((path, unread));
                continue;
            }
            var file = (TensorFileContent)read;
            if (Foreign(path, file.Meta, model).Case is Error foreign) return foreign;
            if (file.Meta["training"] is not JsonObject saved) return EarlierFormat.Refused(path, "has no training settings");
            var wanted = Training(config);
            if (!JsonNode.DeepEquals(saved, wanted))
            {
                if (!policy.RestartOnOtherSettings)
                    return GenreError.Usage(
                        $"{path}: checkpoint was written with {Describe(saved)}; this run uses " +
                            $"{Describe(wanted)}{Differences(saved, wanted)} — use the same settings, another --out, or delete the " +
                                $"checkpoints");
                foreach (var stale in List(policy.Directory)) File.Delete(stale);
                return FinSucc(Option<TrainingState>.None);
            }
            var parsed = Parse(path, file, model);
            if (parsed.IsFail)
            {
                damaged.Add((path, (Error)parsed));
                continue;
            }
            foreach (var (skipped, why) in damaged)
            {
                var kept = SetAside(skipped);
                progress?.Report(new CheckpointSkipped(skipped, why.Message, path, kept));
            }
            return FinSucc(Some(Restore((Saved)parsed, model, adam)));
        }
        return GenreError.Model(damaged.Count == 1
            ? $"no checkpoint to resume from: {damaged[0].Why.Message}"
            : $"none of the {damaged.Count} checkpoints in {policy.Directory} verifies; the newest: {damaged[0].Why.Message}");
    }

    /// <summary>Renames a damaged checkpoint out of the way (kept for inspection); the new name, or None when that failed.</summary>
    static Option<string> SetAside(string path)
    {
        try
        {
            File.Move(path, path + DamagedSuffix, overwrite: true);
            return path + DamagedSuffix;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return None; }
    }

    /// <summary>A readable checkpoint of another model: an error of its own, not damage.</summary>
    static Option<Error> Foreign(string path, JsonObject meta, TorchModel model)
    {
        if (meta["model"] is not JsonObject saved || saved.ToJsonString() == SpecJson.ToJson(model.Spec).ToJsonString()) return None;
        var name = Json.String(saved, "name").IfNone("?");
        return GenreError.Model(name == model.Spec.Name
            ? $"{path}: checkpoint is for another {model.Spec.Name} (its layers differ from this one's); use another --out or delete it"
            : $"{path}: checkpoint is for model {GenreError.Show(name)}, not {model.Spec.Name} (a different spec); use another --out or " +
                $"delete it");
    }

    /// <summary>What a checkpoint holds, checked against the model; any failure is damage.</summary>
    sealed record Saved(long AdamStep, Seq<EpochMetrics> History, EarlyState Early, Dictionary<string, NamedTensor> Tensors);

    static Fin<Saved> Parse(string path, TensorFileContent file, TorchModel model)
    {
        LanguageExt.Common.Error Damaged(string what) => GenreError.Model($"{path}: {what} — the checkpoint is damaged");
        var meta = file.Meta;
        var byName = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
        foreach (var t in file.Tensors) byName[t.Name] = t;
        var n = model.Parameters.Length;
        foreach (var prefix in new[] { "p", "m", "v" })
            for (var i = 0; i < n; i++)
                if (!byName.TryGetValue($"{prefix}/{i}", out var t) || t.Values.Length != model.Parameters[i].numel())
                    return Damaged($"tensor {prefix}/{i} is missing or does not match model {model.Spec.Name}");
                else if (!ModelStore.AllFinite(t.Values))
                    return Damaged($"tensor {prefix}/{i} holds a value that is not a finite number");
        var best = toSeq(file.Tensors.Filter(t => t.Name.StartsWith("best/")).Map(t => t with { Name = t.Name[5..] })).Strict();
        return from step in Json.Long(meta, "adam_step").Filter(s => s >= 0).ToFin(Damaged("no Adam step count"))
               from entries in Json.Array(meta, "history").ToFin(Damaged("no history"))
               from history in entries.Select(EpochOf).ToSeq().Sequence().ToFin(Damaged("a history entry is malformed"))
               from early in Json.Object(meta, "early").ToFin(Damaged("no early-stopping state"))
               from bestEpoch in Json.Int(early, "best_epoch").ToFin(Damaged("no early-stopping best epoch"))
               from wait in Json.Int(early, "wait").ToFin(Damaged("no early-stopping wait"))
               from stopped in Json.Bool(early, "stopped").ToFin(Damaged("no early-stopping flag"))
               from bestWeights in best.IsEmpty
                   ? FinSucc(Option<ModelWeights>.None)
                   : ModelStore.Unflatten(model.Spec, best, path).Bind(w => ModelStore.Finite(w, path)).Map(Some)
                       .MapError(e => Damaged($"the best weights do not fit ({e.Message})"))
               let bestValue = Json.Double(early, "best").IfNone(double.PositiveInfinity)
               select new Saved(step, history.Strict(), new EarlyState(bestValue, bestEpoch, wait, bestWeights) { Stopped = stopped },
                   byName);
    }

    /// <summary>[epoch, loss, accuracy, val_loss|null, val_accuracy|null, seconds].</summary>
    static Option<EpochMetrics> EpochOf(JsonNode? entry) =>
        entry is JsonArray { Count: 6 } a
            ? from epoch in Json.Int(a[0])
              from loss in Json.Double(a[1])
              from accuracy in Json.Double(a[2])
              from seconds in Json.Double(a[5])
              select new EpochMetrics(epoch, loss, accuracy, Json.Double(a[3]).IfNone(double.NaN), Json.Double(a[4]).IfNone(double.NaN),
                  seconds)
            : None;

    static TrainingState Restore(Saved saved, TorchModel model, KerasAdam adam)
    {
        using (no_grad())
            for (var i = 0; i < model.Parameters.Length; i++)
            {
                Copy(model.Parameters[i], saved.Tensors[$"p/{i}"]);
                Copy(adam.M[i], saved.Tensors[$"m/{i}"]);
                Copy(adam.V[i], saved.Tensors[$"v/{i}"]);
            }
        adam.Step = saved.AdamStep;
        return new TrainingState(saved.History, saved.Early);
    }

    static void Copy(Tensor target, NamedTensor source)
    {
        using var t = tensor(source.Values, target.shape);
        target.copy_(t);
    }
}
