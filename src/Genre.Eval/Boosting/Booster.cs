using System.Diagnostics;
using System.Globalization;
using System.Text;
using Genre.Data;
using Genre.Models;
using static Genre.Eval.Boosting.LightGbmNative;

namespace Genre.Eval.Boosting;

/// <summary>
/// One LightGBM multiclass booster's settings, in LightGBM's own parameter names (its defaults where this record has none):
/// softmax over <paramref name="Classes"/>, at most <paramref name="Rounds"/> boosting rounds, stopped when validation
/// accuracy has not improved for <paramref name="Patience"/> rounds and cut at its best round (0: never stopped early, and
/// every round kept). Deterministic for a given thread
/// count (<c>deterministic</c>, <c>force_row_wise</c>); <paramref name="Threads"/> 0 lets LightGBM take every core.
/// </summary>
public sealed record BoosterSettings(int Classes, double LearningRate = 0.1, int Leaves = 31, int MinDataInLeaf = 20,
                                     int Rounds = 100, int Patience = 0, int Seed = 0, int Threads = 0)
{
    /// <summary>The parameter string LightGBM is given (also the dataset's: its binning uses the same seed).</summary>
    public string Parameters => string.Create(CultureInfo.InvariantCulture,
        $"objective=multiclass num_class={Classes} learning_rate={LearningRate:R} num_leaves={Leaves} min_data_in_leaf={MinDataInLeaf} "
        + $"seed={Seed} deterministic=true force_row_wise=true num_threads={Threads} metric=multi_error verbosity=-1");
}

/// <summary>
/// A fitted booster as LightGBM's own model text (what <c>lightgbm.Booster.model_to_string</c> gives, read back by
/// LightGBM in any language), with the shapes it was fitted for.
/// </summary>
public sealed record BoostedModel(string Text, int Rounds, int Classes, int Features);

/// <summary>A fit: the model cut at its best round, validation accuracy after every round trained, and the seconds it took.</summary>
public sealed record BoostingFit(BoostedModel Model, Seq<double> ValAccuracy, double Seconds)
{
    /// <summary>The last round kept (1-based): the first with the best validation accuracy when stopped early, else the last
    /// round trained.</summary>
    public int BestRound => Model.Rounds;

    /// <summary>Validation accuracy at the last round kept.</summary>
    public double BestValAccuracy => ValAccuracy[BestRound - 1];
}

/// <summary>
/// Gradient-boosted trees through native LightGBM's C API (<see cref="LightGbmNative"/>): fit with early stopping on validation
/// accuracy, predict probabilities, and read a model's text back. Native failures become the caller's error (naming the
/// stage), and every native handle is freed on every path.
/// </summary>
public static class Booster
{
    /// <summary>
    /// Fit on <paramref name="train"/>, watching <paramref name="val"/> after every round; with a patience, stop
    /// <see cref="BoosterSettings.Patience"/> rounds after the first round with the best validation accuracy without a better
    /// one, and keep the model up to that round; without one, train and keep every round (the watched set then chooses
    /// nothing, so it may be the test set).
    /// </summary>
    public static Fin<BoostingFit> Fit(BoosterSettings s, LabeledData train, LabeledData val)
    {
        if (train.Classes != s.Classes || val.Classes != s.Classes)
            return GenreError.Usage(
                $"LightGBM: {s.Classes} classes asked for, but the data has {train.Classes} (train) and {val.Classes} (val)");
        var clock = Stopwatch.StartNew();
        var parameters = s.Parameters;
        var features = train.X.Length / Math.Max(1, train.Rows);
        return With(Dataset(train, parameters, IntPtr.Zero), trainSet =>
            With(Dataset(val, parameters, trainSet), valSet =>
                WithBooster(Call(LGBM_BoosterCreate(trainSet, parameters, out var b), "create the booster").Map(_ => b), booster =>
                    from _ in Call(LGBM_BoosterAddValidData(booster, valSet), "add the validation set")
                    from trained in Rounds(booster, s)
                    let kept = s.Patience > 0 ? trained.Best : trained.Curve.Count
                    from text in Text(booster, kept)
                    select new BoostingFit(new BoostedModel(text, kept, s.Classes, features), trained.Curve, clock.Elapsed.TotalSeconds))));
    }

    /// <summary>Class probabilities (rows × classes, row-major) for <paramref name="rows"/> rows of <paramref name="x"/>.</summary>
    public static Fin<float[]> Predict(BoostedModel model, float[] x, int rows)
    {
        if (rows == 0) return System.Array.Empty<float>();
        if (x.Length != rows * model.Features)
            return GenreError.Usage($"LightGBM: {x.Length} values for {rows} rows of {model.Features} features");
        return WithBooster(Load(model.Text), booster =>
        {
            var result = new double[rows * model.Classes];
            return Call(LGBM_BoosterPredictForMat(booster, x, Float32, rows, model.Features, 1, PredictNormal, 0, model.Rounds, "",
                    out var length, result), "predict")
                .Bind(_ => length == result.Length
                    ? FinSucc(result.Select(v => (float)v).ToArray())
                    : GenreError.Model($"LightGBM: predicted {length} values, expected {result.Length}"));
        });
    }

    /// <summary>
    /// A model's text read back: LightGBM parses it, and its classes, features and rounds are checked against what the caller
    /// expects (<paramref name="where"/> names the file in the error). The text is checked whole first — every tree of
    /// every round present and LightGBM's <c>end of trees</c> line after them — because LightGBM's parser either reads a text
    /// cut short as the trees it holds or aborts the process on a tree cut in two (it fails inside a parallel loop). Bytes
    /// changed inside a tree are the caller's to catch, with a checksum.
    /// </summary>
    public static Fin<BoostedModel> Read(string text, int classes, int features, int rounds, string where) =>
        Whole(text, classes, rounds, where).Bind(_ => WithBooster(
            Load(text).MapError(e => GenreError.Model($"{where}: not a LightGBM model ({e.Message})")), booster =>
        {
            var read = Call(LGBM_BoosterGetNumClasses(booster, out var k), "read the class count")
                .Bind(_ => Call(LGBM_BoosterGetNumFeature(booster, out var f), "read the feature count").Map(_ => f))
                .Bind(f => Call(LGBM_BoosterGetCurrentIteration(booster, out var rounds), "read the rounds").Map(_ => (f, rounds)));
            return read.Bind(r => k == classes && r.f == features && r.rounds == rounds
                ? FinSucc(new BoostedModel(text, r.rounds, k, r.f))
                : GenreError.Model($"{where}: a LightGBM model of {k} classes, {r.f} features and {r.rounds} rounds, "
                                   + $"expected {classes} classes, {features} features and {rounds} rounds"));
        }));

    /// <summary>
    /// Every tree a model of <paramref name="rounds"/> rounds over <paramref name="classes"/> classes has (a line
    /// <c>Tree=N</c> for N = 0 … rounds·classes − 1, in order), followed by <c>end of trees</c>.
    /// </summary>
    static Fin<Unit> Whole(string text, int classes, int rounds, string where)
    {
        var trees = (long)classes * rounds;
        var end = text.IndexOf("\nend of trees\n", StringComparison.Ordinal);
        var last = text.LastIndexOf($"\nTree={trees - 1}\n", StringComparison.Ordinal);
        var beyond = text.IndexOf($"\nTree={trees}\n", StringComparison.Ordinal);
        return end > 0 && last > 0 && last < end && beyond < 0
            ? FinSucc(unit)
            : GenreError.Model(end < 0 && !text.Contains("\nTree=0\n", StringComparison.Ordinal)
                ? $"{where}: not a LightGBM model text (no trees)"
                : end < 0
                ? $"{where}: the LightGBM model text is cut short (no 'end of trees' line)"
                : $"{where}: the LightGBM model text does not hold the {trees} trees of {rounds} rounds × {classes} classes "
                  + "expected");
    }

    /// <summary>Train round by round: the validation accuracy after each (1 − LightGBM's multi_error), and the first round
    /// (1-based) with the best of them.</summary>
    static Fin<(Seq<double> Curve, int Best)> Rounds(IntPtr booster, BoosterSettings s)
    {
        var curve = new List<double>();
        var best = (Accuracy: double.NegativeInfinity, Round: 0);
        var error = new double[1];
        for (var round = 1; round <= s.Rounds; round++)
        {
            var step = Call(LGBM_BoosterUpdateOneIter(booster, out var finished), $"train round {round}")
                .Bind(_ => Call(LGBM_BoosterGetEval(booster, 1, out var n, error), $"score round {round} on validation")
                    .Bind(_ => n == 1 ? FinSucc(1 - error[0]) : GenreError.Model($"LightGBM: {n} validation metrics, expected 1")));
            if (step.IsFail) return step.Map(_ => (Seq<double>(), 0));
            var accuracy = step.IfFail(double.NaN);
            curve.Add(accuracy);
            if (accuracy > best.Accuracy) best = (accuracy, round);
            if (finished != 0 || (s.Patience > 0 && round - best.Round >= s.Patience)) break;
        }
        return (curve.ToSeq().Strict(), best.Round);
    }

    static Fin<string> Text(IntPtr booster, int rounds) =>
        Call(LGBM_BoosterSaveModelToString(booster, 0, rounds, 0, 0, out var length, []), "measure the model text").Bind(__ =>
        {
            var buffer = new byte[length];
            return Call(LGBM_BoosterSaveModelToString(booster, 0, rounds, 0, length, out _, buffer), "write the model text")
                .Map(_ => Encoding.UTF8.GetString(buffer, 0, (int)Math.Max(0, length - 1))); // the count includes C's trailing NUL
        });

    static Fin<IntPtr> Load(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        return Call(LGBM_BoosterLoadModelFromString(bytes, out _, out var booster), "read the model").Map(_ => booster);
    }

    static Fin<IntPtr> Dataset(LabeledData d, string parameters, IntPtr reference)
    {
        var features = d.X.Length / Math.Max(1, d.Rows);
        return Call(LGBM_DatasetCreateFromMat(d.X, Float32, d.Rows, features, 1, parameters, reference, out var set), "build a dataset")
            .Bind(_ => Call(LGBM_DatasetSetField(set, "label", d.Y.Select(y => (float)y).ToArray(), d.Rows, Float32), "set the labels")
                .Map(_ => set)
                .MapError(e => { LGBM_DatasetFree(set); return e; }));
    }

    static Fin<A> With<A>(Fin<IntPtr> dataset, Func<IntPtr, Fin<A>> use) =>
        dataset.Bind(set =>
        {
            try { return use(set); }
            finally { LGBM_DatasetFree(set); }
        });

    static Fin<A> WithBooster<A>(Fin<IntPtr> booster, Func<IntPtr, Fin<A>> use) =>
        booster.Bind(b =>
        {
            try { return use(b); }
            finally { LGBM_BoosterFree(b); }
        });

    static Fin<Unit> Call(int status, string what) =>
        status == 0 ? FinSucc(unit) : GenreError.Model($"LightGBM could not {what}: {LastError()}");
}
