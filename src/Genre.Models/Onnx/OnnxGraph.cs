using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Genre.Models.Onnx;

/// <summary>One layer's place in the graph: its index (for initializer names), its weights by Keras name, and the name its last
/// node must take when it is the model's output (null otherwise).</summary>
internal sealed record OnnxLayer(OnnxGraph Graph, int Index, IReadOnlyDictionary<string, NamedTensor> Weights, string? Output);

/// <summary>Accumulates nodes and initializers with unique names.</summary>
internal sealed class OnnxGraph(string name)
{
    readonly global::Onnx.GraphProto graph = new() { Name = name };
    int counter;

    string Fresh(string op) => $"{op.ToLowerInvariant()}_{counter++}";

    public string Floats(string tensorName, float[] values, long[] dims) =>
        Initializer(tensorName, MemoryMarshal.AsBytes(values.AsSpan()), dims, global::Onnx.TensorProto.Types.DataType.Float);

    public string Int64s(string tensorName, long[] values, long[] dims) =>
        Initializer(tensorName, MemoryMarshal.AsBytes(values.AsSpan()), dims, global::Onnx.TensorProto.Types.DataType.Int64);

    public string Doubles(string tensorName, double[] values, long[] dims) =>
        Initializer(tensorName, MemoryMarshal.AsBytes(values.AsSpan()), dims, global::Onnx.TensorProto.Types.DataType.Double);

    string Initializer(string tensorName, ReadOnlySpan<byte> raw, long[] dims, global::Onnx.TensorProto.Types.DataType type)
    {
        var t = new global::Onnx.TensorProto { Name = tensorName, DataType = (int)type };
        t.Dims.Add(dims);
        t.RawData = ByteString.CopyFrom(LittleEndian(raw));
        graph.Initializer.Add(t);
        return tensorName;
    }

    /// <summary>A fresh initializer name with <paramref name="stem"/> in it.</summary>
    public string Name(string stem) => $"{stem}_{counter++}";

    /// <summary>A node with integer attributes (Cast's <c>to</c>, ReduceSum's <c>keepdims</c>, …).</summary>
    public string NodeWith(string op, string[] inputs, params (string Name, long Value)[] attributes)
    {
        var node = new global::Onnx.NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.Add(inputs);
        node.Output.Add($"{node.Name}_out0");
        foreach (var (n, v) in attributes)
            node.Attribute.Add(IntAttribute(n, v));
        graph.Node.Add(node);
        return node.Output[0];
    }

    static byte[] LittleEndian(ReadOnlySpan<byte> bytes) =>
        BitConverter.IsLittleEndian ? bytes.ToArray() : throw new PlatformNotSupportedException("ONNX raw_data is little-endian");

    public string Node(string op, string[] inputs, string? output = null, long? axis = null, long[]? perm = null) =>
        Outputs(op, inputs, 1, output: output, axis: axis, perm: perm)[0];

    public string[] Outputs(string op, string[] inputs, int count, string? output = null, long? axis = null, long[]? perm = null,
        long? hiddenSize = null)
    {
        var node = new global::Onnx.NodeProto { OpType = op, Name = Fresh(op) };
        node.Input.Add(inputs);
        var outs = Enumerable.Range(0, count).Select(k => k == 0 && output != null ? output : $"{node.Name}_out{k}").ToArray();
        node.Output.Add(outs);
        if (axis is long a) node.Attribute.Add(IntAttribute("axis", a));
        if (hiddenSize is long hs) node.Attribute.Add(IntAttribute("hidden_size", hs));
        if (perm is not null)
        {
            var p = new global::Onnx.AttributeProto { Name = "perm", Type = global::Onnx.AttributeProto.Types.AttributeType.Ints };
            p.Ints.Add(perm);
            node.Attribute.Add(p);
        }
        graph.Node.Add(node);
        return outs;
    }

    /// <summary>The graph of a pipeline alone: float64 [N, inputs] in, float64 [N, outputs] out.</summary>
    public global::Onnx.GraphProto PipelineGraph(int inputs, string output, int outputs)
    {
        graph.Input.Add(Value(OnnxExport.InputName, inputs, true));
        graph.Output.Add(Value(output, outputs, true));
        return graph;
    }

    public global::Onnx.GraphProto Graph(int features, int classes, bool doubleInput = false)
    {
        graph.Input.Add(Value(OnnxExport.InputName, features, doubleInput));
        graph.Output.Add(Value(OnnxExport.OutputName, classes, false));
        return graph;
    }

    static global::Onnx.ValueInfoProto Value(string valueName, int width, bool isDouble)
    {
        var shape = new global::Onnx.TensorShapeProto();
        shape.Dim.Add(new global::Onnx.TensorShapeProto.Types.Dimension { DimParam = "N" });
        shape.Dim.Add(new global::Onnx.TensorShapeProto.Types.Dimension { DimValue = width });
        return new global::Onnx.ValueInfoProto
        {
            Name = valueName,
            Type = new global::Onnx.TypeProto
            {
                TensorType = new global::Onnx.TypeProto.Types.Tensor
                {
                    ElemType = (int)(isDouble ? global::Onnx.TensorProto.Types.DataType.Double
                        : global::Onnx.TensorProto.Types.DataType.Float),
                    Shape = shape,
                },
            },
        };
    }

    static global::Onnx.AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = global::Onnx.AttributeProto.Types.AttributeType.Int, I = value };
}
