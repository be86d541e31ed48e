using System.Text.Json.Nodes;

namespace Genre.Data;

/// <summary>A continuous feature mapped through its training quantiles to a standard normal value.</summary>
/// <param name="Column">The feature's column in the report's 15 (<see cref="Track.FeatureColumns"/> order).</param>
/// <param name="Quantiles">The training column's quantiles at <see cref="TabularEncoding.References"/> (non-decreasing).</param>
public sealed record QuantileColumn(int Column, double[] Quantiles)
{
    /// <summary>Same column and quantiles (records would compare the array by reference).</summary>
    public bool Equals(QuantileColumn? other) =>
        other is not null && Column == other.Column && ArrayValues.Equal(Quantiles, other.Quantiles);

    /// <summary>A hash consistent with <see cref="Equals(QuantileColumn)"/>.</summary>
    public override int GetHashCode() => HashCode.Combine(Column, ArrayValues.Hash(Quantiles));
}

/// <summary>An integer feature one-hot encoded over fixed categories; a value outside them encodes as all zeros.</summary>
/// <param name="Column">The feature's column in the report's 15.</param>
/// <param name="Categories">The raw values that get a slot, in slot order.</param>
public sealed record OneHotColumn(int Column, Seq<long> Categories);

/// <summary>
/// A second preprocessing stage after the report's MinMaxScaler, for models beyond the report: scikit-learn's
/// <c>QuantileTransformer(n_quantiles=1000, output_distribution="normal")</c> on the 11 continuous features, the two binary
/// ones (<c>explicit</c>, <c>mode</c>) passed through, and <c>OneHotEncoder(categories=[0..11], [0..7],
/// handle_unknown="ignore")</c> on <c>key</c> and <c>time_signature</c>. It reads the scaled features (a quantile map does not
/// change under the scaler's increasing affine map; the integer columns are unscaled and rounded), so a model folder's
/// <c>preprocessing.json</c> holds both stages. Fitted on the training split only.
/// </summary>
/// <param name="Continuous">The quantile-mapped columns, in output order.</param>
/// <param name="Binary">The columns passed through, in output order, after the continuous ones.</param>
/// <param name="Categorical">The one-hot columns, in output order, last.</param>
/// <param name="Scaler">The report's scaler the input went through (to recover the integer columns' raw values).</param>
public sealed record TabularEncoding(Seq<QuantileColumn> Continuous, Seq<int> Binary, Seq<OneHotColumn> Categorical, MinMaxScaler Scaler)
{
    /// <summary>The quantile count (scikit-learn's default <c>n_quantiles</c>).</summary>
    public const int QuantileCount = 1000;

    /// <summary>scikit-learn's <c>BOUNDS_THRESHOLD</c>: values this close to the training extremes map to them.</summary>
    const double BoundsThreshold = 1e-7;

    /// <summary>The report's binary features: explicit, mode.</summary>
    public static readonly Seq<int> BinaryColumns = Seq(2, 7);

    /// <summary>The integer features and their fixed categories: key 0–11, time_signature 0–7.</summary>
    public static readonly Seq<OneHotColumn> CategoricalColumns = Seq(
        new OneHotColumn(5, Enumerable.Range(0, 12).Select(v => (long)v).ToSeq().Strict()),
        new OneHotColumn(14, Enumerable.Range(0, 8).Select(v => (long)v).ToSeq().Strict()));

    /// <summary>The output width: 11 continuous + 2 binary + 12 key + 8 time_signature = 33.</summary>
    public static readonly int Width =
        Features.Count - CategoricalColumns.Count + CategoricalColumns.Sum(c => c.Categories.Count);

    /// <summary>The output width of this encoding.</summary>
    public int Columns => Continuous.Count + Binary.Count + Categorical.Sum(c => c.Categories.Count);

    /// <summary>Fits the quantiles on <paramref name="scaledTrain"/> (the training split after <paramref name="scaler"/>); at
    /// least one row.</summary>
    public static TabularEncoding Fit(Matrix scaledTrain, MinMaxScaler scaler)
    {
        var special = BinaryColumns + CategoricalColumns.Map(c => c.Column);
        var continuous = Enumerable.Range(0, scaledTrain.Cols).Filter(c => !special.Contains(c))
            .Map(c => new QuantileColumn(c, Quantiles(scaledTrain, c)));
        return new TabularEncoding(continuous.ToSeq().Strict(), BinaryColumns, CategoricalColumns, scaler);
    }

    /// <summary><c>np.nanpercentile(column, references_·100)</c> (numpy's linear method, its rounding included: the index
    /// (n − 1)·(r·100 / 100), then <c>_lerp</c>) made non-decreasing, as scikit-learn's fit does.</summary>
    static double[] Quantiles(Matrix x, int column)
    {
        var sorted = new double[x.Rows];
        for (var r = 0; r < x.Rows; r++) sorted[r] = x[r, column];
        System.Array.Sort(sorted);
        var references = References(Math.Min(QuantileCount, x.Rows));
        var q = new double[references.Length];
        for (var k = 0; k < q.Length; k++)
        {
            var index = (sorted.Length - 1) * (references[k] * 100 / 100);
            var lo = (int)Math.Floor(index);
            var hi = Math.Min(lo + 1, sorted.Length - 1);
            var t = index - lo;
            var diff = sorted[hi] - sorted[lo];
            q[k] = t >= 0.5 ? sorted[hi] - diff * (1 - t) : sorted[lo] + diff * t;
            if (k > 0 && q[k] < q[k - 1]) q[k] = q[k - 1];
        }
        return q;
    }

    /// <summary>The encoded rows of <paramref name="scaled"/> (scaled by <see cref="Scaler"/>), <see cref="Columns"/> wide.</summary>
    public Matrix Transform(Matrix scaled)
    {
        var width = Columns;
        var output = new double[scaled.Rows * width];
        // the tables every row reads, built once: interpolation curves and category slots
        var curves = Continuous.Map(c => (c.Column, Curve: Curve.Of(c.Quantiles))).ToArray();
        var slots = Categorical.Map(c => (c.Column, Categories: c.Categories.ToArray())).ToArray();
        for (var r = 0; r < scaled.Rows; r++)
        {
            var o = r * width;
            foreach (var (column, curve) in curves) output[o++] = Normal(scaled[r, column], curve);
            foreach (var c in Binary) output[o++] = scaled[r, c];
            foreach (var (column, categories) in slots)
            {
                var (scale, min) = (Scaler.Scale[column], Scaler.Min[column]);
                var raw = scale == 0 ? Scaler.DataMin[column] : (scaled[r, column] - min) / scale;
                var slot = System.Array.IndexOf(categories, (long)Math.Round(raw));
                if (slot >= 0) output[o + slot] = 1;
                o += categories.Length;
            }
        }
        return new Matrix(scaled.Rows, width, output);
    }

    /// <summary>The split with its features encoded (labels, classes and row ids unchanged).</summary>
    public Dataset Apply(Dataset split) => split with { X = Transform(split.X) };

    /// <summary>Whether a model with this input shape reads the encoding (<see cref="Width"/> columns) rather than the 15 scaled
    /// features.</summary>
    public static bool ReadBy(Seq<int> inputShape) => inputShape == Seq1(Width);

    /// <summary>The prepared data as a model with <paramref name="inputShape"/> reads it: encoded when it reads the encoding.</summary>
    public static PreparedData For(Seq<int> inputShape, PreparedData d) => ReadBy(inputShape) ? Encode(d) : d;

    /// <summary>The prepared data with every split encoded and this encoding recorded (fitted on its training split).</summary>
    public static PreparedData Encode(PreparedData d)
    {
        var encoding = Fit(d.Scaled.Train.X, d.Scaler);
        var s = d.Scaled;
        var encoded = new Splits(encoding.Apply(s.Train), encoding.Apply(s.Val), encoding.Apply(s.Test));
        return d with { Scaled = encoded, Encoding = Some(encoding) };
    }

    /// <summary>scikit-learn's <c>references_</c>: <c>np.linspace(0, 1, n)</c>, as numpy computes it (k · (1 / (n − 1)), the
    /// last one exactly 1).</summary>
    static double[] References(int n)
    {
        var step = n > 1 ? 1.0 / (n - 1) : 0;
        var r = Enumerable.Range(0, n).Select(k => k * step).ToArray();
        if (n > 1) r[^1] = 1;
        return r;
    }

    /// <summary>scikit-learn's <c>_transform_col</c> for a normal output: the mean of the forward and backward interpolations
    /// (so tied quantiles map to their middle), the extremes pinned, then the standard normal quantile, clipped.</summary>
    static double Normal(double x, Curve c)
    {
        if (double.IsNaN(x)) return double.NaN;
        double p;
        if (x - BoundsThreshold < c.Quantiles[0]) p = 0;
        else if (x + BoundsThreshold > c.Quantiles[^1]) p = 1;
        else p = 0.5 * (Interp(x, c.Quantiles, c.References) - Interp(-x, c.NegatedQuantiles, c.NegatedReferences));
        return Math.Clamp(p <= 0 ? -Clip : p >= 1 ? Clip : Probit(p), -Clip, Clip);
    }

    /// <summary>scikit-learn's clip of the normal output: Φ⁻¹(1 − (BOUNDS_THRESHOLD − ε)), about 5.2.</summary>
    static readonly double Clip = Probit(1 - (BoundsThreshold - Math.Pow(2, -52)));

    /// <summary>A quantile column's interpolation tables: forward, and negated in reverse order for the backward pass.</summary>
    sealed record Curve(double[] Quantiles, double[] References, double[] NegatedQuantiles, double[] NegatedReferences)
    {
        public static Curve Of(double[] quantiles)
        {
            var references = TabularEncoding.References(quantiles.Length);
            return new(quantiles, references, Negated(quantiles), Negated(references));
        }

        /// <summary>The values negated, in reverse order (so still increasing).</summary>
        static double[] Negated(double[] v) => v.Reverse().Select(x => -x).ToArray();
    }

    /// <summary><c>np.interp</c> for x inside [xp₀, xpₙ₋₁]: the last j with xp[j] ≤ x, then the straight line to j + 1.</summary>
    static double Interp(double x, double[] xp, double[] fp)
    {
        int a = 0, b = xp.Length;
        while (a < b) { var m = (a + b) / 2; if (xp[m] <= x) a = m + 1; else b = m; }
        var j = a - 1;
        if (j < 0) return fp[0];
        if (j >= xp.Length - 1) return fp[^1];
        return (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]) * (x - xp[j]) + fp[j];
    }

    /// <summary>The standard normal quantile Φ⁻¹(p), 0 &lt; p &lt; 1: Acklam's rational approximation refined by one
    /// Halley step on <see cref="Phi"/> (error below 1e-13 for 1e-300 &lt; p &lt; 1 − 1e-16).</summary>
    public static double Probit(double p)
    {
        const double low = 0.02425;
        double x;
        if (p < low) { var q = Math.Sqrt(-2 * Math.Log(p)); x = Tail(q); }
        else if (p > 1 - low) { var q = Math.Sqrt(-2 * Math.Log(1 - p)); x = -Tail(q); }
        else
        {
            var q = p - 0.5;
            var r = q * q;
            x = (((((-3.969683028665376e+01 * r + 2.209460984245205e+02) * r - 2.759285104469687e+02) * r + 1.383577661297560e+02) * r
                  - 3.066479806614716e+01) * r + 2.506628277459239e+00) * q
                / (((((-5.447609879822406e+01 * r + 1.615858368580409e+02) * r - 1.556989798598866e+02) * r + 6.680131188771972e+01) * r
                    - 1.328068155288572e+01) * r + 1);
        }
        // one Halley step on Φ(x) − p (Acklam's refinement): the rational form alone is off by up to a few 1e-6
        var e = Phi(x) - p;
        var u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);

        static double Tail(double q) =>
            (((((-7.784894002430293e-03 * q - 3.223964580411365e-01) * q - 2.400758277161838e+00) * q - 2.549732539343734e+00) * q
              + 4.374664141464968e+00) * q + 2.938163982698783e+00)
            / ((((7.784695709041462e-03 * q + 3.224671290700398e-01) * q + 2.445134137142996e+00) * q + 3.754408661907416e+00) * q + 1);
    }

    /// <summary>The standard normal distribution Φ(x) = ½·erfc(−x/√2).</summary>
    public static double Phi(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    /// <summary>
    /// erfc(z): for |z| &lt; 3, 1 − erf(z) with erf from its all-positive series 2z/√π·e^(−z²)·Σ (2z²)ⁿ / (1·3·…·(2n+1)); beyond,
    /// the continued fraction e^(−z²)/√π · 1/(z + ½/(z + 1/(z + 3⁄2/(z + …)))) evaluated from its tail (a fixed depth that
    /// converges to double precision there), reflected for z ≤ −3.
    /// </summary>
    static double Erfc(double z)
    {
        if (z <= -3) return 2 - Erfc(-z);
        if (z < 3)
        {
            double term = 1, sum = 1, twoZ2 = 2 * z * z;
            for (var n = 1; n < 200 && term > 1e-17 * sum; n++) { term *= twoZ2 / (2 * n + 1); sum += term; }
            return 1 - 2 * z / Math.Sqrt(Math.PI) * Math.Exp(-z * z) * sum;
        }
        var f = z;
        for (var k = 120; k >= 1; k--) f = z + k / 2.0 / f;
        return Math.Exp(-z * z) / Math.Sqrt(Math.PI) / f;
    }

    // ---------------------------------------------------------------- JSON

    /// <summary>The encoding's JSON (inside <c>preprocessing.json</c>); the scaler is the file's own.</summary>
    public JsonObject ToJson() => new()
    {
        ["kind"] = "quantile-normal+one-hot",
        ["quantile_count"] = QuantileCount,
        ["continuous"] = new JsonArray(Continuous.Map(c => (JsonNode)new JsonObject
        {
            ["column"] = Track.FeatureColumns[c.Column],
            ["quantiles"] = new JsonArray(c.Quantiles.Select(q => (JsonNode)q).ToArray()),
        }).ToArray()),
        ["binary"] = new JsonArray(Binary.Map(c => (JsonNode)Track.FeatureColumns[c]).ToArray()),
        ["one_hot"] = new JsonArray(Categorical.Map(c => (JsonNode)new JsonObject
        {
            ["column"] = Track.FeatureColumns[c.Column],
            ["categories"] = new JsonArray(c.Categories.Map(v => (JsonNode)v).ToArray()),
        }).ToArray()),
    };

    /// <summary>Reads <see cref="ToJson"/>'s output; any missing, ill-typed or unordered member is a one-line error naming it.</summary>
    public static Fin<TabularEncoding> FromJson(JsonObject o, MinMaxScaler scaler, string origin)
    {
        LanguageExt.Common.Error Bad(string what) => GenreError.Model($"{origin}: encoding: {what} — the file is damaged");
        Fin<int> ColumnOf(JsonNode? node, string where) =>
            Json.String(node).Bind(n => Track.FeatureColumns.ToList().IndexOf(n) is var i and >= 0 ? Some(i) : None)
                .ToFin(Bad($"{where} is not a feature name"));
        Fin<QuantileColumn> Quantile(JsonNode? node, int k) =>
            from column in ColumnOf(Json.Member(node, "column").IfNoneUnsafe(() => null), $"continuous[{k}].column")
            from q in Json.Array(node, "quantiles").Bind(a => a.Select(Json.Double).ToSeq().Sequence()).Map(v => v.ToArray())
                .Filter(v => v.Length > 0 && v.Zip(v.Skip(1)).All(p => p.Item1 <= p.Item2) && v.All(double.IsFinite))
                .ToFin(Bad($"continuous[{k}].quantiles is not a non-decreasing list of numbers"))
            select new QuantileColumn(column, q);
        Fin<OneHotColumn> OneHot(JsonNode? node, int k) =>
            from column in ColumnOf(Json.Member(node, "column").IfNoneUnsafe(() => null), $"one_hot[{k}].column")
            from values in Json.Array(node, "categories").Bind(a => a.Select(Json.Long).ToSeq().Sequence())
                .Filter(v => v.Distinct().Count() == v.Count).ToFin(Bad($"one_hot[{k}].categories is not a list of distinct integers"))
            select new OneHotColumn(column, values.Strict());

        if (Json.String(o, "kind") != Some("quantile-normal+one-hot")) return Bad("kind is not quantile-normal+one-hot");
        return from continuous in Json.Array(o, "continuous").ToFin(Bad("continuous is not a list"))
                   .Bind(a => a.Select((n, k) => Quantile(n, k)).ToSeq().Sequence())
               from binary in Json.Array(o, "binary").ToFin(Bad("binary is not a list"))
                   .Bind(a => a.Select((n, k) => ColumnOf(n, $"binary[{k}]")).ToSeq().Sequence())
               from categorical in Json.Array(o, "one_hot").ToFin(Bad("one_hot is not a list"))
                   .Bind(a => a.Select((n, k) => OneHot(n, k)).ToSeq().Sequence())
               let used = continuous.Map(c => c.Column) + binary + categorical.Map(c => c.Column)
               from _ in used.Distinct().Count() == used.Count && used.Count == Track.FeatureColumns.Count
                   ? FinSucc(unit) : FinFail<Unit>(Bad("the columns do not name each of the 15 features once"))
               select new TabularEncoding(continuous.Strict(), binary.Strict(), categorical.Strict(), scaler);
    }
}
