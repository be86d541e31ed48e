using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;
using Genre.Models.Onnx;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre export --onnx OUT.onnx --model-dir DIR | --saved-model DIR [--with-scaler] [--reduced] [--fit-data PATH]</c>: the
/// model as an ONNX graph (opset 17) — input <c>features</c> float32 [N, 15] in the report's order, already scaled (raw with
/// <c>--with-scaler</c>, which puts the fitted MinMaxScaler in the graph), output <c>probabilities</c> float32 [N, classes]. From a
/// TF2 SavedModel this converts without TensorFlow. The genre names and feature order go in the model's metadata when known.
/// </summary>
public static class ExportCommand
{
    public static readonly Verb Verb = new("export", "write a model as ONNX (--onnx OUT.onnx, --model-dir DIR | --saved-model DIR, --with-scaler)", Run);

    const string EncodedInput =
        "reads the tabular encoding after the scaler, which the ONNX graph does not hold; export without it and apply preprocessing.json";

    static Fin<int> Run(Args args) =>
        from a in args.Only([.. ModelSources.Options, "onnx", "with-scaler"])
        from output in a.Get("onnx").ToFin(GenreError.Usage("export: --onnx OUT.onnx is required"))
        from model in a.Flag("with-scaler")
            ? ModelSources.Resolve(a, "export").Map(m => (m.Spec, m.Weights, Preprocessing: Some(m.Preprocessing)))
            : ModelSources.Stored(a, "export").Map(m => (m.Spec, m.Weights, m.Preprocessing))
        from _e in a.Flag("with-scaler") && model.Preprocessing.Exists(p => p.Encoding.IsSome)
            ? FinFail<Unit>(GenreError.Usage($"export: --with-scaler: {model.Spec.Name} {EncodedInput}"))
            : FinSucc(unit)
        let scaler = a.Flag("with-scaler") ? model.Preprocessing.Map(p => p.Scaler) : None
        from _ in OnnxExport.Save(output, model.Spec, model.Weights, scaler, Metadata(model.Preprocessing, scaler.IsSome))
        select Report(model.Spec, output, scaler.IsSome);

    /// <summary>What a user of the file needs to know: the input's feature order and form, and the classes' names when known.</summary>
    static Seq<(string, string)> Metadata(Option<Preprocessing> p, bool withScaler) =>
        Seq(("genre.features", new JsonArray(Track.FeatureColumns.Map(f => (JsonNode)f).ToArray()).ToJsonString()),
            ("genre.input", withScaler ? "raw features (MinMaxScaler in the graph)"
                : p.Exists(x => x.Encoding.IsSome) ? "features scaled by the MinMaxScaler, then tabular-encoded (preprocessing.json)"
                : "features scaled by the model's MinMaxScaler"))
        .Concat(p.Map(x => ("genre.genres", new JsonArray(x.Genres.Classes.Map(g => (JsonNode)g).ToArray()).ToJsonString())).ToSeq())
        .Strict();

    static int Report(Sequential spec, string output, bool withScaler)
    {
        Console.WriteLine($"{spec.Name}: ONNX opset {OnnxExport.Opset} written to {output} (input '{OnnxExport.InputName}' [N, {Shapes.Features(spec.InputShape)}] " +
                          (withScaler ? "raw" : "already scaled") + $", output '{OnnxExport.OutputName}' [N, {(spec.Layers.Last as Dense)?.Units}])");
        return 0;
    }
}
