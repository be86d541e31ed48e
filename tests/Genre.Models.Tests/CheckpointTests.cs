using Genre.Models.Backend;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Models.Tests;

/// <summary>Checkpoints: resume with dropout and early stopping is bit-identical; foreign or damaged checkpoints are clear errors.</summary>
public class CheckpointTests
{
    [Fact]
    public void Resume_with_dropout_and_early_stopping_state_is_bit_identical()
    {
        var data = Support.Problem(150, 41);
        var val = Some(Support.Problem(50, 42));
        var dir = Support.TempDir();
        var config = new TrainingConfig(5, 40, 12, new AdamSettings(LearningRate: 0.02), EarlyStopping: new EarlyStopping(Patience: 10),
            Checkpoints: new CheckpointPolicy(dir, 1));
        using (var first = Support.Ok(Support.Backend.Compile(Zoo.Dnn2(3), 12)))
            Support.Ok(first.Fit(data, val, config with { Epochs = 3 }));
        using var resumed = Support.Ok(Support.Backend.Compile(Zoo.Dnn2(3), 12));
        var rest = Support.Ok(resumed.Fit(data, val, config with { Resume = true }));
        using var straight = Support.Ok(Support.Backend.Compile(Zoo.Dnn2(3), 12));
        var full = Support.Ok(straight.Fit(data, val, config with { Checkpoints = None }));

        Assert.Equal(5, rest.Epochs.Count);
        Assert.Equal(full.Epochs.Map(e => (e.Loss, e.ValLoss)), rest.Epochs.Map(e => (e.Loss, e.ValLoss)));
        Assert.Equal(Support.Flat(straight), Support.Flat(resumed));
        Assert.Equal(["epoch-00004.ckpt", "epoch-00005.ckpt"], Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToArray()); // two newest, no temp files
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_by_name()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(40, 43);
        using (var m = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Support.Ok(m.Fit(data, None, new TrainingConfig(1, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1))));
        using var other = Support.Ok(Support.Backend.Compile(Zoo.Dnn2(3), 1));
        var error = Support.Fail(other.Fit(data, None, new TrainingConfig(2, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1), Resume: true)));
        Assert.Contains("epoch-00001.ckpt", error);
        Assert.Contains("dnn1", error);
    }

    [Fact]
    public void A_decaying_rate_resumes_only_for_the_same_length_of_fit()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(40, 45);
        var cosine = new AdamSettings(LearningRate: 0.01, Decay: new CosineDecay(0.1));
        var config = new TrainingConfig(2, 20, 1, cosine, Checkpoints: new CheckpointPolicy(dir, 1));
        using (var m = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Support.Ok(m.Fit(data, None, config));
        using (var longer = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
        {
            // the schedule spans the whole fit: 3 epochs would have decayed more slowly from the start
            var error = Support.Fail(longer.Fit(data, None, config with { Epochs = 3, Resume = true }));
            Assert.Contains("Adam lr 0.01 with cosine decay to 0.1× over 2 epochs; this run uses batch 20, seed 1, Adam lr 0.01 with cosine decay to 0.1× over 3 epochs", error);
        }
        using var constant = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        Assert.Contains("this run uses batch 20, seed 1, Adam lr 0.01 — ",
            Support.Fail(constant.Fit(data, None, config with { Adam = new AdamSettings(LearningRate: 0.01), Resume = true })));
    }

    [Fact]
    public void Resuming_with_other_settings_is_refused_or_restarts_when_the_folder_is_owned()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(40, 45);
        var config = new TrainingConfig(2, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1));
        using (var m = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Support.Ok(m.Fit(data, None, config));
        var faster = config with { Epochs = 3, Adam = new AdamSettings(LearningRate: 3e-3), Resume = true };
        using (var refused = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
        {
            var error = Support.Fail(refused.Fit(data, None, faster));
            Assert.Contains("epoch-00002.ckpt: checkpoint was written with batch 20, seed 1, Adam lr 0.001; this run uses batch 20, seed 1, Adam lr 0.003", error);
            Assert.DoesNotContain("\n", error);
        }
        using (var same = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Assert.Equal(3, Support.Ok(same.Fit(data, None, config with { Epochs = 3, Resume = true })).Epochs.Count); // more epochs, same settings: resumes
        using var restarted = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var history = Support.Ok(restarted.Fit(data, None, faster with { Checkpoints = new CheckpointPolicy(dir, 1, RestartOnOtherSettings: true) }));
        using var fresh = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var straight = Support.Ok(fresh.Fit(data, None, faster with { Checkpoints = None, Resume = false }));
        Assert.Equal(straight.Epochs.Map(e => e.Loss), history.Epochs.Map(e => e.Loss));
        Assert.Equal(Support.Flat(fresh), Support.Flat(restarted));
    }

    [Fact]
    public void A_truncated_checkpoint_is_a_one_line_error_naming_the_file()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(40, 44);
        using (var m = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Support.Ok(m.Fit(data, None, new TrainingConfig(1, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1))));
        var path = Directory.GetFiles(dir).Single();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var again = Support.Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var error = Support.Fail(again.Fit(data, None, new TrainingConfig(2, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1), Resume: true)));
        Assert.Contains(path, error);
        Assert.DoesNotContain("\n", error);
    }
}
