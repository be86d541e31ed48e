using Genre.Models.Backend;

namespace Genre.Models.Tests;

/// <summary>Checkpoints: resume with dropout and early stopping is bit-identical; foreign or damaged checkpoints are clear
/// errors.</summary>
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
        using (var first = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 12)))
            Ok(first.Fit(data, val, config with { Epochs = 3 }));
        using var resumed = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 12));
        var rest = Ok(resumed.Fit(data, val, config with { Resume = true }));
        using var straight = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 12));
        var full = Ok(straight.Fit(data, val, config with { Checkpoints = None }));

        Assert.Equal(5, rest.Epochs.Count);
        Assert.Equal(full.Epochs.Map(e => (e.Loss, e.ValLoss)), rest.Epochs.Map(e => (e.Loss, e.ValLoss)));
        Assert.Equal(Support.Flat(straight), Support.Flat(resumed));
        // two newest, no temp files
        Assert.Equal(["epoch-00004.ckpt", "epoch-00005.ckpt"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order()
            .ToArray<string>());
    }

    [Fact]
    public void A_checkpoint_of_another_model_is_refused_by_name()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(40, 43);
        using (var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Ok(m.Fit(data, None, new TrainingConfig(1, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1))));
        using var other = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 1));
        var error = Fail(other.Fit(data, None, new TrainingConfig(2, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1),
            Resume: true)));
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
        using (var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Ok(m.Fit(data, None, config));
        using (var longer = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
        {
            // the schedule spans the whole fit: 3 epochs would have decayed more slowly from the start
            var error = Fail(longer.Fit(data, None, config with { Epochs = 3, Resume = true }));
            Assert.Contains("Adam lr 0.01 with cosine decay to 0.1× over 2 epochs; this run uses batch 20, seed 1, Adam lr 0.01 with " +
                "cosine decay to 0.1× over 3 epochs", error);
        }
        using var constant = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        Assert.Contains("this run uses batch 20, seed 1, Adam lr 0.01 — ",
            Fail(constant.Fit(data, None, config with { Adam = new AdamSettings(LearningRate: 0.01), Resume = true })));
    }

    [Fact]
    public void Resuming_with_other_settings_is_refused_or_restarts_when_the_folder_is_owned()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(40, 45);
        var config = new TrainingConfig(2, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1));
        using (var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Ok(m.Fit(data, None, config));
        var faster = config with { Epochs = 3, Adam = new AdamSettings(LearningRate: 3e-3), Resume = true };
        using (var refused = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
        {
            var error = Fail(refused.Fit(data, None, faster));
            Assert.Contains("epoch-00002.ckpt: checkpoint was written with batch 20, seed 1, Adam lr 0.001; this run uses batch 20, seed " +
                "1, Adam lr 0.003", error);
            Assert.DoesNotContain("\n", error);
        }
        using (var same = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            // more epochs, same settings: resumes
            Assert.Equal(3, Ok(same.Fit(data, None, config with { Epochs = 3, Resume = true })).Epochs.Count);
        using var restarted = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var restarting = faster with { Checkpoints = new CheckpointPolicy(dir, 1, RestartOnOtherSettings: true) };
        var history = Ok(restarted.Fit(data, None, restarting));
        using var fresh = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var straight = Ok(fresh.Fit(data, None, faster with { Checkpoints = None, Resume = false }));
        Assert.Equal(straight.Epochs.Map(e => e.Loss), history.Epochs.Map(e => e.Loss));
        Assert.Equal(Support.Flat(fresh), Support.Flat(restarted));
    }

    [Fact]
    public void A_truncated_checkpoint_is_a_one_line_error_naming_the_file()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(40, 44);
        using (var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Ok(m.Fit(data, None, new TrainingConfig(1, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1))));
        var path = Directory.GetFiles(dir).Single();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        using var again = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var error = Fail(again.Fit(data, None, new TrainingConfig(2, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1),
            Resume: true)));
        Assert.Contains(path, error);
        Assert.DoesNotContain("\n", error);
    }

    sealed class Events : IProgress<TrainingEvent>
    {
        public readonly List<TrainingEvent> Seen = [];
        public void Report(TrainingEvent value) => Seen.Add(value);
    }

    /// <summary>Three epochs of DNN2 with a checkpoint after each (the folder keeps epochs 2 and 3).</summary>
    static (string Dir, LabeledData Data, TrainingConfig Config) ThreeEpochs()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(120, 46);
        var config = new TrainingConfig(3, 40, 5, new AdamSettings(LearningRate: 0.01), Checkpoints: new CheckpointPolicy(dir, 1));
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 5));
        Ok(m.Fit(data, None, config));
        return (dir, data, config);
    }

    static string Ckpt(string dir, int epoch) => Path.Combine(dir, $"epoch-{epoch:D5}.ckpt");

    /// <summary>Issue 18: the newest checkpoint's header overwritten by a few bytes made --resume fail although the one before was
    /// intact.</summary>
    [Theory]
    [InlineData("header")]
    [InlineData("truncated")]
    [InlineData("tensor data")]
    public void Resume_skips_a_damaged_newest_checkpoint_with_a_warning_and_continues_bit_identically(string damage)
    {
        var (dir, data, config) = ThreeEpochs();
        var newest = Ckpt(dir, 3);
        var bytes = File.ReadAllBytes(newest);
        switch (damage)
        {
            case "header": "XXXX"u8.ToArray().CopyTo(bytes, 20); break;
            case "truncated": bytes = bytes[..(bytes.Length / 3)]; break;
            default: for (var k = 0; k < 4; k++) bytes[bytes.Length - 1000 + k] ^= 0x5A; break;
        }
        File.WriteAllBytes(newest, bytes);

        var events = new Events();
        using var resumed = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 5));
        var history = Ok(resumed.Fit(data, None, config with { Epochs = 4, Resume = true }, events));
        using var straight = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 5));
        var full = Ok(straight.Fit(data, None, config with { Epochs = 4, Checkpoints = None }));

        var skipped = Assert.Single(events.Seen.OfType<CheckpointSkipped>());
        Assert.Equal(newest, skipped.Path);
        Assert.Equal(Ckpt(dir, 2), skipped.ResumedFrom);
        Assert.StartsWith(newest + ": ", skipped.Reason);
        Assert.DoesNotContain("\n", skipped.Reason);
        Assert.Equal(Some(newest + ".damaged"), skipped.KeptAs);
        Assert.Equal(bytes, File.ReadAllBytes(newest + ".damaged"));
        Assert.Equal(full.Epochs.Map(e => e.Loss), history.Epochs.Map(e => e.Loss));
        Assert.Equal(Support.Flat(straight), Support.Flat(resumed));
        Assert.Equal(["epoch-00003.ckpt", "epoch-00003.ckpt.damaged", "epoch-00004.ckpt"],
            Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order().ToArray<string>());
    }

    [Fact]
    public void When_no_checkpoint_verifies_resume_fails_naming_the_newest_damage_and_renames_nothing()
    {
        var (dir, data, config) = ThreeEpochs();
        foreach (var epoch in new[] { 2, 3 })
        {
            var bytes = File.ReadAllBytes(Ckpt(dir, epoch));
            for (var k = 0; k < 4; k++) bytes[bytes.Length - 100 + k] ^= 0xFF; // inside the last tensor (v/…)
            File.WriteAllBytes(Ckpt(dir, epoch), bytes);
        }
        using var again = Ok(Support.Backend.Compile(Zoo.Dnn2(3), 5));
        var fit = again.Fit(data, None, config with { Epochs = 4, Resume = true });
        Assert.True(fit.IsFail);
        fit.IfFail(e =>
        {
            Assert.Equal(Genre.Data.GenreError.ModelCode, e.Code);
            Assert.Matches($"^none of the 2 checkpoints in .* verifies; the newest: " +
                $"{System.Text.RegularExpressions.Regex.Escape(Ckpt(dir, 3))}: checksum mismatch in tensor 'v/[0-9]+' — the file is " +
                    $"damaged$", e.Message);
        });
        Assert.Equal(["epoch-00002.ckpt", "epoch-00003.ckpt"], Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).Order()
            .ToArray<string>());
    }

    /// <summary>Issue 18: four bytes flipped in a checkpoint's tensor data were loaded silently and training went on from
    /// garbage.</summary>
    [Fact]
    public void A_single_checkpoint_with_flipped_bytes_is_refused_naming_file_and_tensor()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(40, 47);
        var config = new TrainingConfig(1, 20, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1));
        using (var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Ok(m.Fit(data, None, config));
        var path = Ckpt(dir, 1);
        var bytes = File.ReadAllBytes(path);
        for (var k = 0; k < 4; k++) bytes[bytes.Length / 2 + k] ^= 0x01;
        File.WriteAllBytes(path, bytes);
        using var again = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        Assert.Matches($"^no checkpoint to resume from: {System.Text.RegularExpressions.Regex.Escape(path)}: checksum mismatch in tensor " +
            $"'[pmv]/[0-9]+' — the file is damaged$",
            Fail(again.Fit(data, None, config with { Epochs = 2, Resume = true })));
    }

    /// <summary>Issue 18: training from garbage reached inf and then failed writing the next checkpoint with a framework JSON
    /// message.</summary>
    [Fact]
    public void A_diverging_fit_stops_at_the_batch_naming_it_and_writes_nothing_more()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(200, 48);
        var config = new TrainingConfig(2, 50, 1, new AdamSettings(), Checkpoints: new CheckpointPolicy(dir, 1));
        using (var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1)))
            Ok(m.Fit(data, None, config));
        // the last checkpoint's weights scaled far beyond what float32 products can hold: finite, but the next forward pass is not
        var last = Ckpt(dir, 2);
        var file = Ok(TensorFile.Read(last));
        var huge = file.Tensors.Map(t => t.Name.StartsWith("p/") ? t with { Values = t.Values.Select(v => v * 1e30f).ToArray() } : t);
        Ok(TensorFile.Write(last, file.Meta, huge));
        var before = Directory.GetFiles(dir).Order().Select(File.ReadAllBytes).ToArray();

        using var resumed = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var fit = resumed.Fit(data, None, config with { Epochs = 4, Resume = true });
        Assert.True(fit.IsFail);
        fit.IfFail(e =>
        {
            Assert.Equal(Genre.Data.GenreError.DivergedCode, e.Code);
            Assert.Matches($"^dnn1: training diverged at epoch 3, batch 1 of 4: the loss is (NaN|\\+infinity); stopped — the last good " +
                $"checkpoint is {System.Text.RegularExpressions.Regex.Escape(last)}$", e.Message);
        });
        Assert.Equal(before, Directory.GetFiles(dir).Order().Select(File.ReadAllBytes).ToArray());
    }

    [Fact]
    public void A_rate_that_blows_the_weights_up_stops_training_before_any_checkpoint()
    {
        var dir = Support.TempDir();
        var data = Support.Problem(200, 49);
        using var m = Ok(Support.Backend.Compile(Zoo.Dnn1(3), 1));
        var fit = m.Fit(data, None, new TrainingConfig(3, 50, 1, new AdamSettings(LearningRate: 1e36),
            Checkpoints: new CheckpointPolicy(dir, 1)));
        Assert.True(fit.IsFail);
        fit.IfFail(e =>
        {
            Assert.Equal(Genre.Data.GenreError.DivergedCode, e.Code);
            Assert.Matches("^dnn1: training diverged at epoch 1, batch [0-9]+ of 4: .*; stopped — no checkpoint had been written$",
                e.Message);
        });
        Assert.Empty(Directory.GetFiles(dir));
    }
}
