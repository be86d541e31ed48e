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
}
