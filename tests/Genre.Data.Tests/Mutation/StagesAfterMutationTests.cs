using Genre.Data.Stages;

namespace Genre.Data.Tests.Mutation;

/// <summary>
/// What Stryker's run of <c>Stages/</c> after the survivors' tests (<c>stages-after</c>) still found: scikit-learn's zero-range
/// test is strict, a pipeline whose output keeps text says so naming the pipeline's output, and the quantile transform's clip
/// is Φ⁻¹(1 − (BOUNDS_THRESHOLD − ε)) to the probit's accuracy.
/// </summary>
public class StagesAfterMutationTests
{
    [Fact]
    public void A_range_of_exactly_ten_epsilon_is_scaled_not_taken_for_a_constant_column()
    {
        // _handle_zeros_in_scale: scale < 10 · eps is constant; at exactly 10 · eps the range is kept
        var range = 10 * Math.Pow(2, -52);
        var s = MinMaxScaler.Fit(new Matrix(2, 1, [0.0, range]));
        Assert.Equal(1 / range, s.Scale[0]);
        Assert.Equal(1.0, MinMaxScaler.Fit(new Matrix(2, 1, [0.0, 9 * Math.Pow(2, -52)])).Scale[0]);
    }

    [Fact]
    public void A_pipeline_output_that_keeps_text_is_refused_naming_the_output()
    {
        var frame = new Frame(1, Seq1<FrameColumn>(new TextColumn("t", [Some("a")])));
        var fitted = Ok(Pipeline.Identity.FitPipeline(frame));
        Assert.Equal("pipeline output: column 't' holds text; a model reads numbers (add a stage that encodes it)",
            Fail(fitted.Matrix(frame)));
    }

    [Fact]
    public void The_clip_is_the_normal_quantile_just_inside_the_bounds_threshold()
    {
        // Python's statistics.NormalDist().inv_cdf(1 - (1e-7 - 2**-52)); with + 2**-52 it is 5.199337581877904
        Assert.Equal(5.19933758270342, QuantileNormal.ClipValue, 1e-10);
    }
}
