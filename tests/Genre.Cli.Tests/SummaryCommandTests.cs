namespace Genre.Cli.Tests;

/// <summary><c>genre summary --model NAME</c>: Keras' table for every model the CLI knows.</summary>
public class SummaryCommandTests
{
    [Theory]
    [InlineData("rnn1", "115,654", "lstm (LSTM)                  (None, 80)                105920    ")]
    [InlineData("rnn2", "182,054", "lstm_1 (LSTM)                (None, 150)               138600    ")]
    [InlineData("dnn1", "79,264", "dense_4 (Dense)              (None, 114)               17214     ")]
    [InlineData("dnn2", "79,264", "dropout (Dropout)            (None, 100)               0         ")]
    [InlineData("mlp", "79,264", "dense (Dense)                (None, 100)               1600      ")]
    [InlineData("reduced-rnn1", "111,766", "dense_1 (Dense)              (None, 66)                5346      ")]
    [InlineData("softmax", "1,824", "dense (Dense)                (None, 114)               1824      ")]
    public void Summary_prints_the_layers_and_keras_param_counts(string model, string total, string row)
    {
        var r = GenreCli.Run("summary", "--model", model);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split('\n');
        Assert.Contains(row, lines);
        Assert.Contains($"Total params: {total}", lines);
        Assert.Contains($"Trainable params: {total}", lines);
        Assert.Contains("Non-trainable params: 0", lines);
        Assert.Contains("Layer (type)                 Output Shape              Param #   ", lines);
        Assert.Empty(r.Stderr);
    }

    [Fact]
    public void Without_a_model_it_is_a_usage_error_listing_the_names()
    {
        var r = GenreCli.Run("summary");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("rnn1, rnn2, dnn1, dnn2, reduced-rnn1, wide, tabular, tabm, realmlp) or --saved-model DIR is required", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void An_unknown_model_names_the_known_ones()
    {
        var r = GenreCli.Run("summary", "--model", "rnn3");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown model 'rnn3' (known: softmax, mlp, rnn1, rnn2, dnn1, dnn2, reduced-rnn1, wide, tabular, tabm, realmlp)",
            r.Stderr);
    }
}

/// <summary><c>genre summary --saved-model DIR</c> on the authors' models: the report's param counts after a checked import.</summary>
public class SavedModelSummaryTests
{
    /// <summary>
    /// The committed fixture (tests/golden/savedmodel/make_fixture.py): Dense(3) on (15, 1) has 1·3+3 params, LSTM(2) on 3
    /// features 4·2·(3+2+1), Dense(114) on 2 units 2·114+114 — 396 in all. Runs without ../shared.
    /// </summary>
    [Fact]
    public void The_fixture_SavedModel_has_the_param_counts_of_the_scripts_shapes()
    {
        var r = GenreCli.Run("summary", "--saved-model", Path.Combine(GenreCli.RepoRoot, "tests", "golden", "savedmodel", "tinyRNNnet"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split('\n');
        Assert.Equal("Model: \"tinyRNNnet\"", lines[0]);
        Assert.Contains("dense (Dense)                (None, 15, 3)             6         ", lines);
        Assert.Contains("lstm (LSTM)                  (None, 2)                 48        ", lines);
        Assert.Contains("dense_1 (Dense)              (None, 114)               342       ", lines);
        Assert.Contains("Total params: 396", lines);
    }

    [AuthorsModelsTheory]
    [InlineData("RNN1net", "115,654", "lstm (LSTM)                  (None, 80)                105920    ")]
    [InlineData("RNN2net", "182,054", "lstm_1 (LSTM)                (None, 150)               138600    ")]
    [InlineData("DNN1net", "79,264", "dense_4 (Dense)              (None, 114)               17214     ")]
    [InlineData("DNN2net", "79,264", "dropout (Dropout)            (None, 100)               0         ")]
    [InlineData("reducedRNNnet", "111,766", "dense_1 (Dense)              (None, 66)                5346      ")]
    public void Imported_models_have_the_reports_param_counts(string model, string total, string row)
    {
        var r = GenreCli.Run("summary", "--saved-model", Path.Combine(GenreCli.SharedReference, "authors-models", model));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = r.Stdout.Split('\n');
        Assert.Equal($"Model: \"{model}\"", lines[0]);
        Assert.Contains(row, lines);
        Assert.Contains($"Total params: {total}", lines);
    }
}
