using System.Globalization;
using Genre.Data;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Genre.Data.Tests;

/// <summary>Conformance: the whole notebook pipeline against pandas + scikit-learn outputs (tests/golden/make_golden.py).</summary>
public class PipelineTests
{
    public static TheoryData<string, bool> Cases => new()
    {
        { "synthetic-small", false }, { "synthetic-small", true }, { "synthetic-tiny", false }, { "synthetic-tiny", true },
    };

    static string Stem(string name, bool reduced) => $"{name}.{(reduced ? "reduced" : "full")}";

    [Theory, MemberData(nameof(Cases))]
    public void Split_row_ids_match_sklearn(string name, bool reduced)
    {
        var (data, _, _) = TestFiles.Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), reduced ? Some(GenreMapping.Report) : None));
        var expected = File.ReadAllLines(TestFiles.Golden(Stem(name, reduced) + ".split.csv")).Skip(1).ToArray();
        var ours = new[] { (data.Scaled.Train, "train"), (data.Scaled.Val, "val"), (data.Scaled.Test, "test") }
            .SelectMany(p => p.Item1.RowIds.Select(id => $"{id},{p.Item2}")).ToArray();
        Assert.Equal(expected, ours);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Classes_match_label_encoder(string name, bool reduced)
    {
        var (data, summary, _) = TestFiles.Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), reduced ? Some(GenreMapping.Report) : None));
        Assert.Equal(File.ReadAllLines(TestFiles.Golden(Stem(name, reduced) + ".classes.txt")), data.Genres.Classes.ToArray());
        Assert.Equal(reduced ? 66 : 114, summary.Classes);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Scaled_features_match_min_max_scaler_to_1e_12(string name, bool reduced)
    {
        var (data, _, _) = TestFiles.Ok(ReportPipeline.Load(TestFiles.Golden(name + ".csv"), reduced ? Some(GenreMapping.Report) : None));
        var ours = new[] { data.Scaled.Train, data.Scaled.Val, data.Scaled.Test };
        var rows = ours.SelectMany(d => Enumerable.Range(0, d.Count).Select(i => (d.RowIds[i], d.X.Row(i).ToArray()))).ToArray();
        var expected = File.ReadAllLines(TestFiles.Golden(Stem(name, reduced) + ".scaled.csv"));
        Assert.Equal(expected.Length, rows.Length);
        var worst = 0.0;
        for (var r = 0; r < rows.Length; r++)
        {
            var p = expected[r].Split(',');
            Assert.Equal(long.Parse(p[0]), rows[r].Item1);
            for (var c = 0; c < 15; c++)
                worst = Math.Max(worst, Math.Abs(double.Parse(p[c + 2], CultureInfo.InvariantCulture) - rows[r].Item2[c]));
        }
        Assert.True(worst <= 1e-12, $"max |diff| {worst}");
    }

    [Fact]
    public void Scaler_maps_train_into_unit_interval_and_handles_constant_columns()
    {
        var x = new Matrix(3, 2, [1, 5, 2, 5, 3, 5]);
        var s = MinMaxScaler.Fit(x);
        Assert.Equal(new[] { 0.5, 1.0 }, s.Scale);      // constant column: range 0 → scale 1
        Assert.Equal(new[] { -0.5, -5.0 }, s.Min);
        Assert.Equal(new double[] { 0, 0, 0.5, 0, 1, 0 }, s.Transform(x).Values);
    }

    [Fact]
    public void Default_synthetic_data_has_the_real_files_counts()
    {
        var (tracks, report) = Cleaning.Clean(Synthetic.Generate());
        Assert.Equal((114_000, 1, 450), (report.RowsRead, report.MissingDropped, report.DuplicatesDropped));
        var data = TestFiles.Ok(ReportPipeline.Prepare(tracks, None));
        Assert.Equal((72_671, 18_168, 22_710), (data.Scaled.Train.Count, data.Scaled.Val.Count, data.Scaled.Test.Count));
        Assert.Equal(114, data.Genres.Count);
        Assert.Equal(66, TestFiles.Ok(ReportPipeline.Prepare(tracks, Some(GenreMapping.Report))).Genres.Count);
    }

    [RealDataFact]
    public void Real_file_114000_read_113549_clean_72671_18168_22710()
    {
        var path = Environment.GetEnvironmentVariable(DataSource.EnvironmentVariable)!;
        var (data, s, _) = TestFiles.Ok(ReportPipeline.Load(path, None));
        Assert.Equal(new DataSummary(114_000, 113_549, 114, 72_671, 18_168, 22_710), s);
        Assert.Equal(66, TestFiles.Ok(ReportPipeline.Load(path, Some(GenreMapping.Report))).Data.Genres.Count);
    }
}
