using System.Text.Json.Nodes;
using Genre.Data.Stages;
using static Genre.Data.Tests.Mutation.NumericStageMutationTests;

namespace Genre.Data.Tests.Mutation;

/// <summary>
/// The Stages/ mutants Stryker left alive (bench/results/mutation-data.md, run <c>stages</c>): the places a damaged stage file's
/// message names, the equality of the records that hold arrays, QuantileNormal's numpy arithmetic at its edges (a knot, the
/// bounds, overflow), and the stage laws run on stages and preparations built to break them — each law's message checked whole.
/// </summary>
public class StagesSurvivorsMutationTests
{
    static Fin<Stage> ReadStage(string json) => StageRegistry.BuiltIn.ReadStage(JsonNode.Parse(json), "t");
    static Fin<FittedStage> ReadFitted(string json) => StageRegistry.BuiltIn.ReadFitted(JsonNode.Parse(json), "t");

    // ---------------------------------------------------------------- where a damaged file's message points

    [Fact]
    public void A_damaged_column_transformer_group_is_named_by_its_position()
    {
        static string Groups(string group) => Fail(ReadStage(
            $"{{\"kind\":\"column-transformer\",\"config\":{{\"remainder\":\"drop\",\"groups\":[{group}]}}}}"));
        Assert.Equal("t (column-transformer) groups[0]: not a JSON object — the file is damaged", Groups("5"));
        Assert.Equal("t (column-transformer) groups[0]: 'columns' is not a list of strings — the file is damaged",
            Groups("{\"columns\":[1],\"stage\":{}}"));
        Assert.Equal("t (column-transformer) groups[0].stage: not a JSON object — the file is damaged", Groups("{\"columns\":[\"a\"]}"));
    }

    [Theory]
    [InlineData("1", "columns[0]: not a JSON object")]
    [InlineData("{\"column\":1}", "columns[0]: 'column' is not a string")]
    [InlineData("{\"column\":\"k\",\"categories\":[\"x\"]}", "columns[0]: 'categories' is not a list of numbers")]
    public void A_damaged_one_hot_config_column_is_named_by_its_position(string column, string message) =>
        Assert.Equal($"t (one-hot) {message} — the file is damaged",
            Fail(ReadStage($"{{\"kind\":\"one-hot\",\"config\":{{\"columns\":[{column}]}}}}")));

    [Theory]
    [InlineData("1", "state columns[0]: not a JSON object")]
    [InlineData("{\"column\":1}", "state columns[0]: 'column' is not a string")]
    [InlineData("{\"column\":\"k\"}", "state columns[0]: 'categories' is not a list of numbers")]
    public void A_damaged_one_hot_state_column_is_named_by_its_position(string column, string message) =>
        Assert.Equal($"t (one-hot) {message} — the file is damaged", Fail(ReadFitted(
            $"{{\"kind\":\"one-hot\",\"config\":{{\"columns\":[{{\"column\":\"k\"}}]}},\"state\":{{\"columns\":[{column}]}}}}")));

    [Fact]
    public void A_damaged_pipeline_stage_is_named_by_its_position_and_each_stage_by_its_kind()
    {
        Assert.Equal("t (pipeline) stages[0]: not a JSON object — the file is damaged",
            Fail(ReadStage("{\"kind\":\"pipeline\",\"config\":{\"stages\":[5]}}")));
        Assert.Equal("t (quantile-normal): 'n_quantiles' is not an integer — the file is damaged",
            Fail(ReadStage("{\"kind\":\"quantile-normal\",\"config\":{}}")));
    }

    [Fact]
    public void One_hot_output_that_repeats_an_input_column_is_refused_naming_the_stage()
    {
        var input = Numbers(("key", [0, 1]), ("key_0", [5, 5]));
        var f = Ok(new OneHot(Seq1(new OneHotColumn("key", Some(Seq1(0.0))))).Fit(input));
        Assert.Equal("stage 'one-hot': frame: column 'key_0' appears 2 times", Fail(f.Transform(input)));
    }

    [Fact]
    public void Drop_writes_its_columns_and_reads_back_equal()
    {
        var drop = new DropColumns(Seq("a", "b"));
        Assert.Equal("{\"kind\":\"drop\",\"config\":{\"columns\":[\"a\",\"b\"]}}", drop.ToJson().ToJsonString());
        Assert.Equal(drop, Ok(ReadStage(drop.ToJson().ToJsonString())));
    }

    // ---------------------------------------------------------------- equality and hashing of records holding arrays

    [Fact]
    public void Label_encodings_are_equal_only_with_equal_classes()
    {
        Assert.Equal(new LabelEncoding(Seq("a", "b")), new LabelEncoding(Seq("a", "b")));
        Assert.NotEqual(new LabelEncoding(Seq1("a")), new LabelEncoding(Seq1("b")));
        Assert.False(new LabelEncoding(Seq1("a")).Equals(null));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Min_max_scalers_differing_in_one_fitted_array_are_unequal(int field)
    {
        static MinMaxScaler S(int differs = -1) =>
            new([differs == 0 ? 2 : 0], [differs == 1 ? 2 : 1], [differs == 2 ? 2 : 1], [differs == 3 ? 2 : 0]);
        Assert.Equal(S(), S());
        Assert.NotEqual(S(), S(field));
    }

    [Fact]
    public void A_min_max_scaler_is_not_null() => Assert.False(MinMaxScaler.Fit(new Matrix(1, 1, [1])).Equals(null));

    [Fact]
    public void Quantiled_columns_differing_in_name_are_unequal()
    {
        Assert.Equal(new QuantileNormal.Quantiled("a", [1, 2]), new QuantileNormal.Quantiled("a", [1, 2]));
        Assert.NotEqual(new QuantileNormal.Quantiled("a", [1, 2]), new QuantileNormal.Quantiled("b", [1, 2]));
    }

    [Fact]
    public void Quantiled_columns_differing_in_quantiles_are_unequal() =>
        Assert.NotEqual(new QuantileNormal.Quantiled("a", [1, 2]), new QuantileNormal.Quantiled("a", [1, 3]));

    [Fact]
    public void A_text_column_hash_reads_its_first_value_and_an_empty_one_has_a_hash()
    {
        _ = new TextColumn("t", []).GetHashCode();
        // twenty columns that differ only in their first value: a hash that ignored it would give them all one hash
        var hashes = Enumerable.Range(0, 20).Select(i => new TextColumn("t", [Some($"v{i}")]).GetHashCode()).Distinct().Count();
        Assert.True(hashes > 1);
    }

    // ---------------------------------------------------------------- MinMaxScaler's refusals

    [Fact]
    public void Min_max_scaler_refuses_no_rows_and_another_width()
    {
        Assert.Equal("MinMaxScaler.Fit needs at least one row",
            Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(new Matrix(0, 2, []))).Message);
        var s = MinMaxScaler.Fit(new Matrix(2, 2, [0, 1, 2, 3]));
        Assert.Equal("MinMaxScaler was fit on 2 features, got 3",
            Assert.Throws<ArgumentException>(() => s.Transform(new Matrix(1, 3, [1, 2, 3]))).Message);
    }

    // ---------------------------------------------------------------- QuantileNormal at its edges

    [Fact]
    public void Quantiles_follow_numpys_lerp_from_the_nearer_end()
    {
        // np.nanpercentile's _lerp, replayed in Python floats: indices 5·k/4 = 0, 1.25, 2.5, 3.75, 5 into the sorted column; below
        // t = ½ it adds from the lower value, from ½ up it subtracts from the upper one, and each choice rounds differently here
        var f = (QuantileNormal.Fitted)Ok(new QuantileNormal(5).Fit(Numbers(("a", [0.7, 0.103, 0.312, 0.4, 0.0, 0.02]))));
        Assert.Equal(new[] { 0.0, 0.040749999999999995, 0.2075, 0.378, 0.7 }, f.Columns[0].Quantiles);
    }

    [Fact]
    public void Quantiles_are_made_non_decreasing_after_an_overflowing_lerp()
    {
        // indices 4·k/3: the second falls between −1e308 and 1e308, whose difference overflows to ∞, so numpy's lerp gives ∞
        // there and np.maximum.accumulate (as scikit-learn applies it) carries ∞ to the end
        var f = (QuantileNormal.Fitted)Ok(new QuantileNormal(4).Fit(Numbers(("a", [-1.5e308, -1e308, 1e308, 1.1e308, 1.2e308]))));
        Assert.Equal(new[] { -1.5e308, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity },
            f.Columns[0].Quantiles);
    }

    [Fact]
    public void Quantile_normal_fits_a_column_with_some_nan()
    {
        var f = (QuantileNormal.Fitted)Ok(new QuantileNormal(2).Fit(Numbers(("a", [1, double.NaN, 3]))));
        Assert.Equal(new double[] { 1, 3 }, f.Columns[0].Quantiles);
    }

    [Fact]
    public void References_end_exactly_at_one_and_none_is_empty()
    {
        // 49 · (1/49) is 0.9999999999999999 in float64: np.linspace sets the last point to the stop itself
        Assert.Equal(1.0, QuantileNormal.References(50)[^1]);
        Assert.Empty(QuantileNormal.References(0));
    }

    [Fact]
    public void A_value_exactly_the_bounds_threshold_inside_the_extremes_is_interpolated()
    {
        // quantiles [0, 2e-7]: x = 1e-7 is exactly BOUNDS_THRESHOLD from both, so neither strict test pins it; it is the middle
        var f = Ok(new QuantileNormal(2).Fit(Numbers(("a", [0, 2e-7]))));
        Assert.InRange(Column(Ok(f.Transform(Numbers(("a", [1e-7])))), "a")[0], -1e-6, 1e-6);
    }

    [Fact]
    public void A_value_at_a_quantile_maps_to_its_reference_exactly()
    {
        // np.interp at a knot returns that knot's reference (the last xp ≤ x, then zero times the slope); reaching it from the
        // knot before rounds to 0.33333333333333337 here (checked in Python floats)
        var f = (QuantileNormal.Fitted)Ok(new QuantileNormal(4).Fit(Numbers(("a", [1.66, 1.11, 4.8, 4.155]))));
        var q = f.Columns[0].Quantiles;
        Assert.Equal(new[] { 1.11, 1.6599999999999997, 4.154999999999999, 4.8 }, q);
        Assert.Equal(NormalDistribution.Probit(1.0 / 3), Column(Ok(f.Transform(Numbers(("a", [q[1]])))), "a")[0]);
    }

    [Fact]
    public void A_large_value_at_the_top_quantile_maps_to_the_clip()
    {
        // 1e10 + 1e-7 rounds to 1e10, so the top quantile itself reaches the interpolation, at its last knot
        var f = Ok(new QuantileNormal(2).Fit(Numbers(("a", [0, 1e10]))));
        Assert.Equal(QuantileNormal.ClipValue, Column(Ok(f.Transform(Numbers(("a", [1e10])))), "a")[0]);
    }

    // ---------------------------------------------------------------- the declared pipelines and preprocessing.json

    [Fact]
    public void The_tabular_pipelines_drop_the_columns_no_group_names()
    {
        Assert.Contains("\"remainder\":\"drop\"", Pipelines.Tabular.ToJson().ToJsonString());
        Assert.Contains("\"remainder\":\"drop\"", Pipelines.RealMlp.ToJson().ToJsonString());
    }

    /// <summary>A stage of a user's own that learns nothing: only a registry that knows "nop" reads it.</summary>
    sealed record Nop : Stage
    {
        public override string Kind => "nop";
        public override JsonObject Config() => new();
        public override Fin<FittedStage> Fit(Frame train) => new NopFitted();
    }

    sealed record NopFitted : FittedStage
    {
        public override Stage Declared => new Nop();
        public override JsonObject State() => new();
        public override Fin<Frame> Transform(Frame input) => input;
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => input;
    }

    static Preprocessing Small(Pipeline p) =>
        new(Ok(p.FitPipeline(Numbers(("a", [1, 2])))), new LabelEncoding(Seq1("pop")), GenreMapping.Identity,
            Seq1(new FeatureRange("a", 1, 2)));

    [Fact]
    public void Preprocessing_reads_a_users_stage_with_the_registry_it_is_given()
    {
        var registry = StageRegistry.BuiltIn.With(new StageKind("nop", (_, _, _) => new Nop(), (_, _, _, _) => new NopFitted()));
        var json = Small(Pipeline.Of(new Nop())).ToJson();
        Assert.Equal(Pipeline.Of(new Nop()), Ok(Preprocessing.FromJson(json, "p.json", registry)).Pipeline.Stage);
        Assert.Contains("unknown stage kind 'nop'", Fail(Preprocessing.FromJson(json, "p.json")));
    }

    [Fact]
    public void Damaged_ranges_are_named_in_preprocessing_json()
    {
        string Damaged(string member, string value)
        {
            var json = Small(Pipeline.Of(new MinMax())).ToJson();
            json["ranges"]![member] = JsonNode.Parse(value);
            return Fail(Preprocessing.FromJson(json, "p.json"));
        }
        Assert.Equal("p.json: ranges: 'columns' is not a list of strings — the file is damaged", Damaged("columns", "[1]"));
        Assert.Equal("p.json: ranges: 'min' is not a list of numbers — the file is damaged", Damaged("min", "[\"x\"]"));
        Assert.Equal("p.json: ranges: 'max' is not a list of numbers — the file is damaged", Damaged("max", "[\"x\"]"));
    }

    [Fact]
    public void Preprocessing_json_is_saved_indented()
    {
        var dir = TestFiles.TempDir();
        Ok(Small(Pipeline.Of(new MinMax())).Save(dir));
        Assert.StartsWith("{\n  \"format\": \"genre-preprocessing/3\",\n", File.ReadAllText(Path.Combine(dir, Preprocessing.FileName)));
    }

    // ---------------------------------------------------------------- the stage laws on stages built to break them

    /// <summary>Learns a new number every fit that its JSON leaves out: two fits are unequal values with one JSON.</summary>
    sealed record Hidden : Stage
    {
        static int fits;
        public override string Kind => "hidden";
        public override JsonObject Config() => new();
        public override Fin<FittedStage> Fit(Frame train) => new HiddenFitted(Interlocked.Increment(ref fits));
    }

    sealed record HiddenFitted(int Nonce) : FittedStage
    {
        public override Stage Declared => new Hidden();
        public override JsonObject State() => new();
        public override Fin<Frame> Transform(Frame input) => input;
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => input;
    }

    [Fact]
    public void Fit_is_deterministic_asks_for_equal_values_not_only_equal_json()
    {
        Assert.Equal("law 'fit is deterministic' broken by stage 'hidden': two fits on one frame differ",
            Fail(StageLaws.FitIsDeterministic(new Hidden(), Numbers(("a", [1])))));
    }

    /// <summary>
    /// A stage of kind "odd" whose fitted value adds <paramref name="By"/> when <paramref name="Applied"/> (equality and JSON leave
    /// <paramref name="Applied"/> out, so a read-back one may transform otherwise) or refuses every frame with
    /// <paramref name="Refusal"/> when that is not empty; <paramref name="Tag"/> is its config, which the registry below may lose.
    /// </summary>
    sealed record Odd(string Tag = "", string Refusal = "") : Stage
    {
        public override string Kind => "odd";
        public override JsonObject Config() => new() { ["tag"] = Tag, ["refusal"] = Refusal };
        public override Fin<FittedStage> Fit(Frame train) => new OddFitted(this, 1, Applied: true);
    }

    sealed record OddFitted(Odd Stage, double By, bool Applied) : FittedStage
    {
        public override Stage Declared => Stage;
        public override JsonObject State() => new() { ["by"] = By };
        public bool Equals(OddFitted? other) => other is not null && Stage == other.Stage && By == other.By;
        public override int GetHashCode() => HashCode.Combine(Stage, By);
        public override Fin<Frame> Transform(Frame input) =>
            Stage.Refusal != "" ? GenreError.Data(Stage.Refusal)
            : input with
            {
                Columns = input.Columns.Map(c => (FrameColumn)new NumericColumn(c.Name,
                    ((NumericColumn)c).Values.Select(v => Applied ? v + By : v).ToArray())).Strict(),
            };
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => input;
    }

    /// <summary>Reads "odd" back; <paramref name="loseTag"/> reads every config with an empty tag, <paramref name="unapplied"/>
    /// reads fitted stages that no longer add.</summary>
    static StageRegistry OddRegistry(bool loseTag = false, bool unapplied = false)
    {
        Odd Read(JsonObject c, bool lose) => new(lose ? "" : c["tag"]!.GetValue<string>(), c["refusal"]!.GetValue<string>());
        return StageRegistry.BuiltIn.With(new StageKind("odd", (c, _, _) => Read(c, loseTag),
            (c, s, _, _) => new OddFitted(Read(c, false), s["by"]!.GetValue<double>(), !unapplied)));
    }

    static readonly Frame Train = Numbers(("a", [1, 2]));
    static readonly Frame Input = Numbers(("a", [3]));
    const string RoundTrip = "law 'save → load is the identity' broken by stage 'odd': ";

    [Fact]
    public void Round_trip_holds_for_a_stage_that_reads_back()
    {
        Assert.True(StageLaws.RoundTrips(new Odd("x"), Train, Input, OddRegistry()).IsSucc);
        // both refuse the input alike: the law holds
        Assert.True(StageLaws.RoundTrips(new Odd("x", Refusal: "no"), Train, Input, OddRegistry()).IsSucc);
    }

    [Fact]
    public void Round_trip_reports_the_reads_error() =>
        Assert.Equal(RoundTrip + "law: unknown stage kind 'odd' (known: column-transformer, drop, label-encode, log1p, min-max, "
            + "one-hot, pipeline, quantile-normal, robust-scale, select, smooth-clip, standardize)",
            Fail(StageLaws.RoundTrips(new Odd("x"), Train, Input)));

    [Fact]
    public void Round_trip_reports_a_config_that_reads_back_otherwise() =>
        Assert.Equal(RoundTrip + "its config does not read back equal",
            Fail(StageLaws.RoundTrips(new Odd("x"), Train, Input, OddRegistry(loseTag: true))));

    [Fact]
    public void Round_trip_reports_a_stage_that_transforms_otherwise_once_read() =>
        Assert.Equal(RoundTrip + "the stage read back transforms otherwise",
            Fail(StageLaws.RoundTrips(new Odd("x"), Train, Input, OddRegistry(unapplied: true))));

    static Track T(long id, double dance) =>
        new(id, $"t{id}", "Artist", "Album", "Name", 10, 1000, false, dance, 0.5, 1, -5, 1, 0.1, 0.1, 0, 0.1, 0.5, 120, 4, "pop");

    static readonly Seq<Track> Tracks = Seq(T(0, 0.1), T(1, 0.2), T(2, 0.3), T(3, 0.4), T(4, 0.5));
    static Track Louder(Track t) => t with { Danceability = 0.9 };
    const string Leak = "law 'fit reads the training rows only' broken by {0}: changing validation and test tracks changed what was fitted";

    [Fact]
    public void Fit_reads_training_rows_only_holds_for_a_clean_split_and_catches_a_test_row_in_training()
    {
        Assert.True(StageLaws.FitReadsTrainingRowsOnly(Pipelines.Report, Tracks, ([0, 1, 2], [3], [4]), Louder).IsSucc);
        // track 0 is both a training and a test row: changing the test tracks changes the training split
        Assert.Equal(string.Format(Leak, "stage 'pipeline'"),
            Fail(StageLaws.FitReadsTrainingRowsOnly(Pipelines.Report, Tracks, ([0, 1, 2], [3], [0]), Louder)));
    }

    [Fact]
    public void Fit_reads_training_rows_only_compares_the_fitted_pipeline_as_well_as_the_training_features()
    {
        (int[], int[], int[]) split = ([0, 1, 2], [3], [4]);
        Fin<PreparedData> Clean(Seq<Track> t) => ReportPipeline.Prepare(t, None, Pipelines.Report, FinSucc(split));
        // fitted on every track, but the training features still from the clean fit: only the pipeline shows the leak
        Fin<PreparedData> Leaky(Seq<Track> t) =>
            Clean(t).Map(d => d with { Pipeline = Ok(Pipelines.Report.FitPipeline(Frame.Of(t))) });
        Assert.True(StageLaws.FitReadsTrainingRowsOnly(Clean, Tracks, [3, 4], Louder).IsSucc);
        Assert.Equal(string.Format(Leak, "a preparation"), Fail(StageLaws.FitReadsTrainingRowsOnly(Leaky, Tracks, [3, 4], Louder)));
    }
}
