using Genre.Data.Stages;

namespace Genre.Properties;

/// <summary>
/// Issue 23, point 7: the laws every built-in stage obeys (<see cref="StageLaws"/>), on generated frames of named numeric columns
/// and a text column, shrinking by dropping rows and columns.
/// </summary>
public class StageProperties
{
    /// <summary>A training frame and another frame with the same columns (values outside the training range among them), and a
    /// subset of the other's rows.</summary>
    public sealed record Case(Frame Train, Frame Input, int[] Rows)
    {
        public override string ToString() =>
            $"train {Train.Rows}×{Train.Columns.Count}, input {Input.Rows} rows, subset [{string.Join(", ", Rows)}]: " +
            string.Join("; ", Train.Columns.Map(c => c is NumericColumn n ? $"{n.Name}=[{string.Join(", ", n.Values)}]"
                : $"{c.Name}=[{string.Join(", ", ((TextColumn)c).Values.Map(v => v.IfNone("NA")))}]"));
    }

    /// <summary>Ties, integers, zero, small and large magnitudes; all ≥ −1 so log1p is defined.</summary>
    static readonly Gen<double> Value = Gen.OneOf(
        Gen.Elements(0.0, 1.0, 2.0, 3.0, -0.5, 0.25, 7.0, 12.0, 1e6),
        Gen.Choose(-1000, 100_000).Select(i => i / 1000.0));

    static Gen<Frame> FrameOf(int rows, Seq<string> numeric) =>
        from cols in Gen.CollectToArray(numeric.Map(name => Value.ArrayOf(rows).Select(v => (FrameColumn)new NumericColumn(name, v))))
        from text in Gen.Elements("False", "True").ArrayOf(rows)
        select new Frame(rows, cols.ToSeq().Add(new TextColumn("explicit", text.Select(Some).ToArray())).Strict());

    static readonly Gen<Case> Cases =
        from k in Gen.Choose(1, 3)
        from n in Gen.Choose(1, 8)
        from m in Gen.Choose(1, 8)
        let names = Enumerable.Range(0, k).Select(i => $"c{i}").ToSeq().Strict()
        from train in FrameOf(n, names)
        from input in FrameOf(m, names)
        from rows in Gen.Choose(0, m - 1).ArrayOf()
        select new Case(train, input, rows.Distinct().ToArray());

    /// <summary>Smaller cases: fewer training rows, fewer input rows, fewer subset rows.</summary>
    static IEnumerable<Case> Shrink(Case c)
    {
        if (c.Train.Rows > 1) yield return c with { Train = c.Train.Take(Enumerable.Range(0, c.Train.Rows - 1).ToArray()) };
        if (c.Input.Rows > 1)
            yield return c with
            {
                Input = c.Input.Take(Enumerable.Range(0, c.Input.Rows - 1).ToArray()),
                Rows = c.Rows.Where(r => r < c.Input.Rows - 1).ToArray(),
            };
        if (c.Rows.Length > 0) yield return c with { Rows = c.Rows[1..] };
    }

    static readonly Arbitrary<Case> Arbitrary = Arb.From(Cases, Shrink);

    /// <summary>Each built-in stage, declared over the generated columns (numeric ones: c0, c1, …; text: explicit).</summary>
    static Seq<Stage> StagesFor(Frame f)
    {
        var numeric = f.Names.Filter(n => n != "explicit").Strict();
        return Seq<Stage>(
            new SelectColumns(numeric.Rev().Strict()),
            new DropColumns(Seq1("explicit")),
            new LabelEncode("explicit"),
            Pipeline.Of(new DropColumns(Seq1("explicit")), new MinMax()),
            Pipeline.Of(new DropColumns(Seq1("explicit")), new Standardize()),
            Pipeline.Of(new DropColumns(Seq1("explicit")), new QuantileNormal(5)),
            Pipeline.Of(new DropColumns(Seq1("explicit")), new Log1p()),
            OneHot.Of(numeric.Head),
            new OneHot(Seq1(new OneHotColumn(numeric.Head, Some(Seq(0.0, 1.0, 2.0))))),
            new ColumnTransformer(Seq(new ColumnGroup(Seq1(numeric.Head), new QuantileNormal(4)),
                                      new ColumnGroup(Seq1("explicit"), new LabelEncode("explicit")))),
            new ColumnTransformer(Seq1(new ColumnGroup(Seq1("explicit"), Pipeline.Identity)), DropRest: true),
            Pipeline.Identity);
    }

    static Property Law(Func<Stage, Case, Fin<Unit>> law) =>
        Prop.ForAll(Arbitrary, c => StagesFor(c.Train).ForAll(s => law(s, c).Match(_ => true, e => throw new Exception(e.Message))));

    [Property(MaxTest = 150)]
    public Property Fitting_is_deterministic() => Law((s, c) => StageLaws.FitIsDeterministic(s, c.Train));

    [Property(MaxTest = 150)]
    public Property A_subset_of_rows_transforms_as_the_same_rows_of_the_whole() =>
        Law((s, c) => StageLaws.RowWise(s, c.Train, c.Input, c.Rows));

    [Property(MaxTest = 150)]
    public Property A_fitted_stage_saved_and_loaded_is_the_same_stage() =>
        Law((s, c) => StageLaws.RoundTrips(s, c.Train, c.Input));

    /// <summary>Every built-in stage fits a valid generated frame (the laws above are not vacuous).</summary>
    [Property(MaxTest = 100)]
    public Property Every_built_in_stage_fits_a_valid_frame() =>
        Prop.ForAll(Arbitrary, c => StagesFor(c.Train).ForAll(s => s.Fit(c.Train).IsSucc));

    /// <summary>A transform reads the fitted columns by name: one missing is a one-line data error naming the stage.</summary>
    [Property(MaxTest = 50)]
    public Property A_missing_column_is_a_data_error_naming_the_stage() =>
        Prop.ForAll(Arbitrary, c =>
        {
            var stage = Pipeline.Of(new DropColumns(Seq1("explicit")), new MinMax());
            var fitted = stage.Fit(c.Train).Match(f => f, e => throw new Exception(e.Message));
            var e = fitted.Transform(c.Input.Without(Seq1("c0"))).Match(_ => "", err => err.Message);
            return e.Contains("'c0'") && e.Contains("stage") && !e.Contains('\n');
        });
}

/// <summary>The declared pipelines' law that needs a split: fitting reads the training rows only.</summary>
public class PipelineProperties
{
    static readonly Seq<Track> Tracks = TrackCsv.Load(Path.Combine(Repo.Root, "tests", "golden", "data", "synthetic-tiny.csv"))
        .Match(t => Cleaning.Clean(t).Tracks, e => throw new Exception(e.Head.Message));

    static readonly Gen<(int[] Train, int[] Val, int[] Test)> Splits =
        from order in Gen.Shuffle(Enumerable.Range(0, Tracks.Count).ToArray())
        from cut in Gen.Choose(Tracks.Count / 2, Tracks.Count - 2)
        select (order[..cut], order[cut..(cut + (Tracks.Count - cut) / 2)], order[(cut + (Tracks.Count - cut) / 2)..]);

    [Property(MaxTest = 20)]
    public Property The_report_and_tabular_pipelines_fit_on_training_rows_only() =>
        Prop.ForAll(Splits.ToArbitrary(), Gen.Choose(1, 1000).ToArbitrary(), (split, shift) =>
            Seq(Pipelines.Report, Pipelines.Tabular).ForAll(p => StageLaws.FitReadsTrainingRowsOnly(p, Tracks, split,
                t => t with { Tempo = t.Tempo + shift, Key = (t.Key + shift) % 12, Explicit = !t.Explicit, Loudness = -shift })
                .Match(_ => true, e => throw new Exception(e.Message))));

    /// <summary>The law can fail: the classic leak, the scaler fitted on every row before the split, breaks it.</summary>
    [Fact]
    public void Scaling_before_the_split_breaks_the_law()
    {
        var split = (Enumerable.Range(0, 60).ToArray(), Enumerable.Range(60, 4).ToArray(),
            Enumerable.Range(64, Tracks.Count - 64).ToArray());
        Fin<PreparedData> Leaky(Seq<Track> tracks) =>
            from everything in Pipelines.Report.FitPipeline(Frame.Of(tracks)) // fitted on all rows: the leak
            from x in everything.Matrix(Frame.Of(tracks).Take(split.Item1))
            select new PreparedData(new Splits(new Dataset(x, new int[x.Rows], Seq1("g"), new long[x.Rows]), null!, null!),
                                    LabelEncoding.Fit(Seq1("g")), everything, GenreMapping.Identity);
        var r = StageLaws.FitReadsTrainingRowsOnly(Leaky, Tracks, split.Item2.Concat(split.Item3).ToArray(),
            t => t with { Tempo = t.Tempo + 1000 });
        Assert.Contains("fit reads the training rows only", r.Match(_ => "", e => e.Message));
        Assert.True(StageLaws.FitReadsTrainingRowsOnly(Pipelines.Report, Tracks, split, t => t with { Tempo = t.Tempo + 1000 }).IsSucc);
    }
}

static class Repo
{
    public static string Root
    {
        get
        {
            var d = new DirectoryInfo(AppContext.BaseDirectory);
            while (d is not null && !File.Exists(Path.Combine(d.FullName, "Genre.sln"))) d = d.Parent;
            return d?.FullName ?? throw new DirectoryNotFoundException("Genre.sln above " + AppContext.BaseDirectory);
        }
    }
}
