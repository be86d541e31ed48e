using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;

namespace Genre.Data.Tests;

public class TabularEncodingTests
{
    /// <summary>A golden fixture through the report pipeline (scaled, not encoded).</summary>
    static PreparedData Prepared(string name) => TestFiles.Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), None)).Data;

    static PreparedData Encoded(string name) => TabularEncoding.Encode(Prepared(name));

    [Theory]
    [InlineData("synthetic-small")]
    [InlineData("synthetic-tiny")]
    public void Encoding_equals_scikit_learns_quantile_transformer_and_one_hot_encoder(string name)
    {
        var data = Encoded(name);
        var ours = new[] { data.Scaled.Train, data.Scaled.Val, data.Scaled.Test };
        var rows = ours.SelectMany(d => Enumerable.Range(0, d.Count).Select(i => (d.RowIds[i], d.X.Row(i).ToArray()))).ToArray();
        var expected = File.ReadAllLines(TestFiles.Golden(name + ".full.tabular.csv"));
        Assert.Equal(expected.Length, rows.Length);
        Assert.Equal(TabularEncoding.Width, data.Scaled.Train.X.Cols);
        var (worst, at) = (0.0, "");
        for (var r = 0; r < rows.Length; r++)
        {
            var p = expected[r].Split(',');
            Assert.Equal(long.Parse(p[0], CultureInfo.InvariantCulture), rows[r].Item1);
            Assert.Equal(TabularEncoding.Width + 2, p.Length);
            for (var c = 0; c < TabularEncoding.Width; c++)
            {
                var diff = Math.Abs(double.Parse(p[c + 2], CultureInfo.InvariantCulture) - rows[r].Item2[c]);
                if (diff > worst) (worst, at) = (diff, $"row {rows[r].Item1} ({p[1]}) column {c}: {p[c + 2]} vs {rows[r].Item2[c]:R}");
            }
        }
        Assert.True(worst < 1e-9, $"max |diff| {worst} at {at}");
    }

    [Fact]
    public void One_hot_columns_hold_one_slot_for_a_known_value_and_none_for_an_unknown_one()
    {
        var data = Prepared("synthetic-small");
        var encoding = TabularEncoding.Fit(data.Scaled.Train.X, data.Scaler);
        var x = data.Scaled.Test.X;
        var encoded = encoding.Transform(x);
        var offset = encoding.Continuous.Count + encoding.Binary.Count;
        for (var r = 0; r < x.Rows; r++)
        {
            Assert.Equal(1.0, Enumerable.Range(offset, 12).Sum(c => encoded[r, c]));
            Assert.Equal(1.0, Enumerable.Range(offset + 12, 8).Sum(c => encoded[r, c]));
        }
        // key 12 and time_signature 9 lie outside the fixed categories: all zeros, as handle_unknown="ignore"
        var odd = (double[])x.Values.Clone();
        odd[5] = 12 * data.Scaler.Scale[5] + data.Scaler.Min[5];
        odd[14] = 9 * data.Scaler.Scale[14] + data.Scaler.Min[14];
        var e = encoding.Transform(new Matrix(x.Rows, x.Cols, odd));
        Assert.Equal(0.0, Enumerable.Range(offset, 20).Sum(c => e[0, c]));
    }

    [Fact]
    public void Continuous_columns_keep_the_order_of_their_values_and_stay_within_the_clip()
    {
        var data = Prepared("synthetic-small");
        var encoding = TabularEncoding.Fit(data.Scaled.Train.X, data.Scaler);
        var x = data.Scaled.Val.X;
        var encoded = encoding.Transform(x);
        for (var j = 0; j < encoding.Continuous.Count; j++)
        {
            var column = encoding.Continuous[j].Column;
            var order = Enumerable.Range(0, x.Rows).OrderBy(r => x[r, column]).ToArray();
            for (var k = 1; k < order.Length; k++) Assert.True(encoded[order[k], j] >= encoded[order[k - 1], j]);
            Assert.All(Enumerable.Range(0, x.Rows), r => Assert.InRange(encoded[r, j], -5.2, 5.2));
        }
    }

    [Theory]
    [InlineData(1e-9)]
    [InlineData(0.001)]
    [InlineData(0.02425)]
    [InlineData(0.013816925734024179)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999999)]
    public void Probit_inverts_the_normal_distribution(double p)
    {
        // Φ(x) by a trapezoid rule on the density, independent of the approximation
        var x = TabularEncoding.Probit(p);
        double Phi(double z)
        {
            const int n = 200_000;
            double a = -12, h = (z - a) / n, s = 0;
            for (var i = 0; i <= n; i++)
            {
                var t = a + i * h;
                s += (i == 0 || i == n ? 0.5 : 1) * Math.Exp(-t * t / 2);
            }
            return s * h / Math.Sqrt(2 * Math.PI);
        }
        Assert.True(Math.Abs(Phi(x) - p) <= 1e-8 * Math.Max(p, 1e-3), $"Φ({x}) = {Phi(x)}, p = {p}");
    }

    [Fact]
    public void Preprocessing_with_an_encoding_round_trips_and_an_old_reader_format_refuses_it()
    {
        var data = Encoded("synthetic-small");
        var p = Preprocessing.Of(data);
        var json = p.ToJson();
        Assert.Equal("genre-preprocessing/2", (string?)json["format"]);
        var back = TestFiles.Ok(Preprocessing.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject(), "p.json"));
        var encoding = back.Encoding.IfNone(() => throw new Xunit.Sdk.XunitException("no encoding read back"));
        Assert.Equal(data.Encoding.IfNone(() => throw new Xunit.Sdk.XunitException("no encoding")), encoding);
        Assert.Equal(TabularEncoding.Width, back.InputWidth);
        // a file that says /1 but carries an encoding is damaged, never read as the 15 scaled features
        json["format"] = "genre-preprocessing/1";
        var error = Assert.Single(new[] { Preprocessing.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject(), "p.json") }).Match(_ => "", e => e.Message);
        Assert.Contains("p.json", error);
        Assert.Contains("encoding", error);
        // and a /2 file without an encoding is refused
        json["format"] = "genre-preprocessing/2";
        json.Remove("encoding");
        Assert.Contains("encoding", Preprocessing.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject(), "p.json").Match(_ => "", e => e.Message));
        // quantiles out of order are a damaged file
        var bad = JsonNode.Parse(p.ToJson().ToJsonString())!.AsObject();
        var q = bad["encoding"]!["continuous"]![0]!["quantiles"]!.AsArray();
        q[0] = 2.0;
        Assert.Contains("quantiles", Preprocessing.FromJson(bad, "p.json").Match(_ => "", e => e.Message));
    }

    [Fact]
    public void The_report_pipeline_leaves_the_data_unencoded()
    {
        var data = Prepared("synthetic-tiny");
        Assert.True(data.Encoding.IsNone);
        Assert.Equal(15, Preprocessing.Of(data).InputWidth);
        Assert.Equal("genre-preprocessing/1", (string?)Preprocessing.Of(data).ToJson()["format"]);
    }
}
