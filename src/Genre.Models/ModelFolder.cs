using Genre.Data;
using Genre.Models.Import;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Models;

/// <summary>A model as read from disk: spec, weights, and — when the folder has it — the preprocessing it was trained with.</summary>
public sealed record StoredModel(Sequential Spec, ModelWeights Weights, Option<Preprocessing> Preprocessing);

/// <summary>A model ready to classify raw tracks: its spec, weights and preprocessing.</summary>
public sealed record PortableModel(Sequential Spec, ModelWeights Weights, Preprocessing Preprocessing);

/// <summary>
/// A self-contained model folder: <c>model.json</c> and the weights (<see cref="ModelStore"/>) plus
/// <c>preprocessing.json</c> (<see cref="Data.Preprocessing"/>), so the folder alone classifies tracks. Every file is
/// written atomically. Folders written before the preprocessing was saved still load (without it).
/// </summary>
public static class ModelFolder
{
    public static Fin<Unit> Save(string dir, Sequential spec, ModelWeights weights, Option<Preprocessing> preprocessing) =>
        from _1 in preprocessing.Match(p => p.Save(dir), () => FinSucc(unit))
        from _2 in ModelStore.Save(dir, spec, weights)
        select unit;

    public static Fin<StoredModel> Load(string dir) =>
        from stored in ModelStore.Load(dir)
        from preprocessing in Preprocessing.LoadIfPresent(dir)
        from _ in preprocessing.Match(p => Matches(stored.Spec, p, Path.Combine(dir, Preprocessing.FileName)), () => FinSucc(unit))
        select new StoredModel(stored.Spec, stored.Weights, preprocessing);

    /// <summary>A folder written by <c>genre train</c> (it has <c>model.json</c>) or a TF2 SavedModel (no preprocessing).</summary>
    public static Fin<StoredModel> LoadAny(string dir)
    {
        if (!Directory.Exists(dir)) return GenreError.Io($"{dir}: model folder not found");
        if (File.Exists(Path.Combine(dir, "model.json"))) return Load(dir);
        if (File.Exists(Path.Combine(dir, "keras_metadata.pb")) || File.Exists(Path.Combine(dir, "saved_model.pb")))
            return SavedModel.Load(dir).Map(m => new StoredModel(m.Spec, m.Weights, None));
        return GenreError.Model($"{dir}: neither a model folder (model.json) nor a TF2 SavedModel (keras_metadata.pb)");
    }

    /// <summary>The preprocessing's genres are the model's outputs, one for one.</summary>
    public static Fin<Unit> Matches(Sequential spec, Preprocessing p, string origin) =>
        spec.Layers.Last is Dense d && d.Units == p.Genres.Count
            ? FinSucc(unit)
            : GenreError.Model($"{origin}: {p.Genres.Count} genres, but model {spec.Name} predicts {(spec.Layers.Last as Dense)?.Units} classes");
}
