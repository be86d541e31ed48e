namespace Genre.Data.Stages;

/// <summary>The shared shape of stages that learn something per numeric column and map each column on its own.</summary>
internal static class ColumnWise
{
    /// <summary>Every column of <paramref name="train"/>, which must all be numbers and at least one row.</summary>
    public static Fin<Seq<NumericColumn>> ForFit(Frame train, string at) =>
        train.Rows == 0
            ? GenreError.Data($"{at}: nothing to fit (no rows)")
            : train.Columns.Map(c => train.Numeric(c.Name, at)).Sequence().Map(s => s.Strict());

    /// <summary>
    /// <paramref name="input"/> with each column mapped by <paramref name="map"/> (given its position among the fitted columns);
    /// the input must hold exactly the fitted columns, in order, as scikit-learn checks <c>feature_names_in_</c>.
    /// </summary>
    public static Fin<Frame> Map(Frame input, Seq<string> fitted, string at, Func<int, double[], Fin<double[]>> map) =>
        from _ in Same(input.Names, fitted, at)
        from columns in input.Columns.Select((c, i) => input.Numeric(c.Name, at)
            .Bind(n => map(i, n.Values).Map(v => (FrameColumn)new NumericColumn(n.Name, v)))).ToSeq().Sequence()
        select input with { Columns = columns.Strict() };

    /// <summary>The fitted columns must be what a stage reads.</summary>
    public static Fin<Unit> Same(Seq<string> input, Seq<string> fitted, string at) =>
        input == fitted ? FinSucc(unit)
        : fitted.Find(c => !input.Contains(c)).Case is string missing
            ? GenreError.Data($"{at}: no column '{missing}' (it was fitted on {Frame.Show(fitted)})")
            : GenreError.Data($"{at}: was fitted on columns {Frame.Show(fitted)}, got {Frame.Show(input)}");

    /// <summary>Names out = names in, when they are the fitted ones.</summary>
    public static Fin<Seq<string>> SameNames(Seq<string> input, Seq<string> fitted, string at) =>
        Same(input, fitted, at).Map(_ => fitted);

    /// <summary>Numeric columns as a row-major matrix.</summary>
    public static Matrix Matrix(Seq<NumericColumn> cols, int rows)
    {
        var a = cols.Map(c => c.Values).ToArray();
        var v = new double[rows * a.Length];
        for (var c = 0; c < a.Length; c++)
            for (var r = 0; r < rows; r++) v[r * a.Length + c] = a[c][r];
        return new Matrix(rows, a.Length, v);
    }

    public static double[] Each(double[] v, Func<double, double> f)
    {
        var o = new double[v.Length];
        for (var i = 0; i < v.Length; i++) o[i] = f(v[i]);
        return o;
    }
}
