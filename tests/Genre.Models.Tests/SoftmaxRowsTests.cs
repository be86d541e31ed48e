namespace Genre.Models.Tests;

/// <summary>Issue 28: prediction's own softmax (<see cref="SoftmaxRows"/>) against float64, for rows that are whole vectors, a
/// tail, or both; far classes give 0 rather than denormals; a NaN logit gives a row of NaN.</summary>
public class SoftmaxRowsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(66)]
    [InlineData(114)]
    public void Each_row_is_the_float64_softmax_to_float32_rounding(int classes)
    {
        const int rows = 9;
        var r = new Random(classes);
        var z = Enumerable.Range(0, rows * classes).Select(i => (float)((r.NextDouble() * 2 - 1) * (1 + i % 5 * 20))).ToArray();
        var logits = z.ToArray();
        SoftmaxRows.Apply(z, rows, classes);
        for (var row = 0; row < rows; row++)
        {
            var x = logits.AsSpan(row * classes, classes).ToArray();
            var max = x.Max();
            var sum = x.Sum(v => Math.Exp(v - max));
            for (var j = 0; j < classes; j++)
            {
                var exact = Math.Exp(x[j] - max) / sum;
                var got = z[row * classes + j];
                if (exact < 1e-37) Assert.InRange(got, 0, 2e-37); // e^(z − max) below e^−87.3 is 0 here
                else Assert.True(Math.Abs(got - exact) <= 1e-6 * exact, $"row {row} class {j}: {got:R} vs {exact:R}");
            }
            Assert.Equal(1, z.AsSpan(row * classes, classes).ToArray().Sum(v => (double)v), 1e-5);
        }
    }

    [Fact]
    public void Far_classes_are_zero_and_a_nan_logit_makes_its_row_nan()
    {
        var z = new float[2 * 20];
        z[3] = 200; // every other class of row 0 is 200 below: e^−200 is 0, not a denormal
        z[20 + 17] = float.NaN;
        SoftmaxRows.Apply(z, 2, 20);
        Assert.Equal(1f, z[3]);
        Assert.All(z.Take(20).Where((_, j) => j != 3), p => Assert.Equal(0f, p));
        Assert.All(z.Skip(20), p => Assert.True(float.IsNaN(p)));
    }
}
