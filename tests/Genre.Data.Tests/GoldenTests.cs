using System.Globalization;

namespace Genre.Data.Tests;

/// <summary>
/// Conformance: the whole notebook pipeline against pandas + scikit-learn outputs (tests/golden/make_golden.py).
/// The reduced mapping only relabels: make_golden.py checks that its rows, split and features equal the full ones, so both
/// mappings are compared with the X.full.* files (and each with its own LabelEncoder classes).
/// </summary>
public class GoldenTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "synthetic-small", false }, { "synthetic-small", true }, { "synthetic-tiny", false }, { "synthetic-tiny", true },
    };

    static string Stem(string name, bool reduced) => $"{name}.{(reduced ? "reduced" : "full")}";
    static string Full(string name) => $"{name}.full";

    [Theory, MemberData(nameof(Cases))]
    public void Split_row_ids_match_sklearn(string name, bool reduced)
    {
        var (data, _, _) = TestFiles.Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), reduced ? Some(GenreMapping.ReportMerges)
            : None));
        var expected = File.ReadAllLines(TestFiles.Golden(Full(name) + ".split.csv")).Skip(1).ToArray();
        var ours = new[] { (data.Scaled.Train, "train"), (data.Scaled.Val, "val"), (data.Scaled.Test, "test") }
            .SelectMany(p => p.Item1.RowIds.Select(id => $"{id},{p.Item2}")).ToArray();
        Assert.Equal(expected, ours);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Classes_match_label_encoder(string name, bool reduced)
    {
        var (data, summary, _) = TestFiles.Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), reduced ? Some(GenreMapping.ReportMerges)
            : None));
        Assert.Equal(File.ReadAllLines(TestFiles.Golden(Stem(name, reduced) + ".classes.txt")), data.Genres.Classes.ToArray());
        Assert.Equal(reduced ? 66 : 114, summary.Classes);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Encoded_labels_match_label_encoder_after_the_mapping(string name, bool reduced)
    {
        var (data, _, _) = TestFiles.Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), reduced ? Some(GenreMapping.ReportMerges)
            : None));
        var expected = File.ReadAllLines(TestFiles.Golden(Stem(name, reduced) + ".labels.txt")).Select(int.Parse);
        Assert.Equal(expected, data.Scaled.Train.Y.Concat(data.Scaled.Val.Y).Concat(data.Scaled.Test.Y));
    }

    [Theory, MemberData(nameof(Cases))]
    public void Scaled_features_equal_min_max_scaler_bit_for_bit(string name, bool reduced)
    {
        var (data, _, _) = TestFiles.Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), reduced ? Some(GenreMapping.ReportMerges)
            : None));
        var ours = new[] { data.Scaled.Train, data.Scaled.Val, data.Scaled.Test };
        var rows = ours.SelectMany(d => Enumerable.Range(0, d.Count).Select(i => (d.RowIds[i], d.X.Row(i).ToArray()))).ToArray();
        var expected = File.ReadAllLines(TestFiles.Golden(Full(name) + ".scaled.csv"));
        Assert.Equal(expected.Length, rows.Length);
        var worst = 0.0;
        for (var r = 0; r < rows.Length; r++)
        {
            var p = expected[r].Split(',');
            Assert.Equal(long.Parse(p[0]), rows[r].Item1);
            for (var c = 0; c < 15; c++)
                worst = Math.Max(worst, Math.Abs(double.Parse(p[c + 2], CultureInfo.InvariantCulture) - rows[r].Item2[c]));
        }
        Assert.True(worst == 0, $"max |diff| {worst}");
    }
}
