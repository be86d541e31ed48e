namespace Genre.Models.Tests;

/// <summary>The prediction-only forward pass (Predictor: folded Dense, stacked LSTM weights, lanes) against the training forward
/// pass.</summary>
public class PredictorTests
{
    [Theory]
    [InlineData("softmax")]
    [InlineData("dnn2")]
    [InlineData("rnn1")]
    [InlineData("rnn2")]
    public void Predict_equals_the_training_forward_pass_on_every_row(string name)
    {
        using var compiled = Ok(Support.Backend.Compile(Ok(Zoo.ByName(name)), 11));
        var model = (TorchModel)compiled;
        var data = Support.Problem(1_500, 3); // more rows than one lane's pass: several passes in two lanes
        var expected = model.PredictWithTrainingForward(data.X, data.Rows);
        var actual = model.Predict(data.X, data.Rows);
        Assert.Equal(expected.Length, actual.Length);
        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Assert.True(worst <= 1e-6, $"largest difference {worst:E2}");
        Assert.Equal(actual, model.Predict(data.X, data.Rows, batchSize: 100)); // the pass size does not change a row's result
        using var input = model.Input(data.X, data.Rows);
        var libtorch = Predictor.Predict(model.Spec, model.Parameters, input, data.Rows, expected.Length / data.Rows, 1024, sgemm: false);
        var worstLibtorch = expected.Select((e, i) => Math.Abs(e - libtorch[i])).Max();
        Assert.True(worstLibtorch <= 1e-6, $"libtorch gemms: largest difference {worstLibtorch:E2}");
    }

    /// <summary>Issue 28: predictions into a caller's buffer are <see cref="TorchModel.Predict"/>'s bit for bit, over stale
    /// values, leaving the buffer's tail alone; a buffer too short is refused before anything is written.</summary>
    [Theory]
    [InlineData("dnn1")]
    [InlineData("rnn1")]
    public void Predictions_into_a_buffer_are_predicts_and_a_short_buffer_is_refused(string name)
    {
        using var compiled = Ok(Support.Backend.Compile(Ok(Zoo.ByName(name)), 11));
        var data = Support.Problem(1_500, 3);
        var expected = compiled.Predict(data.X, data.Rows);
        var buffer = Enumerable.Repeat(float.NaN, expected.Length + 5).ToArray();
        compiled.PredictInto(data.X, data.Rows, buffer);
        Assert.Equal(expected, buffer[..expected.Length]);
        Assert.All(buffer[expected.Length..], v => Assert.True(float.IsNaN(v)));
        compiled.PredictInto(data.X, data.Rows, buffer); // again, over the first call's values
        Assert.Equal(expected, buffer[..expected.Length]);
        var shortBuffer = new float[expected.Length - 1];
        var e = Assert.Throws<ArgumentException>(() => compiled.PredictInto(data.X, data.Rows, shortBuffer));
        Assert.Contains($"the buffer holds {shortBuffer.Length:N0} probabilities", e.Message);
        Assert.All(shortBuffer, v => Assert.Equal(0f, v));
    }
}
