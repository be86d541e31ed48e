using Genre.Data;
using Genre.Data.Stages;
using Google.Protobuf;

namespace Genre.Models.Onnx;

/// <summary>
/// A model as an ONNX graph (opset 17), built as protobuf messages from the committed <c>onnx.proto3</c>. Input
/// <see cref="InputName"/>: float32 [N, features], what the model reads (already preprocessed) — or, when a fitted pipeline is put
/// in the graph (<see cref="StageLowering"/>), float64 [N, 15]: the raw features in the report's order with <c>explicit</c> as 0/1,
/// preprocessed in float64 as genre does, then cast to float32 for the model. Sequence models reshape it to [N, T, F] (the Keras input) and
/// run time-major
/// inside the graph. Output <see cref="OutputName"/>: float32 [N, classes], the softmax. Each layer's nodes come from its entry in
/// <see cref="OnnxLayers"/>, as its TorchSharp code comes from <c>TorchLayers</c>: this file knows no layer kind.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX opset the graph imports (default domain).</summary>
    public const long Opset = 17;
    /// <summary>The file's ONNX IR version: 8, the one of opset 17 (ONNX 1.12).</summary>
    public const long IrVersion = 8;
    /// <summary>The graph input's name: float32 [N, features].</summary>
    public const string InputName = "features";
    /// <summary>The graph output's name: float32 [N, classes], each row a softmax.</summary>
    public const string OutputName = "probabilities";

    /// <summary>The serialized model. <paramref name="preprocessing"/>, when given, is the graph's first part (inputs are then raw
    /// features).</summary>
    public static Fin<byte[]> ToBytes(Sequential spec, ModelWeights weights, Option<FittedPipeline> preprocessing,
                                      Seq<(string Key, string Value)> metadata = default) =>
        Build(spec, weights, preprocessing, metadata).Map(m => m.ToByteArray());

    /// <summary>
    /// Writes <see cref="ToBytes"/>'s model to <paramref name="path"/> atomically. A model error when the spec is invalid, does
    /// not end in a softmax Dense, or disagrees with the weights or the scaler; an I/O error when the file cannot be written.
    /// </summary>
    public static Fin<Unit> Save(string path, Sequential spec, ModelWeights weights, Option<FittedPipeline> preprocessing,
                                 Seq<(string Key, string Value)> metadata = default) =>
        ToBytes(spec, weights, preprocessing, metadata).Bind(bytes => AtomicFile.WriteAllBytes(path, bytes));

    internal static Fin<global::Onnx.ModelProto> Build(Sequential spec, ModelWeights weights, Option<FittedPipeline> preprocessing,
                                                       Seq<(string Key, string Value)> metadata) =>
        from valid in SpecValidation.ValidateFin(spec)
        from classes in valid.OutputLayer("ONNX export")
        from _ in valid.CheckWeights(weights)
        from model in Model(valid, weights, preprocessing, classes, metadata)
        select model;

    /// <summary>
    /// A fitted pipeline alone as an ONNX graph (for checking a stage's lowering against its <c>Transform</c>): input
    /// <see cref="InputName"/> float64 [N, <paramref name="inputColumns"/>], output <c>transformed</c> float64 [N, k]. A stage with no
    /// lowering is a usage error naming it.
    /// </summary>
    public static Fin<byte[]> PipelineToBytes(FittedPipeline pipeline, Seq<string> inputColumns)
    {
        var g = new OnnxGraph("pipeline");
        return StageLowering.Lower(g, pipeline, new StageLowering.Columns(InputName, inputColumns)).Map(c =>
            {
                g.Node("Identity", [c.Tensor], output: "transformed");
                var model = new global::Onnx.ModelProto
                {
                    IrVersion = IrVersion,
                    ProducerName = "genre",
                    ProducerVersion = "1",
                    Graph = g.PipelineGraph(inputColumns.Count, "transformed", c.Names.Count),
                };
                model.OpsetImport.Add(new global::Onnx.OperatorSetIdProto { Domain = "", Version = Opset });
                return model.ToByteArray();
            });
    }

    static Fin<global::Onnx.ModelProto> Model(Sequential spec, ModelWeights weights, Option<FittedPipeline> preprocessing, int classes,
                                              Seq<(string Key, string Value)> metadata)
    {
        var g = new OnnxGraph(spec.Name);
        var features = Shapes.Features(spec.InputShape);
        var h = InputName;
        var inputs = features;
        if (preprocessing.Case is FittedPipeline p)
        {
            var lowered = StageLowering.Lower(g, p, new StageLowering.Columns(InputName, Track.FeatureColumns));
            if (lowered.Case is LanguageExt.Common.Error e) return e;
            var columns = (StageLowering.Columns)lowered;
            if (columns.Names.Count != features)
                return GenreError.Model($"{spec.Name}: the pipeline writes {columns.Names.Count} columns, the model takes {features}");
            // the pipeline runs in float64, as genre's does (a quantile map jumps at tied values, which float32 would miss)
            (h, inputs) = (g.NodeWith("Cast", [columns.Tensor], ("to", 1)), Track.FeatureColumns.Count);
        }
        if (spec.InputShape.Count == 2)
        {
            h = g.Node("Reshape", [h, g.Int64s("sequence_shape", [-1, spec.InputShape[0], spec.InputShape[1]], [3])]);
            // (N, T, F) → (T, N, F): ONNX LSTM's layout 0; a Dense between LSTMs works per time step in this layout too
            h = g.Node("Transpose", [h], perm: [1, 0, 2]);
        }
        var byLayer = weights.Layers.ToDictionary(l => l.LayerIndex, l =>
            (IReadOnlyDictionary<string, NamedTensor>)l.Tensors.ToDictionary(t => t.Name));
        var none = new Dictionary<string, NamedTensor>();
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var at = new OnnxLayer(g, i, byLayer.GetValueOrDefault(i, none), i == spec.Layers.Count - 1 ? OutputName : null);
            h = OnnxLayers.Of(layer).Lower(layer, h, at);
        }
        // the final Dense(softmax) has a 2-D input (checked in Build), so no time-major tensor reaches the output
        var graph = g.Graph(inputs, classes, doubleInput: preprocessing.IsSome);
        var model = new global::Onnx.ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "genre",
            ProducerVersion = "1",
            Graph = graph,
            DocString = $"{spec.Name}: {InputName} float32 [N, {inputs}] " +
                        (preprocessing.IsSome ? "raw (the fitted pipeline in the graph)" : "already preprocessed") +
                        $" → {OutputName} float32 [N, {classes}]",
        };
        model.OpsetImport.Add(new global::Onnx.OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (k, v) in metadata) model.MetadataProps.Add(new global::Onnx.StringStringEntryProto { Key = k, Value = v });
        return model;
    }
}
