using static TorchSharp.torch;

namespace Genre.Models.Tests;

/// <summary>Keras' glorot_uniform and orthogonal initializers: bounds, moments, orthonormality, determinism.</summary>
public class InitTests
{
    [Theory]
    [InlineData(15, 100)]
    [InlineData(250, 320)]
    public void Glorot_uniform_stays_within_its_limit_with_the_uniform_variance(int fanIn, int fanOut)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(11);
        var w = KerasInit.GlorotUniform(fanIn, fanOut, g);
        Assert.Equal(new long[] { fanIn, fanOut }, w.shape);
        var limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        var v = w.data<float>().ToArray();
        Assert.All(v, x => Assert.InRange(x, -limit, limit));
        Assert.True(v.Max() > 0.95 * limit && v.Min() < -0.95 * limit, "fills the whole range");
        var mean = v.Average(x => (double)x);
        var variance = v.Average(x => (x - mean) * (x - mean));
        Assert.InRange(mean, -0.05 * limit, 0.05 * limit);
        Assert.InRange(variance, 0.9 * limit * limit / 3, 1.1 * limit * limit / 3); // U(−l, l) has variance l²/3 = 2 / (fan_in + fan_out)
    }

    [Theory]
    [InlineData(2, 8)]
    [InlineData(80, 320)]
    [InlineData(150, 600)]
    public void Orthogonal_recurrent_kernels_have_orthonormal_rows(int units, int gates)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(5);
        var u = KerasInit.Orthogonal(units, gates, g).to(ScalarType.Float64);
        Assert.Equal(new long[] { units, gates }, u.shape);
        var gram = u.matmul(u.t());                    // (H, 4H)·(4H, H) = I_H
        var deviation = (gram - eye(units, dtype: ScalarType.Float64)).abs().max().item<double>();
        Assert.True(deviation < 1e-5, $"max |U Uᵀ − I| = {deviation}");
    }

    [Fact]
    public void Initializers_are_functions_of_the_generator_seed()
    {
        using var scope = NewDisposeScope();
        float[] Draw(ulong seed)
        {
            using var g = new Generator(seed);
            return KerasInit.Orthogonal(4, 16, g).data<float>().ToArray().Concat(KerasInit.GlorotUniform(3, 5, g).data<float>().ToArray())
                .ToArray();
        }
        Assert.Equal(Draw(1), Draw(1));
        Assert.NotEqual(Draw(1), Draw(2));
    }
}
