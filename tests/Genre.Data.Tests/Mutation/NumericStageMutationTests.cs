using System.Text.Json.Nodes;
using Genre.Data.Stages;

namespace Genre.Data.Tests.Mutation;

/// <summary>
/// The numbers the column-wise stages compute (found by Stryker: bench/results/mutation.md). The stage laws (deterministic fit,
/// row-wise, round trip) hold for a stage that computes the wrong numbers consistently, so each value here follows the
/// scikit-learn/numpy definition the stage names: StandardScaler's population variance, np.log1p, OneHotEncoder's slots,
/// LabelEncoder's sorted classes.
/// </summary>
public class NumericStageMutationTests
{
    internal static Frame Numbers(params (string Name, double[] Values)[] columns) =>
        Ok(Frame.Of(columns.Select(c => (FrameColumn)new NumericColumn(c.Name, c.Values)).ToSeq().Strict()));

    internal static double[] Column(Frame f, string name) => Ok(f.Numeric(name, "test")).Values;

    [Fact]
    public void Standardize_subtracts_the_mean_and_divides_by_the_population_deviation_leaving_nan_out()
    {
        var train = Numbers(("a", [1, 2, 3, 4, double.NaN]), ("b", [10, 10, 10, 10, 10]));
        var f = (Standardize.Fitted)Ok(new Standardize().Fit(train));
        // numpy: mean 2.5, var = mean((x − 2.5)²) = 1.25 (ddof 0), NaN ignored as StandardScaler does
        Assert.Equal(new[] { 2.5, 10.0 }, f.Mean);
        Assert.Equal(Math.Sqrt(1.25), f.Scale[0], 15);
        Assert.Equal(1.0, f.Scale[1]); // a constant column's scale is 1 (_handle_zeros_in_scale)
        var y = Ok(f.Transform(Numbers(("a", [2.5, 5, double.NaN]), ("b", [10, 12, 8]))));
        Assert.Equal(new[] { 0, 2.5 / Math.Sqrt(1.25) }, Column(y, "a")[..2]);
        Assert.True(double.IsNaN(Column(y, "a")[2]));
        Assert.Equal(new[] { 0.0, 2, -2 }, Column(y, "b"));
    }

    [Fact]
    public void Standardize_sums_squared_deviations_so_a_large_offset_keeps_its_scale()
    {
        // x² − mean² (the same sum algebraically) cancels catastrophically at an offset of 1e8: numpy's var sums (x − mean)²
        var f = (Standardize.Fitted)Ok(new Standardize().Fit(Numbers(("a", [1e8 + 1, 1e8 + 2, 1e8 + 3]))));
        Assert.Equal(Math.Sqrt(2.0 / 3), f.Scale[0], 12);
    }

    [Fact]
    public void Standardize_treats_a_variance_within_rounding_error_as_constant_as_scikit_learn_does()
    {
        // _is_constant_feature: var ≤ n·eps·var + (n·mean·eps)². [1, 1 + 2⁻⁵²] varies only by rounding: scale 1; [0, 2e-100] has
        // a tiny variance of tiny values, which is real: scale 1e-100 (the old test, scale < 10·double.Epsilon, kept the first)
        var f = (Standardize.Fitted)Ok(new Standardize().Fit(
            Numbers(("a", [1, 1 + Math.Pow(2, -52)]), ("b", [0, 2e-100]), ("c", [0, 0]), ("d", [3, 3 + 1e-6]))));
        Assert.Equal(1.0, f.Scale[0]);
        Assert.Equal(1.0, f.Scale[1] / 1e-100, 14);
        Assert.Equal(1.0, f.Scale[2]); // variance 0 = bound 0: constant
        Assert.Equal(5e-7, f.Scale[3], 12); // far above the bound
    }

    [Fact]
    public void Standardize_of_an_all_nan_column_has_nan_mean_and_unit_scale()
    {
        var f = (Standardize.Fitted)Ok(new Standardize().Fit(Numbers(("a", [double.NaN, double.NaN]))));
        Assert.True(double.IsNaN(f.Mean[0]));
        Assert.Equal(1.0, f.Scale[0]);
    }

    [Fact]
    public void Standardize_reads_back_only_consistent_state()
    {
        var f = Ok(new Standardize().Fit(Numbers(("a", [1, 3]))));
        Assert.Equal("{\"columns\":[\"a\"],\"mean\":[2],\"scale\":[1]}", f.State().ToJsonString());
        Assert.Equal("{\"with_mean\":true,\"with_std\":true}", new Standardize().Config().ToJsonString());
        Fin<FittedStage> Read(string state) => StageRegistry.BuiltIn.ReadFitted(JsonNode.Parse(
            $"{{\"kind\":\"standardize\",\"config\":{{\"with_mean\":true,\"with_std\":true}},\"state\":{state}}}"), "t");
        Assert.Equal(f, Ok(Read("{\"columns\":[\"a\"],\"mean\":[2],\"scale\":[1]}")));
        Assert.Contains("scales > 0", Fail(Read("{\"columns\":[\"a\"],\"mean\":[2],\"scale\":[0]}")));
        Assert.Contains("scales > 0", Fail(Read("{\"columns\":[\"a\"],\"mean\":[2,3],\"scale\":[1]}")));
        Assert.Contains("scales > 0", Fail(Read("{\"columns\":[\"a\"],\"mean\":[2],\"scale\":[1,1]}")));
        Assert.Contains("unexpected member 'center'", Fail(StageRegistry.BuiltIn.ReadStage(
            JsonNode.Parse("{\"kind\":\"standardize\",\"config\":{\"with_mean\":true,\"center\":1}}"), "t")));
        // fitted stages compare their arrays by value
        var g = Ok(new Standardize().Fit(Numbers(("a", [1, 3]))));
        Assert.Equal(f, g);
        Assert.Equal(f.GetHashCode(), g.GetHashCode());
        Assert.NotEqual(f, Ok(new Standardize().Fit(Numbers(("a", [1, 5])))));
        Assert.NotEqual(f, Ok(new Standardize().Fit(Numbers(("b", [1, 3])))));
    }

    [Fact]
    public void Log1p_matches_numpy_including_tiny_values_and_minus_one()
    {
        Assert.Equal(Math.Log(2), Log1p.Of(1), 15);
        Assert.Equal(Math.Log(0.5), Log1p.Of(-0.5), 15);
        Assert.Equal(Math.Log(1001), Log1p.Of(1000), 12);
        Assert.Equal(0.0, Log1p.Of(0));
        Assert.Equal(1e-20, Log1p.Of(1e-20)); // 1 + x rounds to 1: log1p(x) = x to double precision
        // log1p(1e-10) = 1e-10 − 5e-21 + …; Math.Log(1 + 1e-10) is off in the 8th digit, log1p must not be
        Assert.True(Math.Abs(Log1p.Of(1e-10) - (1e-10 - 5e-21)) < 1e-25, $"log1p(1e-10) = {Log1p.Of(1e-10):R}");
        Assert.Equal(double.NegativeInfinity, Log1p.Of(-1));
    }

    [Fact]
    public void Log1p_transforms_each_value_and_refuses_one_below_minus_one_naming_row_and_column()
    {
        var f = Ok(new Log1p().Fit(Numbers(("a", [0, 1]), ("b", [2, 3]))));
        var y = Ok(f.Transform(Numbers(("a", [0, 1, -1]), ("b", [3, 0, 7]))));
        Assert.Equal(new[] { 0, Math.Log(2), double.NegativeInfinity }, Column(y, "a"));
        Assert.Equal(new[] { Math.Log(4), 0, Math.Log(8) }, Column(y, "b"));
        var bad = Numbers(("a", [0, 1, -1]), ("b", [3, -1.5, 7]));
        Assert.Equal("row 2: column 'b': -1.5 is below −1, where log1p is undefined (stage 'log1p')", Fail(f.Transform(bad)));
        Assert.Equal("row 1: column 'a': -2 is below −1, where log1p is undefined (stage 'log1p')",
            Fail(f.Transform(Numbers(("a", [-2, 0]), ("b", [1, 1])))));
        Assert.Equal("{\"columns\":[\"a\",\"b\"]}", f.State().ToJsonString());
        Assert.Contains("holds text", Fail(new Log1p().Fit(Ok(Frame.Of(Seq1<FrameColumn>(new TextColumn("t", [Some("x")])))))));
        Assert.Contains("unexpected member", Fail(StageRegistry.BuiltIn.ReadStage(
            JsonNode.Parse("{\"kind\":\"log1p\",\"config\":{\"base\":2}}"), "t")));
    }

    [Fact]
    public void One_hot_learns_sorted_distinct_categories_without_nan_and_encodes_in_place()
    {
        var train = Numbers(("a", [1, 2, 3, 4]), ("k", [3, 1, double.NaN, 1]), ("z", [0, 0, 0, 0]));
        var f = (OneHot.Fitted)Ok(OneHot.Of("k").Fit(train));
        Assert.Equal(Seq(1.0, 3.0), f.Columns.Head.Categories);
        var y = Ok(f.Transform(Numbers(("a", [9, 8, 7]), ("k", [1, 3, 2]), ("z", [5, 6, 7]))));
        Assert.Equal(Seq("a", "k_1", "k_3", "z"), y.Names);
        Assert.Equal(new double[] { 1, 0, 0 }, Column(y, "k_1"));
        Assert.Equal(new double[] { 0, 1, 0 }, Column(y, "k_3")); // 2 is no category: all zeros (handle_unknown="ignore")
        Assert.Equal(new double[] { 9, 8, 7 }, Column(y, "a"));
        Assert.Equal(Ok(f.OutputNames(Seq("a", "k", "z"))), y.Names);
        Assert.Contains("no column 'k'", Fail(f.OutputNames(Seq("a", "z"))));
        Assert.Contains("no column 'k'", Fail(f.Transform(Numbers(("a", [1])))));
    }

    [Fact]
    public void One_hot_names_fractional_categories_in_round_trip_form_and_keeps_the_index()
    {
        var stage = new OneHot(Seq1(new OneHotColumn("v", Some(Seq(0.5, -2.0)))));
        var input = Numbers(("v", [-2, 0.5, double.NaN])) with { Index = new long[] { 11, 12, 13 } };
        var f = Ok(stage.Fit(Numbers(("v", [7]))));
        var y = Ok(f.Transform(input));
        Assert.Equal(Seq("v_0.5", "v_-2"), y.Names);
        Assert.Equal(new double[] { 0, 1, 0 }, Column(y, "v_0.5"));
        Assert.Equal(new double[] { 1, 0, 0 }, Column(y, "v_-2"));
        Assert.Equal(13, y.RowLabel(2));
        Assert.Equal("{\"columns\":[{\"column\":\"v\",\"categories\":[0.5,-2]}]}", stage.Config().ToJsonString());
        Assert.Equal("{\"columns\":[{\"column\":\"k\"}]}", OneHot.Of("k").Config().ToJsonString());
        Assert.Contains("holds text", Fail(OneHot.Of("t").Fit(Ok(Frame.Of(Seq1<FrameColumn>(new TextColumn("t", [Some("x")])))))));
    }

    [Fact]
    public void One_hot_reads_back_only_distinct_categories_of_the_declared_columns()
    {
        Fin<FittedStage> Read(string config, string state) => StageRegistry.BuiltIn.ReadFitted(JsonNode.Parse(
            $"{{\"kind\":\"one-hot\",\"config\":{config},\"state\":{state}}}"), "t");
        const string config = "{\"columns\":[{\"column\":\"k\"}]}";
        var f = Ok(Read(config, "{\"columns\":[{\"column\":\"k\",\"categories\":[1,3]}]}"));
        Assert.Equal(Seq("k_1", "k_3"), Ok(f.OutputNames(Seq1("k"))));
        Assert.Contains("column 'k' lists a category twice", Fail(Read(config, "{\"columns\":[{\"column\":\"k\",\"categories\":[1,1]}]}")));
        Assert.Contains("not the declared ones", Fail(Read(config, "{\"columns\":[{\"column\":\"j\",\"categories\":[1]}]}")));
        Assert.Contains("'categories' is not a list of numbers",
            Fail(Read("{\"columns\":[{\"column\":\"k\",\"categories\":\"x\"}]}", "{\"columns\":[]}")));
        var declared = Ok(StageRegistry.BuiltIn.ReadStage(JsonNode.Parse(
            "{\"kind\":\"one-hot\",\"config\":{\"columns\":[{\"column\":\"k\",\"categories\":[2]}]}}"), "t"));
        Assert.Equal(new OneHot(Seq1(new OneHotColumn("k", Some(Seq1(2.0))))), declared);
    }

    [Fact]
    public void Label_encode_sorts_classes_ordinally_and_names_what_it_cannot_encode()
    {
        var train = Ok(Frame.Of(Seq<FrameColumn>(new TextColumn("e", [Some("b"), Some("B"), Some("a"), Some("b")]),
            new NumericColumn("n", [1, 2, 3, 4]))));
        var f = (LabelEncode.Fitted)Ok(new LabelEncode("e").Fit(train));
        Assert.Equal(Seq("B", "a", "b"), f.Classes.Classes); // ordinal: upper case first, as np.unique on str
        var y = Ok(f.Transform(train));
        Assert.Equal(new double[] { 2, 0, 1, 2 }, Column(y, "e"));
        Assert.Equal(new double[] { 1, 2, 3, 4 }, Column(y, "n"));
        Assert.Equal(Seq("e", "n"), y.Names);
        var unknown = Ok(Frame.Of(Seq1<FrameColumn>(new TextColumn("e", [Some("a"), Some("c")])))) with { Index = new long[] { 5, 6 } };
        Assert.Equal("row 6: column 'e': 'c' never occurred in the model's training data (it knows B, a, b; stage 'label-encode')",
            Fail(f.Transform(unknown)));
        var missing = Ok(Frame.Of(Seq1<FrameColumn>(new TextColumn("e", [Some("a"), None]))));
        Assert.Equal("row 2: column 'e': missing value (stage 'label-encode')", Fail(f.Transform(missing)));
        Assert.Contains("has a missing value", Fail(new LabelEncode("e").Fit(missing)));
        Assert.Contains("holds numbers, not text", Fail(new LabelEncode("n").Fit(train)));
        var none = new Frame(0, Seq1<FrameColumn>(new TextColumn("e", [])));
        Assert.Contains("nothing to fit (no rows)", Fail(new LabelEncode("e").Fit(none)));
        Assert.Equal(Seq("n", "e"), Ok(f.OutputNames(Seq("n", "e"))));
        Assert.Contains("no column 'e'", Fail(f.OutputNames(Seq1("n"))));
        Assert.Equal("{\"classes\":[\"B\",\"a\",\"b\"]}", f.State().ToJsonString());
    }

    [Fact]
    public void Label_encode_reads_back_only_distinct_nonempty_classes()
    {
        Fin<FittedStage> Read(string classes) => StageRegistry.BuiltIn.ReadFitted(JsonNode.Parse(
            $"{{\"kind\":\"label-encode\",\"config\":{{\"column\":\"e\"}},\"state\":{{\"classes\":{classes}}}}}"), "t");
        Assert.Equal(Seq("x", "y"), ((LabelEncode.Fitted)Ok(Read("[\"x\",\"y\"]"))).Classes.Classes);
        Assert.Contains("must list distinct values", Fail(Read("[]")));
        Assert.Contains("must list distinct values", Fail(Read("[\"x\",\"x\"]")));
    }
}
