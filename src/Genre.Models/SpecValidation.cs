using Genre.Data;
using LanguageExt.Common;

namespace Genre.Models;

/// <summary>Checks a <see cref="Sequential"/> before any backend sees it: every problem, each naming the layer.</summary>
public static class SpecValidation
{
    /// <summary>Largest size of any axis or layer: far beyond the report's models, small enough that no weight count overflows.</summary>
    public const int MaxSize = 1 << 20;

    /// <summary>
    /// The model unchanged, or every problem found (model errors naming the layer): empty or non-positive input shape, no
    /// layers, a layer's own settings out of range (its kind's problems: units ≤ 0 or above <see cref="MaxSize"/>, a dropout rate
    /// outside [0, 1), …), and — when those pass — shapes that do not chain (or a layer no kind describes).
    /// </summary>
    public static Validation<Error, Sequential> Validate(Sequential model)
    {
        var errors = new List<Error>();
        if (model.InputShape.IsEmpty || model.InputShape.Exists(d => d <= 0))
            errors.Add(GenreError.Model(
                $"{model.Name}: input shape must be non-empty with positive sizes, got ({string.Join(", ", model.InputShape)})"));
        else if (model.InputShape.Exists(d => d > MaxSize))
            errors.Add(GenreError.Model(
                $"{model.Name}: input sizes must be at most {MaxSize:N0}, got ({string.Join(", ", model.InputShape)})"));
        if (model.Layers.IsEmpty) errors.Add(GenreError.Model($"{model.Name}: has no layers"));
        for (var i = 0; i < model.Layers.Count; i++)
        {
            var (layer, where) = (model.Layers[i], $"{model.Name}: layer {i} ({Shapes.LayerType(model.Layers[i])})");
            foreach (var problem in LayerKinds.Find(layer).Map(kind => kind.Problems(layer)).IfNone(Seq<string>()))
                errors.Add(GenreError.Model($"{where}: {problem}"));
        }
        if (errors.Count == 0)
            Shapes.Infer(model).IfFail(e => errors.Add(GenreError.Model($"{model.Name}: {e.Message}")));
        return errors.Count == 0 ? Success<Error, Sequential>(model) : Fail<Error, Sequential>(toSeq(errors));
    }

    /// <summary><see cref="Validate"/> as a <see cref="Fin{A}"/>: several problems become one error holding them all.</summary>
    public static Fin<Sequential> ValidateFin(Sequential model) => ReportPipeline.ToFin(Validate(model));

    /// <summary>As <see cref="ValidateFin(Sequential)"/>, each error starting with <paramref name="origin"/> (the file the spec came
    /// from).</summary>
    public static Fin<Sequential> ValidateFin(Sequential model, string origin) =>
        ReportPipeline.ToFin(Validate(model).MapFail(e => GenreError.Model($"{origin}: {e.Message}")));

    /// <summary>
    /// The model reads rows of <paramref name="features"/> values (e.g. (15) or (15, 1) for the data's 15 features);
    /// <paramref name="origin"/> (where the model came from) names it in the error.
    /// </summary>
    public static Fin<Sequential> AcceptsFeatures(Sequential model, int features, string origin) =>
        model.InputShape.Fold(1L, (a, d) => a * d) == features
            ? FinSucc(model)
            : FinFail<Sequential>(
                GenreError.Model($"{origin}: the model reads inputs of shape ({string.Join(", ", model.InputShape)}) but the data has " +
                    $"{features} features"));
}
