using Genre.Data;
using Genre.Data.Stages;

namespace Genre.Models.Onnx;

/// <summary>
/// A fitted pipeline's stages as ONNX nodes, so an exported graph reads raw features: one lowering per built-in stage kind, by
/// type, in <see cref="Lowerings"/>. The graph's input is the 15 raw features in the report's order (<c>explicit</c> as 0/1);
/// each lowering takes the named columns so far and returns the columns it writes. A stage without a lowering (a user's own
/// kind, or a label encoder of a column the input does not hold as 0/1) refuses the export, naming the stage.
/// </summary>
internal static class StageLowering
{
    /// <summary>Named columns as one float64 [N, k] tensor (the pipeline runs in float64, as genre's own).</summary>
    internal sealed record Columns(string Tensor, Seq<string> Names);

    delegate Fin<Columns> Lowering(OnnxGraph g, FittedStage stage, Columns input);

    static readonly Dictionary<Type, Lowering> Lowerings = new()
    {
        [typeof(SelectColumns.Fitted)] = (g, s, x) => Pick(g, x, ((SelectColumns.Fitted)s).Stage.Names, s.Declared.Where),
        [typeof(DropColumns.Fitted)] = (g, s, x) =>
            Pick(g, x, x.Names.Filter(n => !((DropColumns.Fitted)s).Stage.Names.Contains(n)).Strict(), s.Declared.Where),
        [typeof(LabelEncode.Fitted)] = (g, s, x) => LabelEncoded(g, (LabelEncode.Fitted)s, x),
        [typeof(MinMax.Fitted)] = (g, s, x) =>
        {
            var m = (MinMax.Fitted)s;
            var k = m.Columns.Count;
            // x·scale_ + min_, two float64 roundings as scikit-learn's
            var scaled = g.Node("Mul", [x.Tensor, g.Doubles(g.Name("minmax_scale"), m.Scaler.Scale, [k])]);
            return new Columns(g.Node("Add", [scaled, g.Doubles(g.Name("minmax_min"), m.Scaler.Min, [k])]), x.Names);
        },
        [typeof(Standardize.Fitted)] = (g, s, x) =>
        {
            var z = (Standardize.Fitted)s;
            var k = z.Columns.Count;
            var centred = g.Node("Sub", [x.Tensor, g.Doubles(g.Name("standardize_mean"), z.Mean, [k])]);
            return new Columns(g.Node("Div", [centred, g.Doubles(g.Name("standardize_scale"), z.Scale, [k])]), x.Names);
        },
        [typeof(Log1p.Fitted)] = (g, _, x) =>
            new Columns(g.Node("Log", [g.Node("Add", [x.Tensor, g.Doubles(g.Name("one"), [1.0], [1])])]), x.Names),
        [typeof(RobustScale.Fitted)] = (g, s, x) =>
        {
            var r = (RobustScale.Fitted)s;
            var k = r.Columns.Count;
            var centred = g.Node("Sub", [x.Tensor, g.Doubles(g.Name("robust_median"), r.Median, [k])]);
            return new Columns(g.Node("Mul", [centred, g.Doubles(g.Name("robust_factor"), r.Factor, [k])]), x.Names);
        },
        [typeof(SmoothClip.Fitted)] = (g, s, x) =>
        {
            // x / sqrt(1 + (1 / m²)·x²), in genre's order of operations
            var m = ((SmoothClip.Fitted)s).MaxAbs;
            var squared = g.Node("Mul", [x.Tensor, x.Tensor]);
            var inner = g.Node("Add", [g.Doubles(g.Name("one"), [1.0], [1]),
                g.Node("Mul", [g.Doubles(g.Name("inverse_bound_squared"), [1 / (m * m)], [1]), squared])]);
            return new Columns(g.Node("Div", [x.Tensor, g.Node("Sqrt", [inner])]), x.Names);
        },
        [typeof(QuantileNormal.Fitted)] = (g, s, x) => Quantiles(g, (QuantileNormal.Fitted)s, x),
        [typeof(OneHot.Fitted)] = (g, s, x) => OneHots(g, (OneHot.Fitted)s, x),
        [typeof(ColumnTransformer.Fitted)] = (g, s, x) => Groups(g, (ColumnTransformer.Fitted)s, x),
        [typeof(FittedPipeline)] = (g, s, x) => Lower(g, (FittedPipeline)s, x),
    };

    /// <summary>The pipeline's nodes after <paramref name="input"/>; the columns it writes.</summary>
    public static Fin<Columns> Lower(OnnxGraph g, FittedPipeline p, Columns input) =>
        p.Stages.Fold(FinSucc(input), (acc, stage) => acc.Bind(x => Lowerings.TryGetValue(stage.GetType(), out var lower)
            ? lower(g, stage, x)
            : FinFail<Columns>(GenreError.Usage($"export: {stage.Declared.Where} has no ONNX lowering; export without preprocessing " +
                                                "and apply preprocessing.json before the model"))));

    /// <summary>The named columns of <paramref name="x"/>, in that order (Gather on axis 1).</summary>
    static Fin<Columns> Pick(OnnxGraph g, Columns x, Seq<string> names, string at)
    {
        var missing = names.Find(n => !x.Names.Contains(n));
        if (missing.Case is string m) return GenreError.Usage($"export: {at}: no column '{m}' in the graph's input");
        if (names == x.Names) return x;
        var idx = names.Map(n => (long)x.Names.ToList().IndexOf(n)).ToArray();
        return new Columns(g.Node("Gather", [x.Tensor, g.Int64s(g.Name("columns"), idx, [idx.Length])], axis: 1), names);
    }

    /// <summary>
    /// The graph's <c>explicit</c> is 0/1 (False/True): LabelEncoder's classes [False, True] map it to itself, and a single class
    /// maps every (valid) value to 0. Any other text column has no numeric form in the graph's input.
    /// </summary>
    static Fin<Columns> LabelEncoded(OnnxGraph g, LabelEncode.Fitted s, Columns x)
    {
        var classes = s.Classes.Classes;
        if (s.Column != "explicit" || !classes.ForAll(c => c is "False" or "True"))
            return GenreError.Usage($"export: {s.Declared.Where} of column '{s.Column}' has no ONNX lowering (the graph reads numbers)");
        if (classes == Seq("False", "True")) return x;
        var mask = x.Names.Map(n => n == s.Column ? 0.0 : 1.0).ToArray();
        return new Columns(g.Node("Mul", [x.Tensor, g.Doubles(g.Name("single_class"), mask, [mask.Length])]), x.Names);
    }

    /// <summary>Each one-hot column replaced where it stands by Equal(x, categories) as 0/1 floats.</summary>
    static Fin<Columns> OneHots(OnnxGraph g, OneHot.Fitted s, Columns x) =>
        from parts in x.Names.Map(name => s.Columns.Find(c => c.Column == name).Match(
            e => Pick(g, x, Seq1(name), s.Declared.Where).Map(col =>
            {
                var categories = g.Doubles(g.Name("categories"), e.Categories.ToArray(), [1, e.Categories.Count]);
                return new Columns(g.NodeWith("Cast", [g.Node("Equal", [col.Tensor, categories])], ("to", Double)), e.Names);
            }),
            () => Pick(g, x, Seq1(name), s.Declared.Where))).Sequence()
        select Concat(g, parts.Strict());

    static Fin<Columns> Groups(OnnxGraph g, ColumnTransformer.Fitted s, Columns x) =>
        from groups in s.Stage.Groups.Zip(s.Groups).Map(p => Pick(g, x, p.Item1.Columns, s.Declared.Where)
            .Bind(cols => Lower(g, new FittedPipeline(Pipeline.Of(p.Item2.Declared), Seq1(p.Item2)), cols))).Sequence()
        from rest in s.Rest.IsEmpty ? FinSucc(Seq<Columns>()) : Pick(g, x, s.Rest, s.Declared.Where).Map(Seq1)
        select Concat(g, groups.Concat(rest).Strict());

    static Columns Concat(OnnxGraph g, Seq<Columns> parts) =>
        parts.Count == 1
            ? parts.Head
            : new Columns(g.Node("Concat", parts.Map(p => p.Tensor).ToArray(), axis: 1), parts.Bind(p => p.Names).Strict());

    const long Int64 = 7, Double = 11;

    /// <summary>
    /// scikit-learn's quantile map inside the graph: per column, np.interp forward and backward through the quantiles (an
    /// index from counting the quantiles ≤ x, then the straight line), the extremes pinned within BOUNDS_THRESHOLD, and the normal
    /// quantile by Acklam's rational approximation with a Halley step in its central region (as genre's own), clipped.
    /// </summary>
    static Fin<Columns> Quantiles(OnnxGraph g, QuantileNormal.Fitted s, Columns x)
    {
        var outputs = new List<string>();
        for (var c = 0; c < s.Columns.Count; c++)
        {
            var q = s.Columns[c].Quantiles;
            var r = QuantileNormal.References(q.Length);
            var column = g.Node("Gather", [x.Tensor, g.Int64s(g.Name("column"), [c], [1])], axis: 1);
            var forward = Interp(g, column, q, r);
            var negated = g.Node("Neg", [column]);
            var backward = Interp(g, negated, q.Reverse().Select(v => -v).ToArray(), r.Reverse().Select(v => -v).ToArray());
            var p = g.Node("Mul", [g.Node("Sub", [forward, backward]), Const(g, 0.5)]);
            var low = g.Node("Less", [g.Node("Sub", [column, Const(g, QuantileNormal.BoundsThreshold)]), Const(g, q[0])]);
            var high = g.Node("Greater", [g.Node("Add", [column, Const(g, QuantileNormal.BoundsThreshold)]), Const(g, q[^1])]);
            p = g.Node("Where", [high, Const(g, 1), g.Node("Where", [low, Const(g, 0), p])]);
            var z = Probit(g, g.Node("Min", [g.Node("Max", [p, Const(g, 1e-300)]), Const(g, 1 - 1e-16)]));
            var clip = QuantileNormal.ClipValue;
            z = g.Node("Where", [g.Node("LessOrEqual", [p, Const(g, 0)]), Const(g, -clip), z]);
            z = g.Node("Where", [g.Node("GreaterOrEqual", [p, Const(g, 1)]), Const(g, clip), z]);
            z = g.Node("Min", [g.Node("Max", [z, Const(g, -clip)]), Const(g, clip)]);
            // NaN stays NaN: Where(x ≠ x, x, z)
            z = g.Node("Where", [g.Node("IsNaN", [column]), column, z]);
            outputs.Add(z);
        }
        return new Columns(outputs.Count == 1 ? outputs[0] : g.Node("Concat", outputs.ToArray(), axis: 1), x.Names);
    }

    static string Const(OnnxGraph g, double v) => g.Doubles(g.Name("c"), [v], [1]);

    /// <summary>np.interp(x, xp, fp) for x [N, 1] float64: j = clamp(#(xp ≤ x) − 1, 0, M − 2), then the line from j to
    /// j + 1.</summary>
    static string Interp(OnnxGraph g, string x, double[] xp, double[] fp)
    {
        var m = xp.Length;
        var xs = g.Doubles(g.Name("xp"), xp, [m]);
        var fs = g.Doubles(g.Name("fp"), fp, [m]);
        if (m == 1) return g.Node("Add", [g.Node("Mul", [x, Const(g, 0)]), fs]);
        var count = g.NodeWith("ReduceSum", [g.NodeWith("Cast", [g.Node("LessOrEqual", [g.Doubles(g.Name("xp_row"), xp, [1, m]), x])],
            ("to", Int64)), g.Int64s(g.Name("axes"), [1], [1])], ("keepdims", 1));
        var below = g.Node("Sub", [count, g.Int64s(g.Name("one"), [1], [1])]);
        var j = g.Node("Max", [g.Node("Min", [below, g.Int64s(g.Name("last"), [m - 2], [1])]), g.Int64s(g.Name("zero"), [0], [1])]);
        var j1 = g.Node("Add", [j, g.Int64s(g.Name("one"), [1], [1])]);
        string At(string table, string index) => g.Node("Gather", [table, index], axis: 0);
        var (x0, x1, f0, f1) = (At(xs, j), At(xs, j1), At(fs, j), At(fs, j1));
        var slope = g.Node("Div", [g.Node("Sub", [f1, f0]), g.Node("Sub", [x1, x0])]);
        var line = g.Node("Add", [g.Node("Mul", [slope, g.Node("Sub", [x, x0])]), f0]);
        // outside [xp₀, xpₘ₋₁] np.interp returns the end values (the quantile map pins those anyway)
        line = g.Node("Where", [g.Node("Less", [x, Const(g, xp[0])]), Const(g, fp[0]), line]);
        return g.Node("Where", [g.Node("GreaterOrEqual", [x, Const(g, xp[^1])]), Const(g, fp[^1]), line]);
    }

    /// <summary>Acklam's rational approximation of Φ⁻¹(p) for 0 &lt; p &lt; 1, float64 (the same coefficients as genre's).</summary>
    static string Probit(OnnxGraph g, string p)
    {
        string Poly(string t, double[] k) =>
            k.Skip(1).Aggregate(Const(g, k[0]), (acc, v) => g.Node("Add", [g.Node("Mul", [acc, t]), Const(g, v)]));
        string Tail(string pt)
        {
            var t = g.Node("Sqrt", [g.Node("Mul", [Const(g, -2), g.Node("Log", [pt])])]);
            return g.Node("Div", [Poly(t, NormalDistribution.TailNumerator),
                g.Node("Add", [g.Node("Mul", [Poly(t, NormalDistribution.TailDenominator), t]), Const(g, 1)])]);
        }
        var q = g.Node("Sub", [p, Const(g, 0.5)]);
        var rr = g.Node("Mul", [q, q]);
        var central = g.Node("Div", [g.Node("Mul", [Poly(rr, NormalDistribution.CentralNumerator), q]),
            g.Node("Add", [g.Node("Mul", [Poly(rr, NormalDistribution.CentralDenominator), rr]), Const(g, 1)])]);
        var lowTail = Tail(p);
        var highTail = g.Node("Neg", [Tail(g.Node("Sub", [Const(g, 1), p]))]);
        const double low = NormalDistribution.TailBelow;
        // the central form is off by up to about 1e-4 near its edges: one Halley step on Φ(x) − p, as genre's own, with Φ from
        // ONNX's Erf (float32 only in ONNX Runtime: Φ ≥ 0.024 there, so the step lands within about 1e-6 of genre's x)
        var erf = g.NodeWith("Cast", [g.Node("Erf", [g.NodeWith("Cast", [g.Node("Mul", [central, Const(g, 1 / Math.Sqrt(2))])],
            ("to", 1L))])], ("to", Double));
        var e = g.Node("Sub", [g.Node("Mul", [g.Node("Add", [erf, Const(g, 1)]), Const(g, 0.5)]), p]);
        var u = g.Node("Mul", [g.Node("Mul", [e, Const(g, Math.Sqrt(2 * Math.PI))]),
            g.Node("Exp", [g.Node("Mul", [g.Node("Mul", [central, central]), Const(g, 0.5)])])]);
        var refined = g.Node("Sub", [central, g.Node("Div", [u, g.Node("Add", [g.Node("Mul", [g.Node("Mul", [central, u]), Const(g, 0.5)]),
            Const(g, 1)])])]);
        var x = g.Node("Where", [g.Node("Less", [p, Const(g, low)]), lowTail, refined]);
        return g.Node("Where", [g.Node("Greater", [p, Const(g, 1 - low)]), highTail, x]);
    }
}
