namespace Genre.Models.Onnx;

/// <summary>
/// The ONNX nodes of one layer kind at inference: the counterpart of <c>ITorchLayer</c> for the export, so a layer kind
/// (<see cref="LayerKinds"/>) holds no backend or file-format code. To add a layer, implement it and list it in
/// <see cref="OnnxLayers.All"/>.
/// </summary>
internal interface IOnnxLayer<TLayer> where TLayer : Layer
{
    /// <summary>Adds the layer's nodes to <paramref name="at"/>'s graph after <paramref name="input"/>; the name of its output
    /// (<see cref="OnnxLayer.Output"/> when the layer is the model's last).</summary>
    static abstract string Lower(TLayer layer, string input, OnnxLayer at);
}

/// <summary>An <see cref="IOnnxLayer{TLayer}"/> for any <see cref="Layer"/>: what <see cref="OnnxLayers"/> holds.</summary>
internal sealed record OnnxLayerCode(Type Type, Func<Layer, string, OnnxLayer, string> Lower)
{
    /// <summary>The ONNX lowering <typeparamref name="TOnnx"/> of layer <typeparamref name="TLayer"/>.</summary>
    public static OnnxLayerCode Of<TOnnx, TLayer>() where TOnnx : IOnnxLayer<TLayer> where TLayer : Layer =>
        new(typeof(TLayer), (l, input, at) => TOnnx.Lower((TLayer)l, input, at));
}

/// <summary>Every layer kind's ONNX lowering, explicitly (tests fail while a concrete <see cref="Layer"/> type has none).</summary>
internal static class OnnxLayers
{
    public static readonly Seq<OnnxLayerCode> All = Seq(
        OnnxLayerCode.Of<DenseOnnx, Dense>(),
        OnnxLayerCode.Of<LstmOnnx, Lstm>(),
        OnnxLayerCode.Of<DropoutOnnx, Dropout>(),
        OnnxLayerCode.Of<BatchNormalizationOnnx, BatchNormalization>(),
        OnnxLayerCode.Of<EnsembleScaleOnnx, EnsembleScale>(),
        OnnxLayerCode.Of<EnsembleHeadOnnx, EnsembleHead>(),
        OnnxLayerCode.Of<PeriodicEmbeddingOnnx, PeriodicEmbedding>());

    /// <summary>The lowering of <paramref name="layer"/>'s kind (layers of a validated spec always have one).</summary>
    public static OnnxLayerCode Of(Layer layer) =>
        All.Find(k => k.Type == layer.GetType()).IfNone(() => throw new ArgumentException($"no ONNX lowering for layer {layer}"));
}

/// <summary>Dense: MatMul + Add (per time step on a time-major sequence), then the activation's ONNX op
/// (<see cref="Activations"/>), the final softmax over the last axis.</summary>
internal sealed class DenseOnnx : IOnnxLayer<Dense>
{
    public static string Lower(Dense layer, string input, OnnxLayer at)
    {
        var (g, i, w) = (at.Graph, at.Index, at.Weights);
        var kernel = g.Floats($"layer{i}_kernel", w["kernel"].Values, w["kernel"].Shape.Map(x => (long)x).ToArray());
        var h = g.Node("MatMul", [input, kernel]);
        h = g.Node("Add", [h, g.Floats($"layer{i}_bias", w["bias"].Values, [layer.Units])]);
        return Activations.Of(layer.Activation).OnnxOp.Match(
            op => layer.Activation == Activation.Softmax ? g.Node(op, [h], at.Output, axis: -1) : g.Node(op, [h]),
            () => h);
    }
}

/// <summary>
/// ONNX's LSTM on the time-major input, with Keras' gates i, f, c, o reordered to ONNX's i, o, f, c and Keras' single bias as
/// ONNX's input bias (<see cref="Weights"/>); the output squeezed to (T, N, H) or (N, H).
/// </summary>
internal sealed class LstmOnnx : IOnnxLayer<Lstm>
{
    /// <summary>Keras gate block (i=0, f=1, c=2, o=3) for each ONNX gate block (i, o, f, c).</summary>
    static readonly int[] KerasGateOf = [0, 3, 1, 2];

    public static string Lower(Lstm layer, string input, OnnxLayer at)
    {
        var (g, i, w) = (at.Graph, at.Index, at.Weights);
        var units = layer.Units;
        var inputs = w["kernel"].Shape[0];
        var (wOnnx, rOnnx, bOnnx) = Weights(w["kernel"].Values, w["recurrent_kernel"].Values, w["bias"].Values, inputs, units);
        var names = g.Outputs("LSTM", [input, g.Floats($"layer{i}_W", wOnnx, [1, 4 * units, inputs]),
            g.Floats($"layer{i}_R", rOnnx, [1, 4 * units, units]), g.Floats($"layer{i}_B", bOnnx, [1, 8 * units])], 2,
            hiddenSize: units);
        // Y: (T, 1, N, H); Y_h: (1, N, H)
        return layer.ReturnSequences
            ? g.Node("Squeeze", [names[0], g.Int64s($"layer{i}_axis", [1], [1])])
            : g.Node("Squeeze", [names[1], g.Int64s($"layer{i}_axis", [0], [1])]);
    }

    /// <summary>
    /// Keras LSTM weights → ONNX W (1, 4H, in), R (1, 4H, H), B (1, 8H): ONNX rows are gate blocks i, o, f, c of the
    /// transposed Keras columns (blocks i, f, c, o); Keras' bias is ONNX's Wb, Rb is zero.
    /// </summary>
    public static (float[] W, float[] R, float[] B) Weights(float[] kernel, float[] recurrent, float[] bias, int inputs, int units)
    {
        var w = new float[4 * units * inputs];
        var r = new float[4 * units * units];
        var b = new float[8 * units];
        for (var gate = 0; gate < 4; gate++)
        {
            var kerasColumn = KerasGateOf[gate] * units;
            for (var j = 0; j < units; j++)
            {
                var row = gate * units + j;
                for (var k = 0; k < inputs; k++) w[row * inputs + k] = kernel[k * 4 * units + kerasColumn + j];
                for (var k = 0; k < units; k++) r[row * units + k] = recurrent[k * 4 * units + kerasColumn + j];
                b[row] = bias[kerasColumn + j];
            }
        }
        return (w, r, b);
    }
}

/// <summary>Dropout: the identity (dropout is off at inference).</summary>
internal sealed class DropoutOnnx : IOnnxLayer<Dropout>
{
    public static string Lower(Dropout layer, string input, OnnxLayer at) => input;
}

/// <summary>
/// BatchNormalization at inference as one affine map of the last axis, which broadcasts over a time-major sequence too (ONNX's
/// BatchNormalization op normalizes axis 1): x·s + (β − μ·s), s = γ/√(σ² + ε) from the moving statistics.
/// </summary>
internal sealed class BatchNormalizationOnnx : IOnnxLayer<BatchNormalization>
{
    public static string Lower(BatchNormalization layer, string input, OnnxLayer at)
    {
        var (g, i, w) = (at.Graph, at.Index, at.Weights);
        var (gamma, beta) = (w["gamma"].Values, w["beta"].Values);
        var (mean, variance) = (w["moving_mean"].Values, w["moving_variance"].Values);
        var scale = gamma.Select((y, j) => (float)(y / Math.Sqrt(variance[j] + layer.Epsilon))).ToArray();
        var shift = beta.Select((b, j) => b - mean[j] * scale[j]).ToArray();
        var h = g.Node("Mul", [input, g.Floats($"layer{i}_scale", scale, [scale.Length])]);
        return g.Node("Add", [h, g.Floats($"layer{i}_shift", shift, [shift.Length])]);
    }
}

/// <summary>EnsembleScale: the input (N, d) unsqueezed to (N, 1, d) and multiplied by r (k, d), broadcasting to (N, k, d).</summary>
internal sealed class EnsembleScaleOnnx : IOnnxLayer<EnsembleScale>
{
    public static string Lower(EnsembleScale layer, string input, OnnxLayer at)
    {
        var (g, i, w) = (at.Graph, at.Index, at.Weights);
        var h = g.Node("Unsqueeze", [input, g.Int64s($"layer{i}_axis", [1], [1])]);
        return g.Node("Mul", [h, g.Floats($"layer{i}_r", w["r"].Values, w["r"].Shape.Map(x => (long)x).ToArray())]);
    }
}

/// <summary>
/// EnsembleHead: members first (Transpose to (k, N, d)), one batched MatMul with the (k, d, classes) kernels, back to
/// (N, k, classes), the (k, classes) biases added, Softmax over classes, then the members' mean (ReduceSum over axis 1 times
/// 1/k: opset 17's ReduceMean takes its axes as an attribute list, ReduceSum as an input).
/// </summary>
internal sealed class EnsembleHeadOnnx : IOnnxLayer<EnsembleHead>
{
    public static string Lower(EnsembleHead layer, string input, OnnxLayer at)
    {
        var (g, i, w) = (at.Graph, at.Index, at.Weights);
        var members = w["kernel"].Shape[0];
        var h = g.Node("Transpose", [input], perm: [1, 0, 2]);
        h = g.Node("MatMul", [h, g.Floats($"layer{i}_kernel", w["kernel"].Values, w["kernel"].Shape.Map(x => (long)x).ToArray())]);
        h = g.Node("Transpose", [h], perm: [1, 0, 2]);
        h = g.Node("Add", [h, g.Floats($"layer{i}_bias", w["bias"].Values, [members, layer.Classes])]);
        h = g.Node("Softmax", [h], axis: -1);
        h = g.NodeWith("ReduceSum", [h, g.Int64s($"layer{i}_members_axis", [1], [1])], ("keepdims", 0));
        return g.Node("Mul", [h, g.Floats($"layer{i}_mean", [1f / members], [])], at.Output);
    }
}

/// <summary>
/// PeriodicEmbedding: the input (N, d) unsqueezed to (N, d, 1), times the frequencies (d, f), times 2π, plus the phases, Cos;
/// columns first (Transpose to (d, N, f)), one batched MatMul with the (d, f, width) kernels, back to (N, d, width), the bias
/// added, flattened to (N, d·width) and the input concatenated after it — the backend's order of operations.
/// </summary>
internal sealed class PeriodicEmbeddingOnnx : IOnnxLayer<PeriodicEmbedding>
{
    public static string Lower(PeriodicEmbedding layer, string input, OnnxLayer at)
    {
        var (g, i, w) = (at.Graph, at.Index, at.Weights);
        string Weight(string name) => g.Floats($"layer{i}_{name}", w[name].Values, w[name].Shape.Map(x => (long)x).ToArray());
        var h = g.Node("Unsqueeze", [input, g.Int64s($"layer{i}_axis", [2], [1])]);
        h = g.Node("Mul", [h, Weight("frequencies")]);
        h = g.Node("Mul", [h, g.Floats($"layer{i}_two_pi", [(float)(2 * Math.PI)], [])]);
        h = g.Node("Cos", [g.Node("Add", [h, Weight("phases")])]);
        h = g.Node("Transpose", [h], perm: [1, 0, 2]);
        h = g.Node("MatMul", [h, Weight("kernel")]);
        h = g.Node("Transpose", [h], perm: [1, 0, 2]);
        h = g.Node("Add", [h, Weight("bias")]);
        h = g.Node("Reshape", [h, g.Int64s($"layer{i}_flat", [0, -1], [2])]);
        return g.Node("Concat", [h, input], at.Output, axis: 1);
    }
}
