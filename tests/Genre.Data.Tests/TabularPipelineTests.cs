using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;

namespace Genre.Data.Tests;

public class TabularPipelineTests
{
    /// <summary>A golden fixture through the report pipeline (scaled, not encoded).</summary>
    static PreparedData Prepared(string name) => Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), None)).Data;

    static (PreparedData Data, Seq<Track> Cleaned) Encoded(string name)
    {
        var loaded = Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), None, Pipelines.Tabular));
        return (loaded.Data, loaded.Cleaned);
    }

    [Theory]
    [InlineData("synthetic-small")]
    [InlineData("synthetic-tiny")]
    public void Encoding_equals_scikit_learns_quantile_transformer_and_one_hot_encoder(string name)
    {
        var data = Encoded(name).Data;
        var ours = new[] { data.Scaled.Train, data.Scaled.Val, data.Scaled.Test };
        var rows = ours.SelectMany(d => Enumerable.Range(0, d.Count).Select(i => (d.RowIds[i], d.X.Row(i).ToArray()))).ToArray();
        var expected = File.ReadAllLines(TestFiles.Golden(name + ".full.tabular.csv"));
        Assert.Equal(expected.Length, rows.Length);
        Assert.Equal(Pipelines.TabularWidth, data.Scaled.Train.X.Cols);
        var (worst, at) = (0.0, "");
        for (var r = 0; r < rows.Length; r++)
        {
            var p = expected[r].Split(',');
            Assert.Equal(long.Parse(p[0], CultureInfo.InvariantCulture), rows[r].Item1);
            Assert.Equal(Pipelines.TabularWidth + 2, p.Length);
            for (var c = 0; c < Pipelines.TabularWidth; c++)
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
        var (data, cleaned) = Encoded("synthetic-small");
        var p = Preprocessing.Of(data);
        var test = toSeq(data.Scaled.Test.RowIds.Select(id => cleaned.Find(t => t.RowId == id)
            .IfNone(() => throw new Xunit.Sdk.XunitException("row"))));
        var encoded = Ok(p.Input(test, "t.csv"));
        var offset = Pipelines.Continuous.Count + Pipelines.Binary.Count;
        for (var r = 0; r < encoded.Rows; r++)
        {
            Assert.Equal(1.0, Enumerable.Range(offset, 12).Sum(c => encoded[r, c]));
            Assert.Equal(1.0, Enumerable.Range(offset + 12, 8).Sum(c => encoded[r, c]));
        }
        // key 12 and time_signature 9 lie outside the fixed categories: all zeros, as handle_unknown="ignore"
        var e = Ok(p.Input(Seq1(test.Head with { Key = 12, TimeSignature = 9 }), "t.csv"));
        Assert.Equal(0.0, Enumerable.Range(offset, 20).Sum(c => e[0, c]));
    }

    [Fact]
    public void Continuous_columns_keep_the_order_of_their_values_and_stay_within_the_clip()
    {
        var raw = Prepared("synthetic-small");
        var data = Encoded("synthetic-small").Data;
        var x = raw.Scaled.Val.X;
        var encoded = data.Scaled.Val.X;
        for (var j = 0; j < Pipelines.Continuous.Count; j++)
        {
            var column = Track.FeatureColumns.ToList().IndexOf(Pipelines.Continuous[j]);
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
        var x = NormalDistribution.Probit(p);
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
    public void Preprocessing_with_the_tabular_pipeline_round_trips_as_typed_stages()
    {
        var (data, cleaned) = Encoded("synthetic-small");
        var p = Preprocessing.Of(data);
        var json = p.ToJson();
        Assert.Equal(Preprocessing.Format, (string?)json["format"]);
        var back = Ok(Preprocessing.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject(), "p.json"));
        Assert.Equal(p.Pipeline, back.Pipeline);
        Assert.Equal(Pipelines.Tabular, back.Pipeline.Stage);
        Assert.Equal(Pipelines.TabularWidth, back.InputWidth);
        Assert.Equal(p.Ranges, back.Ranges);
        // quantiles out of order are a damaged file, named
        var bad = JsonNode.Parse(json.ToJsonString())!.AsObject();
        var quantile = bad["pipeline"]!["state"]!["stages"]![2]!["state"]!["groups"]![0]!["state"]!["stages"]![1]!;
        var q = quantile["state"]!["quantiles"]![0]!.AsArray();
        q[0] = 2.0;
        var error = Preprocessing.FromJson(bad, "p.json").Match(_ => "", e => e.Message);
        Assert.StartsWith("p.json: pipeline", error);
        Assert.Contains("quantiles", error);
        // a stage kind the reader does not know is named
        var unknown = JsonNode.Parse(json.ToJsonString())!.AsObject();
        unknown["pipeline"]!["state"]!["stages"]![1]!["kind"] = "my-stage";
        Assert.Contains("unknown stage kind 'my-stage'", Preprocessing.FromJson(unknown, "p.json").Match(_ => "", e => e.Message));
        Assert.NotEmpty(cleaned);
    }

    [Fact]
    public void The_report_pipeline_writes_the_fifteen_scaled_features()
    {
        var data = Prepared("synthetic-tiny");
        Assert.Equal(Pipelines.Report, data.Pipeline.Stage);
        Assert.Equal(15, Preprocessing.Of(data).InputWidth);
        Assert.Equal(Preprocessing.Format, (string?)Preprocessing.Of(data).ToJson()["format"]);
    }
}
