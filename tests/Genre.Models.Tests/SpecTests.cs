namespace Genre.Models.Tests;

public class SpecTests
{
    [Theory]
    [InlineData("rnn1", 115_654)]
    [InlineData("rnn2", 182_054)]
    [InlineData("dnn1", 79_264)]
    [InlineData("dnn2", 79_264)]
    [InlineData("mlp", 79_264)]
    [InlineData("reduced-rnn1", 111_766)]
    [InlineData("softmax", 1_824)]
    public void Param_counts_match_keras(string name, long expected) =>
        Assert.Equal(expected, Summary.ParamCount(Ok(Zoo.ByName(name))));

    [Fact]
    public void Summary_is_the_keras_table()
    {
        var text = Ok(Summary.Of(Zoo.Rnn1()));
        Assert.Contains("dense (Dense)                (None, 15, 250)           500       ", text);
        Assert.Contains("lstm (LSTM)                  (None, 80)                105920    ", text);
        Assert.Contains("dense_1 (Dense)              (None, 114)               9234      ", text);
        Assert.Contains("Total params: 115,654", text);
    }

    [Fact]
    public void Shapes_follow_keras()
    {
        var shapes = Ok(Shapes.Infer(Zoo.Rnn2()));
        Assert.Equal(Seq(Seq(15, 80), Seq1(150), Seq1(114)), shapes);
    }

    [Fact]
    public void Invalid_specs_name_every_bad_layer()
    {
        var bad = new Sequential(Seq1(15), Seq<Layer>(new Dense(0), new Dropout(1.0), new Dense(3, Activation.Softmax)), "bad");
        var errors = SpecValidation.Validate(bad).Match(_ => Seq<string>(), e => e.Map(x => x.Message));
        Assert.Contains("bad: layer 0 (Dense): units must be > 0, got 0", errors);
        Assert.Contains("bad: layer 1 (Dropout): rate must be in [0, 1), got 1", errors);
    }

    [Fact]
    public void Shape_mismatch_names_layer_and_shape()
    {
        var bad = new Sequential(Seq1(15), Seq<Layer>(new Lstm(8), new Dense(3, Activation.Softmax)), "flat-lstm");
        var e = SpecValidation.Validate(bad).Match(_ => "", errs => errs.Head.Message);
        Assert.Equal("flat-lstm: layer 0 (LSTM): expects (timesteps, features), got (15)", e);
    }

    [Fact]
    public void Unknown_model_name_is_a_usage_error()
    {
        var e = Zoo.ByName("rnn3");
        Assert.True(e.IsFail);
        e.IfFail(err => { Assert.Equal(Genre.Data.GenreError.UsageCode, err.Code); Assert.Contains("rnn1", err.Message); });
    }

    [Fact]
    public void Spec_json_round_trips()
    {
        foreach (var name in Zoo.Names)
        {
            var spec = Ok(Zoo.ByName(name));
            Assert.Equal(spec.Layers, Ok(SpecJson.FromJson(SpecJson.ToJson(spec), "x")).Layers);
        }
    }

    /// <summary>Issue 18: a mistyped member of model.json was reported with the framework's wording.</summary>
    [Theory]
    [InlineData("""{"name":"m","input_shape":[15],"layers":[{"type":"Dense","units":"3","activation":"relu"}]}""",
        "x: bad model spec (layer 0: 'units' must be a whole number)")]
    [InlineData("""{"name":"m","input_shape":[15],"layers":[{"type":"Dense","units":3,"activation":"Relu, Softmax"}]}""",
        "x: bad model spec (layer 0: unknown activation 'Relu, Softmax')")]
    [InlineData("""{"name":"m","input_shape":[15],"layers":[{"type":"LSTM","units":3}]}""",
        "x: bad model spec (layer 0: 'return_sequences' must be true or false)")]
    [InlineData("""{"name":"m","input_shape":"15","layers":[]}""", "x: bad model spec ('input_shape' must be a list of whole numbers)")]
    [InlineData("""{"name":"m\nn","input_shape":[15],"layers":[]}""",
        "x: bad model spec ('name' must be a string of printable characters)")]
    [InlineData("""{"name":"m","input_shape":[15],"layers":[{"type":"Conv\n1D"}]}""",
        "x: bad model spec (layer 0: unknown layer type 'Conv\\n1D')")]
    public void A_spec_with_a_mistyped_member_is_an_error_in_the_projects_words(string json, string message)
    {
        var o = (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(json)!;
        Assert.Equal(message, Fail(SpecJson.FromJson(o, "x")));
    }
}
