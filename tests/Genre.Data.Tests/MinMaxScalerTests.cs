using System.Globalization;

namespace Genre.Data.Tests;

/// <summary>MinMaxScaler against scikit-learn 1.2's on edge cases (tests/golden/data/minmax.txt): bit for bit.</summary>
public class MinMaxScalerTests
{
    sealed record Case(Matrix Fit, Matrix Other, Dictionary<string, double[]> Expected, Matrix TFit, Matrix TOther);

    static double[] Numbers(string line) =>
        line.Split(' ').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    static List<Case> Cases()
    {
        var lines = File.ReadAllLines(TestFiles.Golden("minmax.txt"));
        var cases = new List<Case>();
        for (var i = 0; i < lines.Length;)
        {
            var h = lines[i++].Split(' ');
            int rows = int.Parse(h[2]), cols = int.Parse(h[3]), other = int.Parse(h[4]);
            Matrix Take(int n) { var m = new Matrix(n, cols, lines[i..(i + n)].SelectMany(Numbers).ToArray()); i += n; return m; }
            var fit = Take(rows);
            var oth = Take(other);
            var exp = new[] { "data_min_", "data_max_", "scale_", "min_" }.ToDictionary(k => k, _ => Numbers(lines[i++]));
            cases.Add(new Case(fit, oth, exp, Take(rows), Take(other)));
        }
        return cases;
    }

    [Fact]
    public void Fit_and_transform_equal_sklearn_bit_for_bit()
    {
        var cases = Cases();
        Assert.Equal(2, cases.Count);
        foreach (var c in cases)
        {
            var s = MinMaxScaler.Fit(c.Fit);
            Assert.Equal(c.Expected["data_min_"], s.DataMin);
            Assert.Equal(c.Expected["data_max_"], s.DataMax);
            Assert.Equal(c.Expected["scale_"], s.Scale);
            Assert.Equal(c.Expected["min_"], s.Min);
            Assert.Equal(c.TFit.Values, s.Transform(c.Fit).Values);
            Assert.Equal(c.TOther.Values, s.Transform(c.Other).Values);
        }
    }

    [Fact]
    public void Near_constant_columns_get_scale_one_as_in_handle_zeros_in_scale()
    {
        var c = Cases()[0];
        var s = MinMaxScaler.Fit(c.Fit);
        Assert.Equal(1.0, s.Scale[1]);                                  // constant
        Assert.Equal(1.0, s.Scale[2]);                                  // range ≈ 1.4e-17 < 10·eps
        Assert.Equal(1.0 / (16 * 2.220446049250313e-16), s.Scale[3]);   // range 16·eps ≥ 10·eps is kept
    }

    [Fact]
    public void Constant_columns_scale_to_zero_and_others_to_the_unit_interval()
    {
        var x = new Matrix(3, 2, [1, 5, 2, 5, 3, 5]);
        var s = MinMaxScaler.Fit(x);
        Assert.Equal(new[] { 0.5, 1.0 }, s.Scale);
        Assert.Equal(new[] { -0.5, -5.0 }, s.Min);
        Assert.Equal(new double[] { 0, 0, 0.5, 0, 1, 0 }, s.Transform(x).Values);
        Assert.Equal(new double[] { -0.5, 1 }, s.Transform(new Matrix(1, 2, [0, 6])).Values);   // outside the fitted range: not clipped
    }
}
