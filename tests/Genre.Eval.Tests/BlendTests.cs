namespace Genre.Eval.Tests;

public class BlendTests
{
    [Fact]
    public void The_weight_is_chosen_on_validation_and_a_blend_can_beat_both_models()
    {
        // row 0: only the first model is right; row 1: only the second; row 2: each picks another wrong class, their mean is
        // right. Every row is right for 5/12 < w < 0.7 (no bound on the grid).
        float[] first = [0.8f, 0.1f, 0.1f, 0.3f, 0.2f, 0.5f, 0.4f, 0.5f, 0.1f];
        float[] second = [0.2f, 0.7f, 0.1f, 0.1f, 0.8f, 0.1f, 0.4f, 0.1f, 0.5f];
        int[] labels = [0, 1, 0];
        Assert.Equal(1.0 / 3, Metrics.Accuracy(labels, Metrics.Argmax(first, 3)), 12);
        Assert.Equal(1.0 / 3, Metrics.Accuracy(labels, Metrics.Argmax(second, 3)), 12);
        var blend = Blend.Choose(first, second, labels, 3);
        Assert.Equal(1.0, blend.ValAccuracy);
        Assert.Equal(0.45, blend.Weight);
        Assert.Equal(21, blend.Grid.Count);
        Assert.Equal(blend.Grid.Filter(g => g.ValAccuracy == 1.0).Head.Weight, blend.Weight); // the smallest best weight
    }

    [Fact]
    public void Weights_zero_and_one_are_the_models_themselves()
    {
        float[] a = [0.2f, 0.8f];
        float[] b = [0.7f, 0.3f];
        Assert.Equal(b, Blend.Mix(a, b, 0));
        Assert.Equal(a, Blend.Mix(a, b, 1));
        Assert.Throws<ArgumentException>(() => Blend.Mix(a, [1f], 0.5));
    }
}
