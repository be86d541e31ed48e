namespace Genre.Models.Tests;

public class ShapesTests
{
    static Seq<Seq<int>> Infer(Seq<int> input, params Layer[] layers) =>
        Ok(Shapes.Infer(new Sequential(input, toSeq(layers))));

    [Fact]
    public void Dense_applies_to_the_last_axis()
    {
        Assert.Equal(Seq1(Seq(15, 250)), Infer(Seq(15, 1), new Dense(250)));
        Assert.Equal(Seq1(Seq1(7)), Infer(Seq1(15), new Dense(7, Activation.Relu)));
        Assert.Equal(Seq1(Seq(2, 3, 4)), Infer(Seq(2, 3, 9), new Dense(4)));
    }

    [Fact]
    public void Lstm_returns_the_last_state_or_the_sequence()
    {
        Assert.Equal(Seq1(Seq1(80)), Infer(Seq(15, 250), new Lstm(80)));
        Assert.Equal(Seq1(Seq(15, 80)), Infer(Seq(15, 1), new Lstm(80, ReturnSequences: true)));
    }

    [Fact]
    public void Dropout_keeps_the_shape()
    {
        Assert.Equal(Seq(Seq(15, 100), Seq(15, 100)), Infer(Seq(15, 1), new Dense(100), new Dropout(0.5)));
    }

    [Fact]
    public void Lstm_on_a_flat_input_names_the_layer_and_the_shape()
    {
        var spec = new Sequential(Seq(15, 1), Seq<Layer>(new Dense(250), new Lstm(80), new Lstm(10)));
        Assert.Equal("layer 2 (LSTM): expects (timesteps, features), got (80)", Fail(Shapes.Infer(spec)));
        Assert.Equal(Genre.Data.GenreError.ModelCode, Shapes.Infer(spec).Match(_ => 0, e => e.Code));
    }

    [Fact]
    public void Inputs_are_the_model_input_then_each_layers_output()
    {
        Assert.Equal(Seq(Seq(15, 1), Seq(15, 250), Seq1(80)), Ok(Shapes.Inputs(Zoo.Rnn1())));
    }

    [Fact]
    public void Validation_collects_every_problem()
    {
        var bad = new Sequential(Seq(15, 0), Seq<Layer>(new Lstm(-1), new Dropout(-0.1)), "bad");
        var errors = SpecValidation.Validate(bad).Match(_ => Seq<string>(), e => e.Map(x => x.Message));
        Assert.Equal(Seq("bad: input shape must be non-empty with positive sizes, got (15, 0)",
                         "bad: layer 0 (LSTM): units must be > 0, got -1",
                         "bad: layer 1 (Dropout): rate must be in [0, 1), got -0.1"), errors);
        Assert.Contains("bad: has no layers", SpecValidation.Validate(new Sequential(Seq1(3), Seq<Layer>(), "bad"))
            .Match(_ => Seq<string>(), e => e.Map(x => x.Message)));
        Assert.True(SpecValidation.Validate(Zoo.Rnn2()).IsSuccess);
        Assert.True(SpecValidation.Validate(new Sequential(Seq1(4), Seq<Layer>(new Dropout(0), new Dense(2)))).IsSuccess);
    }
}

public class ZooTests
{
    [Fact]
    public void Every_cli_name_is_a_valid_model_with_the_reports_classes()
    {
        foreach (var name in Zoo.Names)
        {
            var spec = Ok(Zoo.ByName(name));
            Assert.True(SpecValidation.Validate(spec).IsSuccess, name);
            // a softmax output over the report's classes: a Dense, or TabM's head (a mean of softmaxes)
            Assert.Equal(name == "reduced-rnn1" ? 66 : 114, Ok(spec.OutputLayer("training")));
            Assert.Equal(name == "tabm" ? new EnsembleHead(114) : new Dense(name == "reduced-rnn1" ? 66 : 114, Activation.Softmax),
                spec.Layers.Last);
            // the RNNs read (15, 1); the tabular nets read the 33 columns of Genre.Data's tabular or RealMLP pipeline; the rest the
            // 15 features
            Assert.Equal(name.Contains("rnn") ? Seq(15, 1) : name is "tabular" or "tabm" or "realmlp" ? Seq1(33) : Seq1(15),
                spec.InputShape);
        }
    }

    [Fact]
    public void Architectures_are_the_reports()
    {
        Assert.Equal(Seq1<Layer>(new Dense(114, Activation.Softmax)), Zoo.Softmax().Layers);
        Assert.Equal(Seq<Layer>(new Dense(100, Activation.Relu), new Dense(150, Activation.Relu), new Dense(150, Activation.Relu),
            new Dense(150, Activation.Relu), new Dense(114, Activation.Softmax)), Zoo.Dnn1().Layers);
        Assert.Equal(Zoo.Dnn1().Layers, Zoo.Mlp().Layers);
        Assert.Equal(Zoo.Dnn1().Layers.Take(1).Concat(Seq1<Layer>(new Dropout(0.2))).Concat(Zoo.Dnn1().Layers.Skip(1)), Zoo.Dnn2().Layers);
        Assert.Equal(Seq<Layer>(new Dense(250), new Lstm(80), new Dense(114, Activation.Softmax)), Zoo.Rnn1().Layers);
        Assert.Equal(Seq<Layer>(new Lstm(80, true), new Lstm(150), new Dense(114, Activation.Softmax)), Zoo.Rnn2().Layers);
        Assert.Equal(Zoo.Rnn1(66).Layers, Zoo.ReducedRnn1().Layers);
    }

    [Fact]
    public void Classes_are_a_parameter()
    {
        Assert.Equal(new Dense(5, Activation.Softmax), Zoo.Rnn1(classes: 5).Layers.Last);
        Assert.Equal(new Dense(3, Activation.Softmax), Zoo.Dnn2(classes: 3).Layers.Last);
    }

    [Fact]
    public void Unknown_names_are_usage_errors_listing_the_known_ones()
    {
        var e = Zoo.ByName("cnn");
        Assert.Equal("unknown model 'cnn' (known: softmax, mlp, rnn1, rnn2, dnn1, dnn2, reduced-rnn1, wide, tabular, tabm, realmlp)",
            Fail(e));
        Assert.Equal(Genre.Data.GenreError.UsageCode, e.Match(_ => 0, x => x.Code));
    }
}
