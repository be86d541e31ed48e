using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;
using Genre.Models.Onnx;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre export --onnx OUT.onnx --model-dir DIR | --saved-model DIR [--with-preprocessing] [--reduced] [--fit-data PATH]</c>: the
/// model as an ONNX graph (opset 17) — input <c>features</c> float32 [N, width], what the model reads (already preprocessed); with
/// <c>--with-preprocessing</c> (older name <c>--with-scaler</c>) every fitted stage of the model's pipeline is in the graph and the
/// input is the 15 raw features in the report's order, <c>explicit</c> as 0/1. Output <c>probabilities</c> float32 [N, classes]. From
/// a TF2 SavedModel this converts without TensorFlow. The genre names and the input's columns go in the model's metadata when known.
/// </summary>
public static class ExportCommand
{
    public static readonly Verb Verb = new(
        "export", "write a model as ONNX", ModelSources.Options + Seq(
            Opt.Valued("onnx", "OUT.onnx", "the ONNX file to write"),
            Opt.Flag("with-preprocessing", "put the model's fitted pipeline in the graph (input: the 15 raw features)"),
            Opt.Flag("with-scaler", "the older name of --with-preprocessing")), Run);

    static Fin<int> Run(Args a) =>
        from output in a.Get("onnx").ToFin(GenreError.Usage("export: --onnx OUT.onnx is required"))
        let inGraph = a.Flag("with-preprocessing") || a.Flag("with-scaler")
        from model in inGraph
            ? ModelSources.Resolve(a, "export").Map(m => (m.Spec, m.Weights, Preprocessing: Some(m.Preprocessing)))
            : ModelSources.Stored(a, "export").Map(m => (m.Spec, m.Weights, m.Preprocessing))
        let pipeline = inGraph ? model.Preprocessing.Map(p => p.Pipeline) : None
        from _ in OnnxExport.Save(output, model.Spec, model.Weights, pipeline, Metadata(model.Preprocessing, pipeline.IsSome))
        select Report(model.Spec, output, pipeline.IsSome);

    /// <summary>What a user of the file needs to know: the input's columns and form, and the classes' names when known.</summary>
    static Seq<(string, string)> Metadata(Option<Preprocessing> p, bool inGraph) =>
        Seq(("genre.features", new JsonArray(Track.FeatureColumns.Map(f => (JsonNode)f).ToArray()).ToJsonString()),
            ("genre.input", inGraph ? "raw features (the fitted pipeline in the graph; explicit as 0/1)"
                : "features after the model's fitted pipeline (preprocessing.json)"))
        .Concat(p.Map(x => ("genre.pipeline", x.Pipeline.Declared.ToJson().ToJsonString())).ToSeq())
        .Concat(p.Map(x => ("genre.genres", new JsonArray(x.Genres.Classes.Map(g => (JsonNode)g).ToArray()).ToJsonString())).ToSeq())
        .Strict();

    static int Report(Sequential spec, string output, bool inGraph)
    {
        var width = inGraph ? Track.FeatureColumns.Count : Shapes.Features(spec.InputShape);
        Console.WriteLine($"{spec.Name}: ONNX opset {OnnxExport.Opset} written to {output} (input '{OnnxExport.InputName}' [N, {width}] " +
                          (inGraph ? "raw" : "already preprocessed") + $", output '{OnnxExport.OutputName}' [N, " +
                              $"{spec.Classes().IfNone(0)}])");
        return 0;
    }
}
