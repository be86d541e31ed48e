using System.Text.Json.Nodes;
using Genre.Data.Stages;
using Xunit;

namespace Genre.Data.Tests;

/// <summary>RealMLP's preprocessing (issue 27): RobustScale and SmoothClip against hand-computed numpy arithmetic, their
/// refusals and stored form, and the declared pipeline on a golden file.</summary>
public class RealMlpPipelineTests
{
    static Frame Columns(params (string Name, double[] Values)[] columns) =>
        Ok(Frame.Of(toSeq(columns.Select(c => (FrameColumn)new NumericColumn(c.Name, c.Values))).Strict()));

    static double[] Values(Frame f, string name) => Ok(f.Numeric(name, "test")).Values;

    [Fact]
    public void Robust_scaling_centres_on_the_median_and_divides_by_the_interquartile_range_or_half_the_range()
    {
        // one column a frame: each has its own length
        (double Median, double Factor, double[] Out) Scale(double[] train, double[] x)
        {
            var f = (RobustScale.Fitted)Ok(new RobustScale().Fit(Columns(("c", train))));
            return (f.Median[0], f.Factor[0], Values(Ok(f.Transform(Columns(("c", x)))), "c"));
        }
        // sorted 1 2 3 4 100: median 3, q25 2, q75 4 → factor ½
        Assert.Equal((3.0, 0.5), (Scale([4, 1, 100, 3, 2], [0]).Median, Scale([4, 1, 100, 3, 2], [0]).Factor));
        Assert.Equal([-1.0, 48.5], Scale([4, 1, 100, 3, 2], [1, 100]).Out);
        // quartiles both 0: half the range, 4.5
        var tied = Scale([0, 0, 0, 5, 0, 0, 9, 0, 0], [9, 0]);
        Assert.Equal((0.0, 1 / 4.5), (tied.Median, tied.Factor));
        Assert.Equal([2.0, 0.0], tied.Out);
        // no spread at all: zeroed
        var constant = Scale([2, 2, 2], [7, 2]);
        Assert.Equal((2.0, 0.0), (constant.Median, constant.Factor));
        Assert.Equal([0.0, 0.0], constant.Out);
        // NaN left out of the fit and kept: median 15, q25 12.5, q75 17.5
        var gaps = Scale([double.NaN, 10, 20, double.NaN], [double.NaN, 20]);
        Assert.Equal((15.0, 0.2), (gaps.Median, gaps.Factor));
        Assert.True(double.IsNaN(gaps.Out[0]));
        Assert.Equal(1.0, gaps.Out[1]);
    }

    [Fact]
    public void Robust_scaling_takes_numpys_linear_quantiles()
    {
        // np.quantile([1, 2, 4, 8, 16, 32], [0.25, 0.5, 0.75]) = [2.5, 6.0, 14.0]
        var fitted = (RobustScale.Fitted)Ok(new RobustScale().Fit(Columns(("x", [32, 1, 16, 2, 8, 4]))));
        Assert.Equal([6.0], fitted.Median);
        Assert.Equal([1 / (14.0 - 2.5 + 1e-30)], fitted.Factor);
    }

    [Fact]
    public void Smooth_clipping_is_close_to_the_identity_near_zero_and_bounded()
    {
        var fitted = Ok(new SmoothClip().Fit(Columns(("x", [0]))));
        var x = new[] { 0, 0.01, -0.01, 3, -3, 30, 1e6, -1e6, double.NaN };
        var y = Values(Ok(fitted.Transform(Columns(("x", x)))), "x");
        Assert.Equal(0.0, y[0]);
        Assert.Equal(0.01 / Math.Sqrt(1 + 1e-4 / 9), y[1]);
        Assert.Equal(-y[1], y[2]);
        Assert.Equal(3 / Math.Sqrt(2), y[3], 15);
        Assert.Equal(-y[3], y[4]);
        Assert.InRange(y[5], 2.98, 3.0);
        Assert.InRange(y[6], 2.9999999, 3.0);
        Assert.Equal(-y[6], y[7]);
        Assert.True(double.IsNaN(y[8]));
        // the bound is the stage's
        var one = Ok(new SmoothClip(1).Fit(Columns(("x", [0]))));
        Assert.InRange(Values(Ok(one.Transform(Columns(("x", [1e9])))), "x")[0], 0.999, 1.0);
        for (var v = -10.0; v < 10; v += 0.37)
            Assert.True(SmoothClip.Of(v, 3) < SmoothClip.Of(v + 0.37, 3), "increasing"); // keeps the order of values
    }

    [Fact]
    public void Bad_settings_and_columns_are_one_line_errors_naming_the_stage()
    {
        Assert.Contains("max_abs must be a finite number > 0, got 0", Fail(new SmoothClip(0).Fit(Columns(("x", [1])))));
        Assert.Contains("column 'x' has no numbers to fit (all NaN)", Fail(new RobustScale().Fit(Columns(("x", [double.NaN])))));
        var fitted = Ok(new RobustScale().Fit(Columns(("x", [1, 2]))));
        Assert.Contains("no column 'x'", Fail(fitted.Transform(Columns(("y", [1])))));
        Assert.StartsWith("stage 'robust-scale'", Fail(new RobustScale().Fit(Columns(("x", [double.NaN])))));
    }

    [Fact]
    public void The_realmlp_pipeline_round_trips_as_typed_stages_and_refuses_damaged_state()
    {
        var loaded = Ok(ReportPipeline.Load(TestFiles.Golden("synthetic-small.csv"), None, Pipelines.RealMlp));
        var data = loaded.Data;
        Assert.Equal(Pipelines.TabularWidth, data.Scaled.Train.X.Cols);
        // the 11 continuous columns are smoothly clipped: within ±3
        for (var r = 0; r < data.Scaled.Test.Count; r++)
            for (var c = 0; c < Pipelines.Continuous.Count; c++)
                Assert.InRange(data.Scaled.Test.X.Row(r)[c], -3.0, 3.0);
        var p = Preprocessing.Of(data);
        var json = p.ToJson();
        var back = Ok(Preprocessing.FromJson(JsonNode.Parse(json.ToJsonString())!.AsObject(), "p.json"));
        Assert.Equal(p.Pipeline, back.Pipeline);
        Assert.Equal(Pipelines.RealMlp, back.Pipeline.Stage);
        Assert.Equal(Some("realmlp"), Pipelines.NameOf(back.Pipeline.Stage));
        var bad = JsonNode.Parse(json.ToJsonString())!.AsObject();
        var robust = bad["pipeline"]!["state"]!["stages"]![2]!["state"]!["groups"]![0]!["state"]!["stages"]![0]!;
        Assert.Equal("robust-scale", (string?)robust["kind"]);
        robust["state"]!["factor"]![0] = -1.0;
        var error = Preprocessing.FromJson(bad, "p.json").Match(_ => "", e => e.Message);
        Assert.StartsWith("p.json: pipeline", error);
        Assert.Contains("factors ≥ 0", error);
        Assert.DoesNotContain("\n", error);
    }
}
