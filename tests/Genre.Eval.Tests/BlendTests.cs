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

    [Fact]
    public void The_simplex_grid_holds_every_weighting_in_steps_of_a_twentieth_first_models_weight_first()
    {
        var two = WeightedBlend.Grid(2);
        Assert.Equal(21, two.Count);
        Assert.Equal(Seq(1.0, 0.0), two.Head);
        Assert.Equal(Seq(0.0, 1.0), two.Last);
        var three = WeightedBlend.Grid(3);
        Assert.Equal(231, three.Count); // C(22, 2)
        Assert.Equal(Seq(1.0, 0.0, 0.0), three.Head);
        Assert.All(three, w => Assert.Equal(1.0, w.Sum(), 12));
        Assert.All(three, w => Assert.All(w, x => Assert.Equal(Math.Round(x * 20), x * 20, 9)));
        Assert.Equal(three.Count, three.Distinct().Count());
        Assert.Equal(1771, WeightedBlend.Grid(4).Count); // C(23, 3)
    }

    [Fact]
    public void Several_models_blend_on_validation_and_ties_keep_the_first_model_alone()
    {
        // the two-model case above with the second model surer of row 1 (every row right for 5/12 < w < 8/11, so no grid point
        // sits on a boundary), and a third model that is always wrong: the best weights give it nothing
        float[] first = [0.8f, 0.1f, 0.1f, 0.3f, 0.2f, 0.5f, 0.4f, 0.5f, 0.1f];
        float[] second = [0.2f, 0.7f, 0.1f, 0.1f, 0.85f, 0.05f, 0.4f, 0.1f, 0.5f];
        float[] wrong = [0f, 0f, 1f, 0f, 0f, 1f, 0f, 0f, 1f];
        int[] labels = [0, 1, 0];
        var blend = WeightedBlend.Choose(Seq(first, second, wrong), labels, 3);
        Assert.Equal(1.0, blend.ValAccuracy);
        Assert.Equal(231, blend.Points);
        // the first best point in grid order: the largest weight on the first model that gets every row right
        Assert.Equal(Seq(0.7, 0.3, 0.0), blend.Weights.Map(w => Math.Round(w, 9)));
        Assert.Equal(Metrics.Argmax(Blend.Mix(first, second, 0.7), 3), Metrics.Argmax(blend.Apply(Seq(first, second, wrong)), 3));
        // every model equally good: the first alone
        var same = WeightedBlend.Choose(Seq(first, first), labels, 3);
        Assert.Equal(Seq(1.0, 0.0), same.Weights);
        Assert.Equal(first, WeightedBlend.Mix(Seq(first, second), Seq(1.0, 0.0)));
        Assert.Throws<ArgumentException>(() => WeightedBlend.Mix(Seq(first, [1f]), Seq(0.5, 0.5)));
        Assert.Throws<ArgumentException>(() => WeightedBlend.Mix(Seq(first, second), Seq1(1.0)));
    }
}
