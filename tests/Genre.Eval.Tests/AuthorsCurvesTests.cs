using System.Globalization;
using Genre.Models;

namespace Genre.Eval.Tests;

public class AuthorsCurvesTests
{
    const string Header = "epoch,loss,accuracy,val_loss,val_accuracy";

    static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);

    /// <summary>A log of <paramref name="epochs"/> rows whose values are simple functions of the epoch, as extract.py writes
    /// them.</summary>
    static string Log(int epochs, string newline = "\n") =>
        string.Join(newline, new[] { Header }.Concat(Enumerable.Range(1, epochs).Select(e =>
            $"{e},{F(5 - 0.01 * e)},{F(0.002 * e)},{F(5.1 - 0.01 * e)},{F(0.0015 * e)}"))) + newline;

    static History Ok(Fin<History> h) => h.Match(x => x, e => throw new Xunit.Sdk.XunitException("expected success: " + e.Message));
    static string Error(Fin<History> h) => h.Match(_ => throw new Xunit.Sdk.XunitException("expected an error"), e => e.Message);

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void A_good_log_parses_every_epoch_with_unknown_seconds(string newline)
    {
        var h = Ok(AuthorsCurves.Parse(Log(7, newline)));
        Assert.Equal(Enumerable.Range(1, 7), h.Epochs.Map(e => e.Epoch));
        foreach (var e in h.Epochs)
        {
            Assert.Equal(double.Parse(F(5 - 0.01 * e.Epoch), CultureInfo.InvariantCulture), e.Loss);
            Assert.Equal(double.Parse(F(0.002 * e.Epoch), CultureInfo.InvariantCulture), e.Accuracy);
            Assert.Equal(double.Parse(F(5.1 - 0.01 * e.Epoch), CultureInfo.InvariantCulture), e.ValLoss);
            Assert.Equal(double.Parse(F(0.0015 * e.Epoch), CultureInfo.InvariantCulture), e.ValAccuracy);
            Assert.True(double.IsNaN(e.Seconds));
        }
    }

    [Fact]
    public void A_bad_cell_is_named_by_source_line_and_column()
    {
        var lines = Log(5).Split('\n');
        lines[3] = "3,4.9700,0.0060,oops,0.0045";
        var message = Error(AuthorsCurves.Parse(string.Join('\n', lines), "dnn1.csv"));
        Assert.StartsWith("dnn1.csv:4: column 'val_loss'", message);
        Assert.Contains("'oops'", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void A_missing_epoch_is_named_by_line()
    {
        var lines = Log(5).Split('\n').ToList();
        lines.RemoveAt(3); // epoch 3
        var message = Error(AuthorsCurves.Parse(string.Join('\n', lines), "rnn1.csv"));
        Assert.StartsWith("rnn1.csv:4: column 'epoch'", message);
        Assert.Contains("epoch 4 where epoch 3 was expected", message);
    }

    [Theory]
    [InlineData("epoch,loss,accuracy,val_loss\n1,1,1,1\n", "curves.csv:1: expected the header")]
    [InlineData("epoch,loss,accuracy,val_loss,val_accuracy\n", "curves.csv:2: no epochs")]
    [InlineData("epoch,loss,accuracy,val_loss,val_accuracy\n1,1,1,1\n", "curves.csv:2: expected 5 cells, found 4")]
    [InlineData("epoch,loss,accuracy,val_loss,val_accuracy\n1,nan,1,1,1\n", "curves.csv:2: column 'loss'")]
    public void Malformed_logs_fail_with_one_line(string text, string start) =>
        Assert.StartsWith(start, Error(AuthorsCurves.Parse(text)));

    [Fact]
    public void All_five_embedded_logs_load_with_1000_epochs_and_start_at_chance()
    {
        Assert.Equal(5, AuthorsCurves.Names.Count);
        foreach (var name in AuthorsCurves.Names)
        {
            var h = Ok(AuthorsCurves.Load(name));
            Assert.Equal(Enumerable.Range(1, 1000), h.Epochs.Map(e => e.Epoch));
            Assert.Equal(h, AuthorsCurves.For(name).IfNone(() => throw new Xunit.Sdk.XunitException(name)));
            // each log belongs to the experiment it is named after: its first loss is near ln(classes) of that experiment's labels
            var experiment = Experiments.OfReport.Find(e => e.Name == name)
                .IfNone(() => throw new Xunit.Sdk.XunitException($"{name} is not an experiment"));
            var classes = experiment.Model.Network.Case is Sequential { Layers.Last: Dense d }
                ? d.Units
                : throw new Xunit.Sdk.XunitException($"{name}: last layer is not Dense");
            Assert.True(Math.Abs(h.Epochs[0].Loss - Math.Log(classes)) < 0.15,
                $"{name}: epoch-1 loss {h.Epochs[0].Loss} vs ln({classes}) = {Math.Log(classes):F4}");
        }
        Assert.True(AuthorsCurves.For("softmax").IsNone);
        Assert.True(AuthorsCurves.For("nope").IsNone);
    }

    /// <summary>The cells of the table row for (experiment, epoch), without the leading and trailing pipes.</summary>
    static string[] RowOf(string table, string experiment, int epoch) =>
        table.Split('\n').Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Single(c => c.Length > 3 && c[1] == experiment && c[2] == epoch.ToString(CultureInfo.InvariantCulture))[1..^1];

    static History Ours(int epochs) => new(Enumerable.Range(1, epochs)
        .Select(e => new EpochMetrics(e, 4.9 - 0.02 * e, 0.003 * e, 5.0 - 0.02 * e, 0.0025 * e, 1.0)).ToSeq().Strict());

    [Fact]
    public void Comparison_table_gives_ours_theirs_and_delta_and_a_dash_for_epochs_not_reached()
    {
        var ours = Ours(120);
        var table = AuthorsCurves.ComparisonTable(Seq(("softmax", Ours(3)), ("dnn1", ours)));
        var theirs = AuthorsCurves.For("dnn1").IfNone(() => throw new Xunit.Sdk.XunitException("no dnn1 log"));
        Assert.DoesNotContain("softmax", table);
        Assert.Equal(AuthorsCurves.ComparedEpochs.Count, table.Split('\n').Count(l => l.StartsWith("| dnn1 |")));
        foreach (var epoch in AuthorsCurves.ComparedEpochs)
        {
            var row = RowOf(table, "dnn1", epoch);
            var t = theirs.Epochs[epoch - 1];
            Assert.Equal(F(t.Loss), row[3]);
            Assert.Equal(F(t.ValAccuracy), row[6]);
            if (epoch <= 120)
            {
                var o = ours.Epochs[epoch - 1];
                Assert.Equal(F(o.Loss), row[2]);
                Assert.Equal((o.Loss - t.Loss).ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture), row[4]);
                Assert.Equal(F(o.ValAccuracy), row[5]);
                Assert.Equal(((o.ValAccuracy - t.ValAccuracy) * 100).ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + " pt", row[7]);
            }
            else
                Assert.Equal(new[] { "—", "—", "—", "—" }, new[] { row[2], row[4], row[5], row[7] });
        }
    }

    [Fact]
    public void Comparison_table_without_any_logged_experiment_says_so()
    {
        var text = AuthorsCurves.ComparisonTable(Seq(("softmax", Ours(3)), ("mlp", Ours(3))));
        Assert.DoesNotContain("|", text);
        Assert.Contains("No experiment of this run has an authors' log", text);
    }
}
