using System.Text.Json.Nodes;
using Genre.Data.Stages;
using static Genre.Data.Tests.Mutation.NumericStageMutationTests;

namespace Genre.Data.Tests.Mutation;

/// <summary>
/// QuantileNormal's numpy arithmetic on hand-sized columns, MinMax's and the column-wise stages' refusals, and the stage laws
/// failing on stages built to break them (found by Stryker: bench/results/mutation.md).
/// </summary>
public class QuantileAndLawMutationTests
{
    [Fact]
    public void References_are_numpy_linspace_from_zero_to_one()
    {
        Assert.Equal(new[] { 0.0 }, QuantileNormal.References(1));
        Assert.Equal(new[] { 0.0, 1 }, QuantileNormal.References(2));
        Assert.Equal(new[] { 0, 0.25, 0.5, 0.75, 1 }, QuantileNormal.References(5));
        Assert.Equal(1.0, QuantileNormal.References(7)[^1]);
        Assert.Equal(1.0 / 6, QuantileNormal.References(7)[1]);
    }

    [Fact]
    public void Quantiles_are_numpy_nanpercentile_with_linear_interpolation()
    {
        // np.percentile([0, 10, 30, 60, 100], [0, 100/3, 200/3, 100]) = [0, 16.667, 50, 100]: index 4·r = 4/3 and 8/3, then lerp
        var q = QuantileNormal.Quantiles([60, 0, 100, 30, 10], 4);
        Assert.Equal(0, q[0]);
        Assert.Equal(50.0 / 3, q[1], 12);
        Assert.Equal(50, q[2], 12);
        Assert.Equal(100, q[3]);
        // NaN takes no part: the numbers are 0, 10 and 30
        Assert.Equal(new double[] { 0, 10, 30 }, QuantileNormal.Quantiles([30, double.NaN, 0, 10], 3));
        // at most as many quantiles as numbers: n_quantiles = min(1000, rows)
        Assert.Equal(new double[] { 1, 2.5, 4 }, QuantileNormal.Quantiles([4, 3, 2, 1], 3));
        Assert.Equal(new double[] { 1, 2, 3, 4, 5 }, QuantileNormal.Quantiles([4, 3, 5, 2, 1], 1000));
        Assert.Equal(new double[] { 5, 5 }, QuantileNormal.Quantiles([5, 5, 5], 2));
    }

    [Fact]
    public void Normal_output_maps_the_median_to_zero_ties_to_their_middle_and_the_extremes_to_the_clip()
    {
        var f = Ok(new QuantileNormal(3).Fit(Numbers(("a", [0, 1, 2]))));
        var y = Column(Ok(f.Transform(Numbers(("a", [1, 0.5, -5, 7, 2, 0, double.NaN])))), "a");
        Assert.Equal(0, y[0], 12);
        Assert.Equal(-0.6744897501960817, y[1], 9); // Φ⁻¹(0.25)
        Assert.Equal(-QuantileNormal.ClipValue, y[2]);
        Assert.Equal(QuantileNormal.ClipValue, y[3]);
        Assert.Equal(QuantileNormal.ClipValue, y[4]); // the training maximum is pinned to p = 1
        Assert.Equal(-QuantileNormal.ClipValue, y[5]);
        Assert.True(double.IsNaN(y[6]));
        // Φ⁻¹(1 − (1e-7 − 2⁻⁵²)) ≈ 5.1993, scikit-learn's clip
        Assert.InRange(QuantileNormal.ClipValue, 5.199, 5.2);
        // tied quantiles [0, 1, 1, 1, 2] at references [0, ¼, ½, ¾, 1]: the forward interpolation gives ¾, the backward ¼, their
        // mean the middle reference ½ (numpy's interp takes the last of equal xp)
        var tied = Ok(new QuantileNormal(5).Fit(Numbers(("a", [0, 1, 1, 1, 2]))));
        Assert.Equal(0, Column(Ok(tied.Transform(Numbers(("a", [1])))), "a")[0], 12);
    }

    [Fact]
    public void Quantile_normal_refuses_too_few_quantiles_and_columns_without_numbers()
    {
        Assert.Equal("stage 'quantile-normal': n_quantiles must be at least 2, got 1",
            Fail(new QuantileNormal(1).Fit(Numbers(("a", [1, 2])))));
        Assert.True(new QuantileNormal(2).Fit(Numbers(("a", [1, 2]))).IsSucc);
        Assert.Equal("stage 'quantile-normal': column 'b' has no numbers to fit (all NaN)",
            Fail(new QuantileNormal(2).Fit(Numbers(("a", [1, 2]), ("b", [double.NaN, double.NaN])))));
        Assert.Equal("stage 'quantile-normal': nothing to fit (no rows)", Fail(new QuantileNormal().Fit(Numbers(("a", [])))));
    }

    [Fact]
    public void Quantile_normal_reads_back_only_non_decreasing_finite_lists_within_n_quantiles()
    {
        Fin<FittedStage> Read(string quantiles, int n = 3) => StageRegistry.BuiltIn.ReadFitted(JsonNode.Parse(
            $"{{\"kind\":\"quantile-normal\",\"config\":{{\"n_quantiles\":{n}}}," +
            $"\"state\":{{\"columns\":[\"a\"],\"quantiles\":{quantiles}}}}}"), "t");
        Assert.True(Read("[[1,2,2]]").IsSucc);
        Assert.True(Read("[[1]]").IsSucc);
        foreach (var bad in new[] { "[[1,2,3,4]]", "[[2,1]]", "[[]]", "[[1,\"Infinity\"]]", "[[\"NaN\"]]", "[[1],[2]]", "[]" })
            Assert.Contains("non-decreasing list of at most 3 numbers per column", Fail(Read(bad)));
        Assert.Equal(new QuantileNormal(7), Ok(StageRegistry.BuiltIn.ReadStage(JsonNode.Parse(
            "{\"kind\":\"quantile-normal\",\"config\":{\"n_quantiles\":7}}"), "t")));
        var f = Ok(new QuantileNormal(5).Fit(Numbers(("a", [1, 2]))));
        Assert.Equal("{\"columns\":[\"a\"],\"quantiles\":[[1,2]]}", f.State().ToJsonString());
        Assert.Equal(new QuantileNormal(5), f.Declared);
    }

    [Fact]
    public void Min_max_supports_only_the_unit_range_and_reads_back_a_number_per_column()
    {
        var f = (MinMax.Fitted)Ok(new MinMax().Fit(Numbers(("a", [2, 4]), ("b", [-1, 1]))));
        Assert.Equal(Seq(("a", 2.0, 4.0), ("b", -1.0, 1.0)), f.Ranges);
        // values outside the training range extrapolate: (x − min)/(max − min)
        Assert.Equal(new[] { -0.5, 1.5 }, Column(Ok(f.Transform(Numbers(("a", [1, 5]), ("b", [0, 0])))), "a"));
        var json = f.ToJson();
        json["config"] = JsonNode.Parse("{\"feature_range\":[-1,1]}");
        Assert.Contains("only feature_range [0, 1] is supported", Fail(StageRegistry.BuiltIn.ReadFitted(json, "t")));
        Assert.Contains("only feature_range [0, 1] is supported",
            Fail(StageRegistry.BuiltIn.ReadStage(JsonNode.Parse("{\"kind\":\"min-max\",\"config\":{\"feature_range\":[0,2]}}"), "t")));
        json = f.ToJson();
        json["state"]!["scale"] = JsonNode.Parse("[1]");
        Assert.Contains("'scale' has 1 numbers for 2 columns", Fail(StageRegistry.BuiltIn.ReadFitted(json, "t")));
        json = f.ToJson();
        json["state"]!["data_max"] = JsonNode.Parse("[1,2,3]");
        Assert.Contains("'data_max' has 3 numbers for 2 columns", Fail(StageRegistry.BuiltIn.ReadFitted(json, "t")));
        Assert.Equal(f, Ok(StageRegistry.BuiltIn.ReadFitted(JsonNode.Parse(f.ToJson().ToJsonString()), "t")));
    }

    [Fact]
    public void Column_wise_stages_read_exactly_their_fitted_columns_in_order()
    {
        var f = Ok(new MinMax().Fit(Numbers(("a", [2, 4]), ("b", [-1, 1]))));
        Assert.Equal("stage 'min-max': was fitted on columns a, b, got b, a", Fail(f.Transform(Numbers(("b", [1]), ("a", [1])))));
        Assert.Equal("stage 'min-max': no column 'b' (it was fitted on a, b)", Fail(f.Transform(Numbers(("a", [1])))));
        Assert.Equal("stage 'min-max': was fitted on columns a, b, got a, b, c", Fail(f.OutputNames(Seq("a", "b", "c"))));
        Assert.Equal(Seq("a", "b"), Ok(f.OutputNames(Seq("a", "b"))));
        var text = Ok(Frame.Of(Seq<FrameColumn>(new NumericColumn("a", [1]), new TextColumn("b", [Some("x")]))));
        Assert.Equal("stage 'min-max': column 'b' holds text, not numbers", Fail(new MinMax().Fit(text)));
        Assert.Contains("column 'b' holds text", Fail(f.Transform(text)));
        Assert.Equal("stage 'standardize': nothing to fit (no rows)", Fail(new Standardize().Fit(Numbers(("a", [])))));
    }

    /// <summary>A stage whose fit learns a new number every time (not deterministic).</summary>
    sealed record Drifting : Stage
    {
        static int fits;
        public override string Kind => "drifting";
        public override JsonObject Config() => new();
        public override Fin<FittedStage> Fit(Frame train) => new Shift(Interlocked.Increment(ref fits), this);
    }

    /// <summary>Adds <paramref name="By"/>, or the input's first value when <paramref name="Whole"/> (then not row-wise, though it
    /// claims to be); its JSON forgets <paramref name="By"/> when <paramref name="Forgetful"/>.</summary>
    sealed record Shift(double By, Stage Of, bool Whole = false, bool Forgetful = false) : FittedStage
    {
        public override Stage Declared => Of;
        public override JsonObject State() => new() { ["by"] = Forgetful ? 0 : By };
        public override Fin<Frame> Transform(Frame input)
        {
            var add = Whole ? ((NumericColumn)input.Columns.Head).Values[0] : By;
            return input with
            {
                Columns = input.Columns
                    .Map(c => (FrameColumn)new NumericColumn(c.Name, ((NumericColumn)c).Values.Select(v => v + add).ToArray())).Strict(),
            };
        }
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => input;
    }

    sealed record Fixed(bool Whole = false, bool Forgetful = false) : Stage
    {
        public override string Kind => "fixed";
        public override JsonObject Config() => new() { ["whole"] = Whole, ["forgetful"] = Forgetful };
        public override Fin<FittedStage> Fit(Frame train) => new Shift(1, this, Whole, Forgetful);
    }

    static readonly StageRegistry Registry = StageRegistry.BuiltIn.With(new StageKind("fixed",
        (c, _, _) => new Fixed(c["whole"]!.GetValue<bool>(), c["forgetful"]!.GetValue<bool>()),
        (c, s, _, _) => new Shift(s["by"]!.GetValue<double>(), new Fixed(c["whole"]!.GetValue<bool>(), c["forgetful"]!.GetValue<bool>()),
            c["whole"]!.GetValue<bool>(), c["forgetful"]!.GetValue<bool>())));

    [Fact]
    public void Each_stage_law_fails_on_a_stage_built_to_break_it_and_holds_otherwise()
    {
        var train = Numbers(("a", [1, 2, 3]));
        var input = Numbers(("a", [5, 6, 7]));
        Assert.Equal("law 'fit is deterministic' broken by stage 'drifting': two fits on one frame differ",
            Fail(StageLaws.FitIsDeterministic(new Drifting(), train)));
        Assert.True(StageLaws.FitIsDeterministic(new Fixed(), train).IsSucc);
        // two refusals alike are deterministic too
        Assert.True(StageLaws.FitIsDeterministic(new SelectColumns(Seq1("x")), train).IsSucc);
        Assert.StartsWith("law 'row-wise' broken by stage 'fixed': transforming rows [2, 1…] alone",
            Fail(StageLaws.RowWise(new Fixed(Whole: true), train, input, [2, 1])));
        Assert.True(StageLaws.RowWise(new Fixed(), train, input, [2, 1]).IsSucc);
        Assert.True(StageLaws.RowWise(new Fixed(Whole: true), train, input, [0]).IsSucc);
        Assert.Equal("law 'save → load is the identity' broken by stage 'fixed': the stage read back is not the stage written",
            Fail(StageLaws.RoundTrips(new Fixed(Forgetful: true), train, input, Registry)));
        Assert.True(StageLaws.RoundTrips(new Fixed(), train, input, Registry).IsSucc);
        Assert.Contains("unknown stage kind 'fixed'", Fail(StageLaws.RoundTrips(new Fixed(), train, input)));
        Assert.Contains("'fit is deterministic'", Fail(StageLaws.All(new Drifting(), train, input, [0], Registry)));
        Assert.Contains("'row-wise'", Fail(StageLaws.All(new Fixed(Whole: true), train, input, [1], Registry)));
        Assert.Contains("'save → load", Fail(StageLaws.All(new Fixed(Forgetful: true), train, input, [1], Registry)));
        Assert.True(StageLaws.All(new Fixed(), train, input, [1], Registry).IsSucc);
    }
}
