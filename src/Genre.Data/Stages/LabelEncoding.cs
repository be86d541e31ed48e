
namespace Genre.Data;

/// <summary>scikit-learn's <c>LabelEncoder</c>: classes are the distinct values sorted ordinally; a value's code is its class
/// index.</summary>
public sealed record LabelEncoding(Seq<string> Classes)
{
    readonly Dictionary<string, int> index = Classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);

    /// <summary>The classes of <paramref name="values"/>: distinct and sorted ordinally, as <c>LabelEncoder.fit</c> (np.unique) orders
    /// them.</summary>
    public static LabelEncoding Fit(IEnumerable<string> values) =>
        new(toSeq(values.Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToArray()));

    /// <summary>Number of classes.</summary>
    public int Count => Classes.Count;

    /// <summary>Equal when the classes are equal, in the same order.</summary>
    public bool Equals(LabelEncoding? other) => other is not null && Classes == other.Classes;
    /// <summary>A hash of the classes, consistent with <see cref="Equals(LabelEncoding?)"/>.</summary>
    public override int GetHashCode() => Classes.GetHashCode();

    /// <summary>The code (class index) of <paramref name="value"/>; a data error when it is not one of the classes.</summary>
    public Fin<int> Encode(string value) =>
        index.TryGetValue(value, out var i) ? FinSucc(i) : FinFail<int>(
            GenreError.Data($"unknown label '{value}' (known: {Classes.Count} classes)"));

    /// <summary>Encodes values known to be classes (as after Fit on the same values).</summary>
    public int[] EncodeAll(IEnumerable<string> values) => values.Select(v => index[v]).ToArray();

    /// <summary>The class with index <paramref name="code"/>; throws when <paramref name="code"/> is not in 0 … <see cref="Count"/> −
    /// 1.</summary>
    public string Decode(int code) => Classes[code];

    /// <summary>One-hot rows (n × classes, row-major), as OneHotEncoder on the encoded labels.</summary>
    public static double[] OneHot(int[] codes, int classes)
    {
        var m = new double[codes.Length * classes];
        for (var i = 0; i < codes.Length; i++) m[i * classes + codes[i]] = 1.0;
        return m;
    }
}
