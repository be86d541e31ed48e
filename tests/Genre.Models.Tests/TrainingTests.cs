using Genre.Models.Backend;
using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>fit(): Keras' epoch averages, micro-batched gradients, cancellation, learning on a learnable problem.</summary>
public class TrainingTests
{
    [Fact]
    public void Epoch_loss_and_accuracy_are_batch_size_weighted_averages_like_keras()
    {
        // With lr = 0 the weights never move, so the batch-size-weighted mean of the batch losses (103 rows: batches of 25, 25, 25, 25, 3)
        // must equal the loss over the whole set, and the accuracy likewise.
        var data = Support.Problem(103, 21);
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 4));
        var before = Support.Flat(m);
        var h = Ok(m.Fit(data, None, new TrainingConfig(2, 25, 4, new AdamSettings(LearningRate: 0))));
        var whole = m.Evaluate(data);
        Assert.Equal(before, Support.Flat(m));
        Assert.All(h.Epochs, e =>
        {
            Assert.Equal(whole.Loss, e.Loss, 5);
            Assert.Equal(whole.Accuracy, e.Accuracy, 12);
            Assert.True(double.IsNaN(e.ValLoss), "no validation data → NaN");
        });
    }

    [Fact]
    public void Micro_batched_gradients_equal_the_one_pass_gradient()
    {
        var data = Support.Problem(90, 22);
        using var compiled = Ok(Support.Backend.Compile(Zoo.Rnn1(3), 8));
        var model = (TorchModel)compiled;
        float[][] Gradients(int microBatch)
        {
            using var scope = NewDisposeScope();
            var (lossSum, _) = Trainer.AccumulateGradients(model, model.Input(data.X, data.Rows),
                tensor(data.Y.Select(v => (long)v).ToArray()), null, microBatch);
            Assert.True(lossSum > 0);
            var g = model.Parameters.Select(p => p.grad!.data<float>().ToArray()).ToArray();
            foreach (var p in model.Parameters) p.grad!.zero_();
            return g;
        }
        var whole = Gradients(90);
        var micro = Gradients(16); // 5 × 16 + 10
        for (var i = 0; i < whole.Length; i++)
        {
            var scale = whole[i].Max(v => Math.Abs(v)) + 1e-12;
            Assert.All(whole[i].Zip(micro[i]), p => Assert.True(Math.Abs(p.Item1 - p.Item2) <= 1e-5 * scale,
                $"tensor {i}: {p.Item1} vs {p.Item2}"));
        }
    }

    [Fact]
    public void Cancellation_stops_after_the_epoch_with_a_checkpoint_and_resume_finishes_identically()
    {
        var data = Support.Problem(120, 23);
        var val = Some(Support.Problem(40, 24));
        var dir = Support.TempDir();
        var config = new TrainingConfig(3, 30, 6, new AdamSettings(), Checkpoints: new CheckpointPolicy(Path.Combine(dir, "c"), 10));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        using (var first = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 6)))
        {
            var h = Ok(first.Fit(data, val, config, cancel: cancelled.Token));
            Assert.Single(h.Epochs);
        }
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "c"), "epoch-00001.ckpt"));

        using var resumed = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 6));
        var rest = Ok(resumed.Fit(data, val, config with { Resume = true }));
        using var straight = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 6));
        var full = Ok(straight.Fit(data, val, config with { Checkpoints = None }));
        Assert.Equal(full.Epochs.Map(e => (e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy)),
            rest.Epochs.Map(e => (e.Loss, e.Accuracy, e.ValLoss, e.ValAccuracy)));
        Assert.Equal(Support.Flat(straight), Support.Flat(resumed));
    }

    [Fact]
    public void A_small_rnn_learns_a_learnable_problem()
    {
        // The label depends on features 0–5; read as a sequence those come last (reversed rows), so the LSTM need not carry
        // them through nine more steps (with them first, the loss plateaus and whether it escapes in 25 epochs is chance).
        var data = LastStepsMatter(Support.Problem(400, 25));
        using var m = Ok(Support.Backend.Compile(new Sequential(Seq(15, 1),
            Seq<Layer>(new Dense(16), new Lstm(16), new Dense(3, Activation.Softmax)), "tiny-rnn"), 2));
        var h = Ok(m.Fit(data, Some(LastStepsMatter(Support.Problem(100, 26))),
            new TrainingConfig(25, 20, 2, new AdamSettings(LearningRate: 0.01))));
        Assert.True(h.Epochs.Last.Loss < 0.75 * h.Epochs.Head.Loss, $"loss {string.Join(" → ", h.Epochs.Map(e => e.Loss.ToString("F3")))}");
        Assert.True(h.Epochs.Last.ValAccuracy > 0.6, $"val accuracy {h.Epochs.Last.ValAccuracy}");
        var p = m.Predict(Support.Problem(5, 27).X, 5);
        Assert.All(Enumerable.Range(0, 5), r => Assert.Equal(1.0, p.Skip(r * 3).Take(3).Sum(v => (double)v), 5));
    }

    static LabeledData LastStepsMatter(LabeledData d) =>
        d with { X = Enumerable.Range(0, d.Rows).SelectMany(r => d.X.Skip(r * 15).Take(15).Reverse()).ToArray() };
}

/// <summary>Issue 28: the divergence check reads a float32 parameter's values in place; it finds a NaN or an infinity
/// wherever it is (in a whole vector or the tail), and passes every finite value, the largest included.</summary>
public class NonFiniteTests
{
    [Fact]
    public void Every_position_and_kind_of_non_finite_value_is_found()
    {
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            for (var at = 0; at < 19; at++)
            {
                var values = Enumerable.Range(0, 19).Select(i => i % 2 == 0 ? float.MaxValue : -float.Epsilon).ToArray();
                Assert.True(Trainer.AllFinite(values));
                values[at] = bad;
                Assert.False(Trainer.AllFinite(values), $"{bad} at {at}");
            }
        using var scope = NewDisposeScope();
        var ok = ones(3, 5);
        var broken = ones(4, 9);
        broken[2, 7] = tensor(float.NaN);
        var transposed = ones(9, 4).t(); // not contiguous: libtorch's check
        transposed[1, 1] = tensor(float.PositiveInfinity);
        Assert.Equal(Some(1), Trainer.FirstNonFinite([ok, broken, transposed]));
        Assert.Equal(Some(1), Trainer.FirstNonFinite([ok, transposed]));
        Assert.Equal(Option<int>.None, Trainer.FirstNonFinite([ok, ok.t()]));
    }
}
