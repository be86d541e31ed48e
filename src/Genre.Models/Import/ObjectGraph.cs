using Genre.Data;

namespace Genre.Models.Import;

/// <summary>One TrackableObject: named children (edges to other nodes) and serialized tensors (name → checkpoint key).</summary>
internal sealed record TrackableNode(Map<string, int> Children, Map<string, string> Attributes);

/// <summary>
/// TF2's TrackableObjectGraph, stored as the string tensor <c>_CHECKPOINTABLE_OBJECT_GRAPH</c> of a checkpoint.
/// Node 0 is the Keras model; <c>layer-i</c> is its i-th layer (after the InputLayer), which owns its weights directly (a Dense
/// layer's <c>kernel</c>/<c>bias</c>) or through children (an LSTM's <c>cell</c>), as its kind's object path says; a variable
/// node's <c>VARIABLE_VALUE</c> attribute is the bundle key holding its value. This is how TF itself finds the key of a
/// weight, so the mapping does not depend on naming conventions such as <c>variables/K</c> or <c>layer_with_weights-N</c>.
/// </summary>
internal sealed record ObjectGraph(Seq<TrackableNode> Nodes)
{
    public const string BundleKey = "_CHECKPOINTABLE_OBJECT_GRAPH";

    /// <summary>
    /// Parses a serialized TrackableObjectGraph (nodes = 1; node: children = 1 {node_id = 1, local_name = 2}, attributes = 2
    /// {name = 1, checkpoint_key = 3}); throws <see cref="InvalidDataException"/> when the bytes break the protobuf format.
    /// </summary>
    public static ObjectGraph Parse(ReadOnlyMemory<byte> proto) =>
        new(toSeq(ProtoReader.Fields(proto).Where(f => f.Number == 1 && f.WireType == 2).Select(node =>
        {
            var children = Map<string, int>();
            var attributes = Map<string, string>();
            foreach (var f in ProtoReader.Fields(node.Bytes))
                if (f.Number == 1 && f.WireType == 2)
                {
                    var r = ProtoReader.Fields(f.Bytes).ToList();
                    children = children.AddOrUpdate(Text(r, 2), (int)r.Where(x => x.Number == 1).Select(x => x.Value).FirstOrDefault());
                }
                else if (f.Number == 2 && f.WireType == 2)
                {
                    var t = ProtoReader.Fields(f.Bytes).ToList();
                    attributes = attributes.AddOrUpdate(Text(t, 1), Text(t, 3));
                }
            return new TrackableNode(children, attributes);
        })).Strict());

    static string Text(List<ProtoField> fields, int number) =>
        fields.Where(x => x.Number == number && x.WireType == 2).Select(x => System.Text.Encoding.UTF8.GetString(x.Bytes.Span))
            .FirstOrDefault() ?? "";

    /// <summary>Follows named edges from the root; None when an edge or node is missing.</summary>
    public Option<int> Walk(params string[] path) =>
        path.Aggregate(Some(0), (node, name) => node.Bind(n => n >= 0 && n < Nodes.Count ? Nodes[n].Children.Find(name) : None));

    /// <summary>The bundle key of one weight (Keras name: kernel, recurrent_kernel, bias) of layer <paramref name="layerIndex"/>.</summary>
    public Fin<string> WeightKey(int layerIndex, Layer layer, string weight, string what)
    {
        var path = LayerKinds.Of(layer).ObjectPath(weight).Prepend($"layer-{layerIndex}").ToArray();
        return Walk(path)
            .Bind(n => n >= 0 && n < Nodes.Count ? Nodes[n].Attributes.Find("VARIABLE_VALUE") : None)
            .ToFin(GenreError.Model($"{what}: not found in the checkpoint's object graph (path {string.Join("/", path)})"));
    }
}
