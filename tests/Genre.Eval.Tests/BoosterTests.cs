using Genre.Eval.Boosting;
using Genre.Models;

namespace Genre.Eval.Tests;

public class BoosterTests
{
    /// <summary>Three classes set by the first feature's thirds, a second feature of noise, and 5% of labels flipped.</summary>
    static LabeledData Thirds(int rows, int seed)
    {
        var random = new Random(seed);
        var x = new float[rows * 2];
        var y = new int[rows];
        for (var i = 0; i < rows; i++)
        {
            x[2 * i] = (float)random.NextDouble();
            x[2 * i + 1] = (float)random.NextDouble();
            y[i] = random.NextDouble() < 0.05 ? random.Next(3) : Math.Min(2, (int)(x[2 * i] * 3));
        }
        return new LabeledData(x, rows, y, 3);
    }

    static readonly BoosterSettings Small = new(3, LearningRate: 0.2, Leaves: 4, MinDataInLeaf: 10, Rounds: 40, Seed: 1, Threads: 1);

    [Fact]
    public void A_fit_learns_the_thirds_and_its_probabilities_sum_to_one()
    {
        var fit = Ok(Booster.Fit(Small, Thirds(600, 1), Thirds(300, 2)));
        Assert.InRange(fit.BestValAccuracy, 0.9, 1.0);
        var test = Thirds(300, 3);
        var p = Ok(Booster.Predict(fit.Model, test.X, test.Rows));
        Assert.Equal(300 * 3, p.Length);
        for (var i = 0; i < test.Rows; i++) Assert.Equal(1.0, p[(3 * i)..(3 * i + 3)].Sum(), 5);
        Assert.InRange(Metrics.TopK(test.Y, p, 3, 1), 0.9, 1.0);
    }

    [Fact]
    public void The_round_kept_is_the_first_best_on_validation_and_patience_stops_after_it()
    {
        var fit = Ok(Booster.Fit(Small with { Rounds = 200, Patience = 5 }, Thirds(600, 1), Thirds(300, 2)));
        var curve = fit.ValAccuracy;
        Assert.Equal(curve.Max(), fit.BestValAccuracy);
        Assert.Equal(curve.ToList().IndexOf(curve.Max()) + 1, fit.BestRound);
        Assert.Equal(fit.BestRound + 5, curve.Count); // stopped exactly five rounds after the best
        Assert.True(curve.Count < 200);
        var all = Ok(Booster.Fit(Small with { Rounds = 30 }, Thirds(600, 1), Thirds(300, 2)));
        Assert.Equal(30, all.ValAccuracy.Count); // without patience every round is trained
        Assert.Equal(30, all.Model.Rounds);      // and kept, whatever the watched curve did
    }

    [Fact]
    public void A_fit_is_deterministic_and_its_text_reads_back_predicting_the_same()
    {
        var train = Thirds(600, 1);
        var val = Thirds(300, 2);
        var a = Ok(Booster.Fit(Small, train, val));
        var b = Ok(Booster.Fit(Small, train, val));
        Assert.Equal(a.Model, b.Model);
        var read = Ok(Booster.Read(a.Model.Text, 3, 2, a.BestRound, "model.txt"));
        Assert.Equal(a.Model, read);
        Assert.Equal(Ok(Booster.Predict(a.Model, val.X, val.Rows)), Ok(Booster.Predict(read, val.X, val.Rows)));
    }

    [Fact]
    public void Reading_refuses_what_is_not_the_model_expected_naming_the_file()
    {
        var fit = Ok(Booster.Fit(Small with { Rounds = 3 }, Thirds(200, 1), Thirds(100, 2)));
        Assert.Equal("gbdt/model.txt: not a LightGBM model text (no trees)",
            Failed(Booster.Read("not a model", 3, 2, 3, "gbdt/model.txt")));
        Assert.Equal("gbdt/model.txt: a LightGBM model of 3 classes, 2 features and 3 rounds, expected 3 classes, 5 features and 3 rounds",
            Failed(Booster.Read(fit.Model.Text, 3, 5, 3, "gbdt/model.txt")));
        // LightGBM reads a text cut short as the trees it holds, or aborts on a tree cut in two: it never sees one
        var text = fit.Model.Text;
        foreach (var length in new[] { text.Length / 3, text.Length / 2, text.IndexOf("end of trees", StringComparison.Ordinal) })
            Assert.Equal("gbdt/model.txt: the LightGBM model text is cut short (no 'end of trees' line)",
                Failed(Booster.Read(text[..length], 3, 2, 3, "gbdt/model.txt")));
        Assert.Contains("does not hold the 12 trees of 4 rounds", Failed(Booster.Read(text, 3, 2, 4, "gbdt/model.txt")));
    }

    [Fact]
    public void Mismatched_inputs_are_refused_before_LightGBM_sees_them()
    {
        Assert.Contains("4 classes asked for", Failed(Booster.Fit(Small with { Classes = 4 }, Thirds(100, 1), Thirds(50, 2))));
        var fit = Ok(Booster.Fit(Small with { Rounds = 2 }, Thirds(200, 1), Thirds(100, 2)));
        Assert.Contains("5 values for 2 rows of 2 features", Failed(Booster.Predict(fit.Model, new float[5], 2)));
    }

    static string Failed<A>(Fin<A> f) => f.Match(_ => "succeeded", e => e.Message);
}
