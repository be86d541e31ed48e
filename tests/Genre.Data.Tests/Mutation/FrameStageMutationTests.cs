using System.Text.Json.Nodes;
using Genre.Data.Stages;
using static Genre.Data.Tests.Mutation.NumericStageMutationTests;

namespace Genre.Data.Tests.Mutation;

/// <summary>
/// Frames and the stages that move columns (select, drop, column transformer, pipeline), the registry and the JSON readers
/// (found by Stryker: bench/results/mutation.md): column order, what passes through, and each one-line refusal.
/// </summary>
public class FrameStageMutationTests
{
    static Fin<Stage> ReadStage(string json) => StageRegistry.BuiltIn.ReadStage(JsonNode.Parse(json), "t");
    static Fin<FittedStage> ReadFitted(string json) => StageRegistry.BuiltIn.ReadFitted(JsonNode.Parse(json), "t");

    [Fact]
    public void Frames_refuse_ragged_or_repeated_columns_and_number_rows_from_one_without_an_index()
    {
        Assert.Equal("frame: column 'b' has 1 rows, 'a' has 2",
            Fail(Frame.Of(Seq<FrameColumn>(new NumericColumn("a", [1, 2]), new NumericColumn("b", [1])))));
        Assert.Equal("frame: column 'a' appears 2 times",
            Fail(Frame.Of(Seq<FrameColumn>(new NumericColumn("a", [1]), new NumericColumn("a", [2])))));
        var empty = Ok(Frame.Of(Seq<FrameColumn>()));
        Assert.Equal((0, 0), (empty.Rows, empty.Columns.Count));
        var f = Numbers(("a", [1, 2, 3]));
        Assert.Equal(3, f.Rows);
        Assert.Equal(1, f.RowLabel(0));
        Assert.Equal(3, f.RowLabel(2));
        Assert.Equal(20, (f with { Index = new long[] { 10, 20, 30 } }).RowLabel(1));
    }

    [Fact]
    public void A_matrix_becomes_named_columns_and_a_frame_becomes_a_row_major_matrix()
    {
        var m = new Matrix(2, 3, [1, 2, 3, 4, 5, 6]);
        var f = Frame.Of(m, Seq("x", "y", "z"));
        Assert.Equal(new double[] { 1, 4 }, Column(f, "x"));
        Assert.Equal(new double[] { 3, 6 }, Column(f, "z"));
        Assert.Equal(m, Ok(f.ToMatrix("t")));
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, Ok(f.ToMatrix("t")).Values);
        var withText = Ok(Frame.Of(Seq<FrameColumn>(new NumericColumn("a", [1]), new TextColumn("s", [Some("x")]))));
        Assert.Equal("t: column 's' holds text; a model reads numbers (add a stage that encodes it)", Fail(withText.ToMatrix("t")));
    }

    [Fact]
    public void Frames_of_tracks_hold_the_kaggle_columns_indexed_by_row_id()
    {
        var tracks = Ok(TrackCsv.Load(TestFiles.Golden("synthetic-tiny.csv"))).Take(3).ToSeq();
        var f = Frame.Of(tracks);
        Assert.Equal(Track.Columns.Tail, f.Names);
        Assert.Equal(tracks.Map(t => t.RowId), toSeq(f.Index.IfNone([])));
        Assert.Equal(tracks.Map(t => (double)t.Tempo), toSeq(Column(f, "tempo")));
        Assert.Equal(tracks.Map(t => t.Explicit ? "True" : "False"),
            toSeq(((TextColumn)Ok(f.Column("explicit", "t"))).Values.Somes()));
    }

    [Fact]
    public void Taking_rows_keeps_their_labels_and_concat_refuses_parts_of_other_lengths()
    {
        var f = Numbers(("a", [1, 2, 3]), ("b", [4, 5, 6]));
        var t = f.Take([2, 0]);
        Assert.Equal(new double[] { 3, 1 }, Column(t, "a"));
        Assert.Equal(new long[] { 3, 1 }, t.Index.IfNone([]));
        var text = new TextColumn("s", [Some("x"), None, Some("z")]);
        Assert.Equal(new TextColumn("s", [Some("z"), Some("x")]), text.Take([2, 0]));
        Assert.Equal("c", text.Named("c").Name);
        var c = Ok(Frame.Concat(Seq(f.Select(Seq1("b"), "t").IfFail(f), Numbers(("c", [7, 8, 9]))), "cat"));
        Assert.Equal(Seq("b", "c"), c.Names);
        Assert.Contains("cat: frame: column 'c' has 1 rows", Fail(Frame.Concat(Seq(f, Numbers(("c", [1]))), "cat")));
        Assert.Contains("cat: the parts have 3, 0 rows", Fail(Frame.Concat(Seq(f, new Frame(0, Empty)), "cat")));
        var indexed = f with { Index = new long[] { 7, 8, 9 } };
        Assert.Equal(new long[] { 7, 8, 9 }, Ok(Frame.Concat(Seq(indexed, Numbers(("c", [1, 2, 3]))), "cat")).Index.IfNone([]));
    }

    [Fact]
    public void Frames_compare_names_values_and_index()
    {
        var f = Numbers(("a", [1, 2]));
        Assert.Equal(f, Numbers(("a", [1, 2])));
        Assert.Equal(f.GetHashCode(), Numbers(("a", [1, 2])).GetHashCode());
        Assert.NotEqual(f, Numbers(("a", [1, 3])));
        Assert.NotEqual(f, Numbers(("b", [1, 2])));
        Assert.NotEqual(f, f with { Index = new long[] { 1, 5 } });
        Assert.NotEqual(f, new Frame(3, f.Columns));
        var s = new TextColumn("s", [Some("x")]);
        Assert.Equal(s, new TextColumn("s", [Some("x")]));
        Assert.Equal(s.GetHashCode(), new TextColumn("s", [Some("x")]).GetHashCode());
        Assert.NotEqual(s, new TextColumn("s", [Some("y")]));
        Assert.NotEqual(s, new TextColumn("t", [Some("x")]));
        Assert.NotEqual(new NumericColumn("a", [1]), new NumericColumn("b", [1]));
    }

    [Fact]
    public void Select_keeps_the_order_given_and_drop_the_frames_order_each_naming_a_missing_column()
    {
        var f = Numbers(("a", [1]), ("b", [2]), ("c", [3]));
        var select = Ok(new SelectColumns(Seq("c", "a")).Fit(f));
        Assert.Equal(Seq("c", "a"), Ok(select.Transform(f)).Names);
        Assert.Equal(Seq("c", "a"), Ok(select.OutputNames(f.Names)));
        Assert.Equal("stage 'select': no column 'c'", Fail(select.OutputNames(Seq("a", "b"))));
        Assert.Equal("stage 'select': no column 'x' (the frame has a, b, c)", Fail(new SelectColumns(Seq1("x")).Fit(f)));
        var drop = Ok(new DropColumns(Seq1("b")).Fit(f));
        Assert.Equal(Seq("a", "c"), Ok(drop.Transform(f)).Names);
        Assert.Equal(Seq("a", "c"), Ok(drop.OutputNames(f.Names)));
        Assert.Contains("no column 'b'", Fail(drop.Transform(Numbers(("a", [1])))));
        Assert.Contains("no column 'x'", Fail(new DropColumns(Seq1("x")).Fit(f)));
        Assert.Equal("{}", select.State().ToJsonString());
        Assert.Equal("{}", drop.State().ToJsonString());
        Assert.Equal(new DropColumns(Seq1("b")), Ok(ReadStage("{\"kind\":\"drop\",\"config\":{\"columns\":[\"b\"]}}")));
        Assert.Equal(new SelectColumns(Seq1("b")), Ok(ReadStage("{\"kind\":\"select\",\"config\":{\"columns\":[\"b\"]}}")));
        Assert.Contains("unexpected member 'x'", Fail(ReadStage("{\"kind\":\"select\",\"config\":{\"columns\":[],\"x\":1}}")));
        Assert.Contains("unexpected member 'x'", Fail(ReadStage("{\"kind\":\"drop\",\"config\":{\"columns\":[],\"x\":1}}")));
    }

    [Fact]
    public void Frame_show_lists_six_names_then_counts_the_rest()
    {
        var eight = Numbers(Enumerable.Range(1, 8).Select(i => ($"c{i}", new double[] { 1 })).ToArray());
        Assert.Equal("t: no column 'x' (the frame has c1, c2, c3, c4, c5, c6 and 2 more)", Fail(eight.Column("x", "t")));
        var six = Numbers(Enumerable.Range(1, 6).Select(i => ($"c{i}", new double[] { 1 })).ToArray());
        Assert.Equal("t: no column 'x' (the frame has c1, c2, c3, c4, c5, c6)", Fail(six.Column("x", "t")));
    }

    [Fact]
    public void Column_transformer_puts_group_outputs_first_then_passes_the_rest_through_or_drops_it()
    {
        var f = Numbers(("a", [0, 10]), ("b", [1, 3]), ("c", [5, 6]), ("d", [7, 8]));
        var groups = Seq(new ColumnGroup(Seq1("c"), new MinMax()), new ColumnGroup(Seq1("a"), Pipeline.Identity));
        var keep = Ok(new ColumnTransformer(groups).Fit(f));
        var y = Ok(keep.Transform(f));
        Assert.Equal(Seq("c", "a", "b", "d"), y.Names);
        Assert.Equal(new double[] { 0, 1 }, Column(y, "c"));
        Assert.Equal(new double[] { 0, 10 }, Column(y, "a"));
        Assert.Equal(Seq("c", "a", "b", "d"), Ok(keep.OutputNames(f.Names)));
        var drop = Ok(new ColumnTransformer(groups, DropRest: true).Fit(f));
        Assert.Equal(Seq("c", "a"), Ok(drop.Transform(f)).Names);
        Assert.Equal(Seq("c", "a"), Ok(drop.OutputNames(f.Names)));
        Assert.Equal("stage 'column-transformer': no column 'c'", Fail(drop.OutputNames(Seq("a", "b"))));
        Assert.Equal("drop", new ColumnTransformer(groups, true).Config()["remainder"]!.GetValue<string>());
        Assert.Equal("passthrough", new ColumnTransformer(groups).Config()["remainder"]!.GetValue<string>());
        Assert.Equal("{\"groups\":[{\"kind\":\"min-max\",\"config\":{\"feature_range\":[0,1]},\"state\":{\"columns\":[\"c\"]," +
                     "\"data_min\":[5],\"data_max\":[6],\"scale\":[1],\"min\":[-5]}},{\"kind\":\"pipeline\",\"config\":{\"stages\":[]}," +
                     "\"state\":{\"stages\":[]}}],\"passthrough\":[\"b\",\"d\"]}", keep.State().ToJsonString());
        var twice = new ColumnTransformer(Seq(new ColumnGroup(Seq1("a"), new MinMax()), new ColumnGroup(Seq("b", "a"), new MinMax())));
        Assert.Equal("stage 'column-transformer': column 'a' is in 2 groups (each column goes to at most one)", Fail(twice.Fit(f)));
    }

    [Fact]
    public void Column_transformer_reads_back_its_remainder_and_only_the_declared_groups()
    {
        var declared = new ColumnTransformer(Seq1(new ColumnGroup(Seq1("a"), new MinMax())), DropRest: true);
        Assert.Equal(declared, Ok(StageRegistry.BuiltIn.ReadStage(JsonNode.Parse(declared.ToJson().ToJsonString()), "t")));
        var passthrough = declared with { DropRest = false };
        Assert.Equal(passthrough, Ok(StageRegistry.BuiltIn.ReadStage(JsonNode.Parse(passthrough.ToJson().ToJsonString()), "t")));
        var bad = declared.ToJson();
        bad["config"]!["remainder"] = "keep";
        Assert.Contains("remainder must be drop or passthrough, got 'keep'", Fail(StageRegistry.BuiltIn.ReadStage(bad, "t")));
        var fitted = Ok(declared.Fit(Numbers(("a", [1, 2]), ("b", [3, 4])))).ToJson();
        Assert.Equal(Seq<string>(), ((ColumnTransformer.Fitted)Ok(ReadFitted(fitted.ToJsonString()))).Rest);
        fitted["config"] = new ColumnTransformer(Seq1(new ColumnGroup(Seq1("a"), new Standardize())), true).Config();
        Assert.Contains("the fitted groups are not the declared ones", Fail(ReadFitted(fitted.ToJsonString())));
    }

    [Fact]
    public void Pipelines_chain_stages_in_order_and_find_nested_fitted_stages()
    {
        var p = Pipeline.Of(new SelectColumns(Seq("b", "a"))).Then(new MinMax());
        Assert.Equal(2, p.Stages.Count);
        Assert.IsType<MinMax>(p.Stages[1]);
        var f = Numbers(("a", [0, 4]), ("b", [1, 3]));
        var fitted = Ok(p.FitPipeline(f));
        Assert.Equal(new double[] { 0, 0, 1, 1 }, Ok(fitted.Matrix(f)).Values); // rows (b, a), each scaled to [0, 1]
        Assert.Equal(Seq("b", "a"), Ok(fitted.OutputNames(f.Names)));
        Assert.True(fitted.RowWise);
        Assert.Equal(Seq("b", "a"), fitted.Find<MinMax.Fitted>().Map(m => m.Columns).IfNone(Empty));
        Assert.True(fitted.Find<Standardize.Fitted>().IsNone);
        var inner = new ColumnTransformer(Seq1(new ColumnGroup(Seq1("a"), Pipeline.Of(new Standardize()))));
        var nested = Ok(Pipeline.Of(inner).FitPipeline(f));
        Assert.Equal(Seq1("a"), nested.Find<Standardize.Fitted>().Map(s => s.Columns).IfNone(Empty));
        Assert.Single(nested.Flatten());
        Assert.Equal(f, Ok(Ok(Pipeline.Identity.FitPipeline(f)).Transform(f)));
    }

    /// <summary>A stage that says it is not row-wise (a user's may not be).</summary>
    sealed record Whole : Stage
    {
        public override string Kind => "whole";
        public override JsonObject Config() => new();
        public override Fin<FittedStage> Fit(Frame train) => new Fitted();
        sealed record Fitted : FittedStage
        {
            public override Stage Declared => new Whole();
            public override bool RowWise => false;
            public override JsonObject State() => new();
            public override Fin<Frame> Transform(Frame input) => input;
            public override Fin<Seq<string>> OutputNames(Seq<string> input) => input;
        }
    }

    [Fact]
    public void A_pipeline_or_column_transformer_is_row_wise_only_when_every_stage_is()
    {
        var f = Numbers(("a", [1, 2]));
        Assert.False(Ok(Pipeline.Of(new MinMax(), new Whole()).FitPipeline(f)).RowWise);
        Assert.False(Ok(new ColumnTransformer(Seq1(new ColumnGroup(Seq1("a"), new Whole()))).Fit(f)).RowWise);
        Assert.True(Ok(new ColumnTransformer(Seq1(new ColumnGroup(Seq1("a"), new MinMax()))).Fit(f)).RowWise);
    }

    [Fact]
    public void A_fitted_pipeline_reads_back_only_when_its_stages_are_the_declared_ones()
    {
        var p = Pipeline.Of(new MinMax());
        var json = Ok(p.FitPipeline(Numbers(("a", [1, 2])))).ToJson();
        Assert.Equal(p, Ok(FittedPipeline.FromJson(JsonNode.Parse(json.ToJsonString()), "t", StageRegistry.BuiltIn)).Stage);
        json["config"] = Pipeline.Of(new Log1p()).Config();
        Assert.Contains("the fitted stages are not the declared ones", Fail(ReadFitted(json.ToJsonString())));
        json["config"] = Pipeline.Identity.Config();
        Assert.Contains("the fitted stages are not the declared ones", Fail(ReadFitted(json.ToJsonString())));
        var minmax = Ok(new MinMax().Fit(Numbers(("a", [1, 2])))).ToJson();
        Assert.Equal("t: a pipeline was expected, found a 'min-max' stage",
            Fail(FittedPipeline.FromJson(minmax, "t", StageRegistry.BuiltIn)));
    }

    [Fact]
    public void The_registry_names_an_unknown_kind_and_the_known_ones_sorted_and_takes_a_users_kind()
    {
        Assert.Equal("t: unknown stage kind 'whole' (known: column-transformer, drop, label-encode, log1p, min-max, one-hot, pipeline, " +
                     "quantile-normal, robust-scale, select, smooth-clip, standardize)",
            Fail(ReadStage("{\"kind\":\"whole\",\"config\":{}}")));
        var kind = new StageKind("whole", (_, _, _) => new Whole(), (_, _, _, _) => Ok(new Whole().Fit(new Frame(0, Empty))));
        var registry = StageRegistry.BuiltIn.With(kind);
        Assert.Equal(new Whole(), Ok(registry.ReadStage(JsonNode.Parse("{\"kind\":\"whole\",\"config\":{}}"), "t")));
        Assert.IsType<Whole>(Ok(registry.ReadFitted(JsonNode.Parse("{\"kind\":\"whole\",\"config\":{},\"state\":{}}"), "t")).Declared);
        Assert.Contains("'state' is not an object", Fail(registry.ReadFitted(JsonNode.Parse("{\"kind\":\"whole\",\"config\":{}}"), "t")));
        Assert.Contains("'config' is not an object", Fail(ReadStage("{\"kind\":\"drop\"}")));
        Assert.Contains("not a JSON object", Fail(ReadStage("[1]")));
        Assert.Contains("'kind' is not a string", Fail(ReadStage("{\"kind\":1}")));
    }

    [Fact]
    public void Stage_json_reads_typed_members_and_writes_non_finite_numbers_as_strings()
    {
        var o = JsonNode.Parse("{\"n\":2.5,\"i\":3,\"b\":true,\"s\":\"x\",\"xs\":[1,\"NaN\",\"Infinity\",\"-Infinity\"]," +
                               "\"ls\":[[1,2],[\"NaN\"]],\"bad\":[\"nan\"],\"o\":{}}")!.AsObject();
        Assert.Equal(2.5, Ok(StageJson.Number(o, "n", "t")));
        Assert.Equal(3, Ok(StageJson.Int(o, "i", "t")));
        Assert.True(Ok(StageJson.Bool(o, "b", "t")));
        Assert.Equal("x", Ok(StageJson.Text(o, "s", "t")));
        Assert.Equal(new[] { 1, double.NaN, double.PositiveInfinity, double.NegativeInfinity }, Ok(StageJson.Numbers(o, "xs", "t")));
        Assert.Equal(2, Ok(StageJson.NumberLists(o, "ls", "t")).Count);
        Assert.True(double.IsNaN(Ok(StageJson.NumberLists(o, "ls", "t"))[1][0]));
        Assert.Equal("t: 'bad' is not a list of numbers — the file is damaged", Fail(StageJson.Numbers(o, "bad", "t")));
        Assert.Equal("t: 's' is not a number — the file is damaged", Fail(StageJson.Number(o, "s", "t")));
        Assert.Equal("t: 'n' is not an integer — the file is damaged", Fail(StageJson.Int(o, "n", "t")));
        Assert.Equal("t: 's' is not true or false — the file is damaged", Fail(StageJson.Bool(o, "s", "t")));
        Assert.Equal("t: 'xs' is not a list of strings — the file is damaged", Fail(StageJson.Texts(o, "xs", "t")));
        Assert.Equal("t: 'xs' is not a list of lists of numbers — the file is damaged", Fail(StageJson.NumberLists(o, "xs", "t")));
        Assert.Equal("t: 'o' is not a list — the file is damaged", Fail(StageJson.Array(o, "o", "t")));
        Assert.Equal("[1,\"NaN\",\"Infinity\",\"-Infinity\"]",
            StageJson.ToJson([1.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity]).ToJsonString());
        Assert.Equal("t: unexpected member 'i' — the file is damaged",
            Fail(StageJson.Only(o, Seq("n", "b", "s", "xs", "ls", "bad", "o"), "t")));
        Assert.True(StageJson.Only(o, Seq("n", "i", "b", "s", "xs", "ls", "bad", "o"), "t").IsSucc);
    }
}
