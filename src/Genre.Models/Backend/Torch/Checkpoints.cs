using System.Text.Json.Nodes;
using Genre.Data;
using LanguageExt;
using TorchSharp;
using static LanguageExt.Prelude;
using static TorchSharp.torch;

namespace Genre.Models.Backend.Torch;

/// <summary>
/// Training checkpoints: weights, Adam's m, v and step, the history and the early-stopping state, in one
/// <see cref="TensorFile"/> named <c>epoch-NNNNN.ckpt</c>, written atomically; the two newest are kept.
/// </summary>
internal static class Checkpoints
{
    public static Fin<string> Write(string dir, TorchModel model, KerasAdam adam, TrainingState state, TrainingConfig config)
    {
        var epoch = state.History.Count;
        var path = Path.Combine(dir, $"epoch-{epoch:D5}.ckpt");
        var tensors = Named("p", model.Parameters).Concat(Named("m", adam.M)).Concat(Named("v", adam.V))
            .Concat(state.Early.Best.Map(ModelStore.Flatten).IfNone(Seq<NamedTensor>()).Map(t => t with { Name = "best/" + t.Name }));
        var meta = new JsonObject
        {
            ["epoch"] = epoch, ["adam_step"] = adam.Step, ["model"] = SpecJson.ToJson(model.Spec), ["training"] = Training(config),
            ["history"] = new JsonArray(state.History.Map(h => (JsonNode)new JsonArray(h.Epoch, h.Loss, h.Accuracy, Num(h.ValLoss), Num(h.ValAccuracy), h.Seconds)).ToArray()),
            ["early"] = new JsonObject { ["best"] = Num(state.Early.BestValue), ["best_epoch"] = state.Early.BestEpoch, ["wait"] = state.Early.Wait, ["stopped"] = state.Early.Stopped },
        };
        return TensorFile.Write(path, meta, toSeq(tensors)).Map(_ =>
        {
            foreach (var old in List(dir).SkipLast(2)) File.Delete(old);
            return path;
        });
    }

    /// <summary>What must match for a resumed run to continue the same training (epochs may grow).</summary>
    static JsonObject Training(TrainingConfig c)
    {
        var t = new JsonObject
        {
            ["batch_size"] = c.BatchSize, ["seed"] = c.Seed, ["shuffle"] = c.Shuffle,
            ["learning_rate"] = c.Adam.LearningRate, ["beta_1"] = c.Adam.Beta1, ["beta_2"] = c.Adam.Beta2, ["epsilon"] = c.Adam.Epsilon,
        };
        // only when set, so checkpoints of constant-rate runs stay as they were; a decaying rate depends on the whole fit's length
        foreach (var d in c.Adam.Decay) t["cosine_decay"] = new JsonObject { ["alpha"] = d.Alpha, ["epochs"] = c.Epochs };
        return t;
    }

    static string Describe(JsonNode t) =>
        $"batch {t["batch_size"]}, seed {t["seed"]}, Adam lr {t["learning_rate"]}" +
        (t["cosine_decay"] is JsonObject d ? $" with cosine decay to {d["alpha"]}× over {d["epochs"]} epochs" : "") +
        (t["shuffle"]?.GetValue<bool>() == false ? ", no shuffle" : "");

    static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;
    static double Num(JsonNode? n) => n is null ? double.NaN : n.GetValue<double>();

    static IEnumerable<NamedTensor> Named(string prefix, IEnumerable<Tensor> ts) =>
        ts.Select((t, i) => new NamedTensor($"{prefix}/{i}", toSeq(t.shape.Select(d => (int)d)).Strict(), t.detach().contiguous().data<float>().ToArray()));

    public static IEnumerable<string> List(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, "epoch-*.ckpt").OrderBy(p => p, StringComparer.Ordinal) : [];

    public static Option<string> Latest(string dir) => List(dir).LastOrDefault() is { } p ? Some(p) : None;

    /// <summary>
    /// Restores the newest checkpoint into the model and optimizer; None when there is none yet. A checkpoint written with
    /// other training settings is an error, or, under <see cref="CheckpointPolicy.RestartOnOtherSettings"/>, deleted (with
    /// the others in the folder) so training starts again. Checkpoints from before settings were recorded are accepted.
    /// </summary>
    public static Fin<Option<TrainingState>> RestoreLatest(CheckpointPolicy policy, TorchModel model, KerasAdam adam, TrainingConfig config)
    {
        if (Latest(policy.Directory).Case is not string path) return FinSucc(Option<TrainingState>.None);
        return TensorFile.Read(path).Bind(file =>
        {
            var wanted = Training(config);
            if (file.Meta["training"] is JsonObject saved && !JsonNode.DeepEquals(saved, wanted))
            {
                if (!policy.RestartOnOtherSettings)
                    return GenreError.Usage($"{path}: checkpoint was written with {Describe(saved)}; this run uses {Describe(wanted)} — use the same settings, another --out, or delete the checkpoints");
                foreach (var stale in List(policy.Directory)) File.Delete(stale);
                return FinSucc(Option<TrainingState>.None);
            }
            try { return Restore(path, file.Meta, file.Tensors, model, adam); }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or NullReferenceException or FormatException or ArgumentException)
            {
                return GenreError.Model($"{path}: corrupt checkpoint ({e.Message.Split('\n')[0]})");
            }
        });
    }

    static Fin<Option<TrainingState>> Restore(string path, JsonObject meta, Seq<NamedTensor> tensors, TorchModel model, KerasAdam adam)
    {
        var saved = meta["model"]?.AsObject();
        if (saved is null || saved.ToJsonString() != SpecJson.ToJson(model.Spec).ToJsonString())
            return FinFail<Option<TrainingState>>(GenreError.Model($"{path}: checkpoint is for model {saved?["name"]?.ToString() ?? "?"}, not {model.Spec.Name} (a different spec); use another --out or delete it"));
        var byName = tensors.ToDictionary(t => t.Name);
        var n = model.Parameters.Length;
        if (!Enumerable.Range(0, n).All(i => Matches(byName, $"p/{i}", model.Parameters[i]) && Matches(byName, $"m/{i}", model.Parameters[i]) && Matches(byName, $"v/{i}", model.Parameters[i])))
            return FinFail<Option<TrainingState>>(GenreError.Model($"{path}: checkpoint tensors do not match model {model.Spec.Name}"));
        using (no_grad())
            for (var i = 0; i < n; i++)
            {
                Copy(model.Parameters[i], byName[$"p/{i}"]);
                Copy(adam.M[i], byName[$"m/{i}"]);
                Copy(adam.V[i], byName[$"v/{i}"]);
            }
        adam.Step = meta["adam_step"]!.GetValue<long>();
        var history = toSeq(meta["history"]!.AsArray().Select(h => h!.AsArray()).Select(a => new EpochMetrics(
            a[0]!.GetValue<int>(), a[1]!.GetValue<double>(), a[2]!.GetValue<double>(), Num(a[3]), Num(a[4]), a[5]!.GetValue<double>()))).Strict();
        var e = meta["early"]!.AsObject();
        var bestTensors = toSeq(tensors.Filter(t => t.Name.StartsWith("best/")).Map(t => t with { Name = t.Name[5..] })).Strict();
        var best = bestTensors.IsEmpty ? None : ModelStore.Unflatten(model.Spec, bestTensors, path).ToOption();
        var early = new EarlyState(Num(e["best"]) is var b && double.IsNaN(b) ? double.PositiveInfinity : b, e["best_epoch"]!.GetValue<int>(),
            e["wait"]!.GetValue<int>(), best) { Stopped = e["stopped"]!.GetValue<bool>() };
        return FinSucc(Some(new TrainingState(history, early)));
    }

    static bool Matches(Dictionary<string, NamedTensor> byName, string name, Tensor parameter) =>
        byName.TryGetValue(name, out var t) && t.Values.Length == parameter.numel();

    static void Copy(Tensor target, NamedTensor source)
    {
        using var t = tensor(source.Values, target.shape);
        target.copy_(t);
    }
}
