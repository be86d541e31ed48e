namespace Genre.Models.Tests;

public class LayerKindsTests
{
    /// <summary>Every concrete <see cref="Layer"/> type of the library (reflection here only: the registries are explicit lists).</summary>
    public static TheoryData<string> LayerTypes() =>
        [.. typeof(Layer).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract).Select(t => t.FullName!)];

    static Type Named(string name) => typeof(Layer).Assembly.GetType(name)!;

    [Theory]
    [MemberData(nameof(LayerTypes))]
    public void Every_layer_type_has_a_kind(string type) =>
        Assert.Single(LayerKinds.All, k => k.Type == Named(type));

    [Theory]
    [MemberData(nameof(LayerTypes))]
    public void Every_layer_type_has_torch_code(string type) =>
        Assert.Single(TorchLayers.All, k => k.Type == Named(type));

    [Theory]
    [MemberData(nameof(LayerTypes))]
    public void Every_layer_type_has_an_onnx_lowering(string type) =>
        Assert.Single(Genre.Models.Onnx.OnnxLayers.All, k => k.Type == Named(type));

    [Fact]
    public void Every_activation_has_one_row_of_the_table_and_its_name_reads_back()
    {
        Assert.All(Enum.GetValues<Activation>(), a => Assert.Single(Activations.All, r => r.Activation == a));
        Assert.All(Activations.All, r => Assert.Equal(Some(r.Activation), Activations.Parse(r.Name)));
        Assert.Equal(Some(Activation.Relu), Activations.Parse("ReLU"));
        Assert.True(Activations.Parse("elu").IsNone);
    }

    [Fact]
    public void A_spec_answers_how_many_classes_it_predicts_and_resizes_its_output()
    {
        var rnn1 = Zoo.Rnn1();
        Assert.Equal(Some(114), rnn1.Classes());
        var reduced = rnn1.WithClasses(66);
        Assert.Equal(Some(66), reduced.Classes());
        Assert.Equal(rnn1.Layers.Init, reduced.Layers.Init);
        Assert.Equal(Activation.Softmax, ((Dense)reduced.Layers.Last).Activation);
        Assert.Equal(114, Ok(rnn1.OutputLayer("training")));
        var noSoftmax = new Sequential(Seq1(15), Seq1<Layer>(new Dense(4, Activation.Relu)), "plain");
        Assert.True(noSoftmax.Classes() == Some(4));
        Assert.Equal("plain: training needs a final Dense(…, softmax) with output (None, classes), " +
                     "got Dense(4, relu) with output (None, 4)",
            Fail(noSoftmax.OutputLayer("training")));
        Assert.Equal("x: the model predicts 114 classes but the data has 66", Fail(rnn1.PredictsClasses(66, "x")));
    }

    [Fact]
    public void Kinds_have_distinct_class_names() =>
        Assert.Equal(LayerKinds.All.Count, LayerKinds.All.Map(k => k.ClassName).Distinct().Count());

    [Fact]
    public void The_registry_lists_only_layer_types() =>
        Assert.All(LayerKinds.All.Map(k => k.Type).Concat(TorchLayers.All.Map(k => k.Type)),
            t => Assert.True(t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract, t.Name));

    [Fact]
    public void Model_json_is_unchanged_for_every_kind()
    {
        var spec = new Sequential(Seq(15, 1), Seq<Layer>(new Dense(250), new Lstm(80, ReturnSequences: true), new Dropout(0.2),
            new Lstm(150), new Dense(114, Activation.Softmax)), "m");
        Assert.Equal(
            """{"name":"m","input_shape":[15,1],"layers":[{"type":"Dense","units":250,"activation":"linear"},""" +
            """{"type":"LSTM","units":80,"return_sequences":true},{"type":"Dropout","rate":0.2},""" +
            """{"type":"LSTM","units":150,"return_sequences":false},{"type":"Dense","units":114,"activation":"softmax"}]}""",
            SpecJson.ToJson(spec).ToJsonString());
        Assert.Equal(spec, Ok(SpecJson.FromJson(SpecJson.ToJson(spec), "m.json")));
    }

    [Fact]
    public void Descriptions_read_like_keras_code() =>
        Assert.Equal("Dense(100, relu), LSTM(80, sequences), LSTM(8), Dropout(0.2)",
            string.Join(", ", Seq<Layer>(new Dense(100, Activation.Relu), new Lstm(80, true), new Lstm(8), new Dropout(0.2))
                .Map(LayerKinds.Describe)));
}
