namespace Genre.Models.Tests;

[CollectionDefinition(nameof(ThreadCount), DisableParallelization = true)]
public sealed class ThreadCount;

/// <summary>
/// Same seed → bit-identical weights and history, also across torch thread counts. The thread count is process-wide in libtorch,
/// so this class runs alone (a non-parallel collection) and restores 2 threads afterwards.
/// </summary>
[Collection(nameof(ThreadCount))]
public class DeterminismTests
{
    static (float[] Weights, Seq<(double, double, double, double)> History, float[] Predictions) Train(
        Sequential spec, int threads, int seed, int rows = 700, int batch = 300, int epochs = 2, bool ownGemm = true)
    {
        TorchRuntime.Configure(new TorchOptions(threads));
        var backend = new TorchBackend(ownGemm: ownGemm);
        try
        {
            var data = Support.Problem(rows, 31);
            var val = Support.Problem(150, 32);
            using var m = Ok(backend.Compile(spec, seed));
            var h = Ok(m.Fit(data, Some(val), new TrainingConfig(epochs, batch, seed, new AdamSettings())));
            return (Support.Flat(m),
                    h.Epochs.Map(e => (e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy)).Strict(),
                    m.Predict(val.X, val.Rows));
        }
        finally { TorchRuntime.Configure(new TorchOptions(2)); }
    }

    public static TheoryData<string> Models => new() { "rnn1", "rnn2", "dnn2" };

    static Sequential Small(string name) => name switch
    {
        "rnn1" => Zoo.Rnn1(3),
        "rnn2" => Zoo.Rnn2(3),
        _ => Zoo.Dnn2(3),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void One_and_two_threads_give_bit_identical_training(string name)
    {
        var one = Train(Small(name), 1, 9);
        var two = Train(Small(name), 2, 9);
        Assert.Equal(one.Weights, two.Weights);
        Assert.Equal(one.History, two.History);
        Assert.Equal(one.Predictions, two.Predictions);
        var otherSeed = Train(Small(name), 2, 10);
        Assert.NotEqual(two.Weights, otherSeed.Weights);
    }

    /// <summary>
    /// The report's batch of 10,000 with the full-width models: each batch spans several micro-batches (gradient accumulation)
    /// and gemms large enough for libtorch to split across threads — the case where a thread-dependent reduction order would show.
    /// </summary>
    [Theory]
    [InlineData("rnn1")]
    [InlineData("dnn2")]
    public void One_and_two_threads_agree_bit_for_bit_at_batch_10000(string name)
    {
        var spec = name == "rnn1" ? Zoo.Rnn1(3) : Zoo.Dnn2(3);
        var one = Train(spec, 1, 4, rows: 12_000, batch: 10_000, epochs: 2);
        var two = Train(spec, 2, 4, rows: 12_000, batch: 10_000, epochs: 2);
        Assert.Equal(one.Weights, two.Weights);
        Assert.Equal(one.History, two.History);
        Assert.Equal(one.Predictions, two.Predictions);
    }

    /// <summary>
    /// Issue 17: a micro-batch of 1,024 rows is cut into 8 chunks (RNN2's of 699 into 4) whatever the thread count, and 1, 2
    /// or 3 lanes run them (3: chunks 0, 3, 6 / 1, 4, 7 / 2, 5); the weights, history and predictions do not change.
    /// </summary>
    [Theory]
    [InlineData("rnn1")]
    [InlineData("rnn2")]
    public void One_two_and_three_threads_agree_bit_for_bit_over_eight_chunks(string name)
    {
        var spec = Small(name);
        Assert.Equal(name == "rnn1" ? 8 : 4, Lanes.Chunks(Trainer.MicroBatchFor(spec), LaneChunking.Default));
        var one = Train(spec, 1, 6, rows: 2_100, batch: 1_024, epochs: 2);
        foreach (var threads in new[] { 2, 3 })
        {
            var other = Train(spec, threads, 6, rows: 2_100, batch: 1_024, epochs: 2);
            Assert.Equal(one.Weights, other.Weights);
            Assert.Equal(one.History, other.History);
            Assert.Equal(one.Predictions, other.Predictions);
        }
    }

    /// <summary>
    /// Issue 28: training's LSTM and Dense gemms on genre's own kernels (the default where the CPU has AVX-512F) and on libtorch's
    /// train the same model: the weights after two epochs differ only by float32 rounding, and they do differ (the switch reaches
    /// the training passes).
    /// </summary>
    [SgemmTheory]
    [InlineData("rnn1")]
    [InlineData("rnn2")]
    [InlineData("dnn2")]
    public void Own_and_libtorch_gemms_train_the_same_model_up_to_rounding(string name)
    {
        var own = Train(Small(name), 2, 8, rows: 2_100, batch: 1_024);
        var libtorch = Train(Small(name), 2, 8, rows: 2_100, batch: 1_024, ownGemm: false);
        Assert.NotEqual(own.Weights, libtorch.Weights);
        var scale = own.Weights.Max(Math.Abs);
        for (var i = 0; i < own.Weights.Length; i++)
            Assert.True(Math.Abs(own.Weights[i] - libtorch.Weights[i]) <= 1e-4 * scale,
                $"weight {i}: {own.Weights[i]} (own) vs {libtorch.Weights[i]} (libtorch)");
        for (var e = 0; e < own.History.Count; e++) Assert.Equal(own.History[e].Item1, libtorch.History[e].Item1, 1e-4);
    }
}
