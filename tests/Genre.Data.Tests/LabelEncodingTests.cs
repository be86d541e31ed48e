namespace Genre.Data.Tests;

public class LabelEncodingTests
{
    [Fact]
    public void Classes_are_sorted_ordinally_like_numpy()
    {
        var enc = LabelEncoding.Fit(["pop", "indie-pop", "indie", "Pop", "pop-film", "pop", "étoile", "zouk"]);
        // code points: 'P' < 'i' < 'z' < 'é'
        Assert.Equal(Seq("Pop", "indie", "indie-pop", "pop", "pop-film", "zouk", "étoile"), enc.Classes);
        Assert.Equal(3, Ok(enc.Encode("pop")));
        Assert.Equal(KaggleGenres.Sorted, LabelEncoding.Fit(KaggleGenres.FileOrder).Classes);
    }

    [Fact]
    public void Decode_inverts_encode()
    {
        var enc = LabelEncoding.Fit(KaggleGenres.FileOrder);
        foreach (var g in KaggleGenres.FileOrder) Assert.Equal(g, enc.Decode(Ok(enc.Encode(g))));
        Assert.Equal(Enumerable.Range(0, 114), enc.EncodeAll(enc.Classes));
    }

    [Fact]
    public void Unknown_labels_are_errors_naming_the_label()
    {
        var e = LabelEncoding.Fit(["a", "b"]).Encode("c");
        Assert.True(e.IsFail);
        e.IfFail(err => Assert.Contains("unknown label 'c'", err.Message));
    }

    [Fact]
    public void Explicit_is_encoded_as_in_the_notebook()
    {
        // LabelEncoder().fit_transform of a bool column: classes [False, True] → 0, 1; a column that is all True encodes True as 0
        Track T(bool e) => new(0, "id", None, None, None, 1, 2, e, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, "pop");
        Assert.Equal(new double[] { 0, 1, 0 }, Column(Features.Of(Seq(T(false), T(true), T(false))), 2));
        Assert.Equal(new double[] { 0, 0 }, Column(Features.Of(Seq(T(true), T(true))), 2));
    }

    [Fact]
    public void One_hot_rows_have_a_single_one_at_the_code()
    {
        var m = LabelEncoding.OneHot([2, 0, 1, 2], 3);
        Assert.Equal(new double[] { 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1 }, m);
    }

    [Fact]
    public void Features_are_the_15_report_columns_in_order()
    {
        var t = new Track(7, "id", None, None, None, 73, 230666, true, 0.676, 0.461, 1, -6.746, 0, 0.143, 0.0322, 1.01e-06, 0.358, 0.715,
            87.917, 4, "acoustic");
        var x = Features.Of(Seq(t, t with { Explicit = false }));
        Assert.Equal(15, Track.FeatureColumns.Count);
        Assert.Equal(new[] { 73, 230666, 1, 0.676, 0.461, 1, -6.746, 0, 0.143, 0.0322, 1.01e-06, 0.358, 0.715, 87.917, 4 },
            x.Row(0).ToArray());
    }

    static double[] Column(Matrix m, int c) => Enumerable.Range(0, m.Rows).Select(r => m[r, c]).ToArray();
}
