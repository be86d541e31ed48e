using FsCheck;
using FsCheck.Fluent;
using Genre.Data;
using Genre.Data.Stages;
using Genre.Eval;
using Genre.Models;

namespace Genre.Testing;

/// <summary>
/// FsCheck generators for what a user composes: feature pipelines of built-in stages that fit on any frame of tracks, small
/// Sequential specs, training settings, LightGBM configurations, learners and whole experiments. <see cref="GenreArb"/> pairs
/// the pipelines and experiments with shrinkers.
/// </summary>
public static class ExperimentGen
{
    /// <summary>The continuous features that are never negative (log1p is defined on them).</summary>
    public static readonly Seq<string> NonNegative =
        Seq("popularity", "duration_ms", "speechiness", "acousticness", "instrumentalness", "liveness");

    /// <summary>A non-empty subset of <paramref name="items"/>, in their order.</summary>
    public static Gen<Seq<string>> SubsetOf(Seq<string> items) =>
        Gen.Elements(true, false).ArrayOf(items.Count)
            .Select(keep => items.Where((_, i) => keep[i]).ToSeq().Strict())
            .Where(s => !s.IsEmpty);

    /// <summary>A scaler as the pipelines use them: MinMax, Standardize, QuantileNormal with 2–1000 quantiles, RobustScale, or
    /// RobustScale then SmoothClip (RealMLP's) with a bound of 1 or 3.</summary>
    public static readonly Gen<Stage> Scaler = Gen.OneOf(
        Gen.Constant((Stage)new MinMax()),
        Gen.Constant((Stage)new Standardize()),
        Gen.Elements(2, 3, 5, 10, 100, 1000).Select(k => (Stage)new QuantileNormal(k)),
        Gen.Constant((Stage)new RobustScale()),
        Gen.Elements(1.0, 3.0).Select(m => (Stage)Pipeline.Of(new RobustScale(), new SmoothClip(m))));

    /// <summary>
    /// A feature pipeline that fits on any frame of tracks with at least one row: some continuous features (and perhaps
    /// <c>explicit</c>, label-encoded, and <c>key</c>, one-hot encoded), log1p on some non-negative ones, then a scaler.
    /// </summary>
    public static readonly Gen<Pipeline> Features =
        from continuous in SubsetOf(Pipelines.Continuous)
        from withExplicit in Gen.Elements(true, false)
        from withKey in Gen.Elements(true, false)
        from logged in Gen.Elements(true, false).ArrayOf(continuous.Count)
        from scaler in Scaler
        from keyFirst in Gen.Elements(true, false)
        let selected = continuous + (withExplicit ? Seq1("explicit") : Seq<string>()) + (withKey ? Seq1("key") : Seq<string>())
        let log = continuous.Where((c, i) => logged[i] && NonNegative.Contains(c)).ToSeq().Strict()
        let stages = Seq1<Stage>(new SelectColumns(selected.Strict()))
            + (withExplicit ? Seq1<Stage>(new LabelEncode("explicit")) : Seq<Stage>())
            + (log.IsEmpty ? Seq<Stage>() : Seq1<Stage>(new ColumnTransformer(Seq1(new ColumnGroup(log, new Log1p())))))
            + (withKey && keyFirst ? Seq1<Stage>(OneHot.Of("key")) : Seq<Stage>())
            + Seq1(scaler)
            + (withKey && !keyFirst
                ? Seq1<Stage>(new ColumnTransformer(Seq1(new ColumnGroup(Seq1("key"), Pipeline.Identity))))
                : Seq<Stage>())
        select new Pipeline(stages.Strict());

    /// <summary>Training settings: epochs 1–1000, Keras-style batch sizes, seeds, learning rates, with or without a schedule
    /// (cosine decay or coslog) and early stopping, Adam's β₂ Keras' or RealMLP's, with or without label smoothing.</summary>
    public static readonly Gen<Settings> TrainingSettings =
        from epochs in Gen.Frequency((3, Gen.Choose(1, 10)), (1, Gen.Elements(150, 1000)))
        from batch in Gen.Elements(1, 32, 128, 512, 1024, 10_000)
        from seed in Gen.Choose(0, 100)
        from rate in Gen.Elements(1e-3, 3e-3, 8e-3, 1e-2, 0.1)
        from decay in Gen.OneOf(Gen.Constant(Option<RateSchedule>.None),
            Gen.Elements(0.0, 0.1).Select(a => Some<RateSchedule>(new CosineDecay(a))),
            Gen.Choose(1, 4).Select(n => Some<RateSchedule>(new CosLog(n))))
        from stopping in Gen.OneOf(Gen.Constant(Option<EarlyStopping>.None),
            from monitor in Gen.Elements("val_loss", "val_accuracy")
            from patience in Gen.Choose(1, 20)
            from delta in Gen.Elements(0.0, 1e-4)
            from restore in Gen.Elements(true, false)
            from atEnd in Gen.Elements(false, true)
            select Some(new EarlyStopping(monitor, patience, delta, restore, atEnd)))
        from beta2 in Gen.Elements(0.999, 0.95)
        from smoothing in Gen.Elements(0.0, 0.1)
        select new Settings(epochs, batch, seed, rate, stopping, decay, beta2, smoothing);

    /// <summary>A small valid Sequential spec: <paramref name="inputs"/> features, 0–2 hidden Dense layers (1–64 units, any
    /// hidden activation), each perhaps followed by Dropout, then a softmax Dense over <paramref name="classes"/>. One spec in
    /// four is TabM-shaped instead (an EnsembleScale of 1–4 members first and an EnsembleHead over the classes last), and one in
    /// four RealMLP-shaped (a PeriodicEmbedding of 1–4 frequencies to 1–3 values per column first).</summary>
    public static Gen<Sequential> Spec(int inputs, int classes) =>
        from plain in PlainSpec(inputs, classes)
        from members in Gen.Choose(1, 4)
        from frequencies in Gen.Choose(1, 4)
        from width in Gen.Choose(1, 3)
        from shape in Gen.Elements("plain", "plain", "tabm", "realmlp")
        select shape switch
        {
            "tabm" => plain with
            {
                Layers = (Seq1<Layer>(new EnsembleScale(members)) + plain.Layers.Init).Add(new EnsembleHead(classes)).Strict(),
            },
            "realmlp" => plain with { Layers = (Seq1<Layer>(new PeriodicEmbedding(frequencies, width)) + plain.Layers).Strict() },
            _ => plain,
        };

    static Gen<Sequential> PlainSpec(int inputs, int classes) =>
        from hidden in Gen.Choose(0, 2)
        from layers in (
            from units in Gen.Choose(1, 64)
            from activation in Gen.Elements(Activation.Relu, Activation.Tanh, Activation.Sigmoid, Activation.Selu, Activation.Linear)
            from dropout in Gen.OneOf(Gen.Constant(Option<double>.None), Gen.Elements(0.1, 0.2, 0.5).Select(Some))
            select Seq1<Layer>(new Dense(units, activation)) + dropout.Map(r => Seq1<Layer>(new Dropout(r))).IfNone(Seq<Layer>()))
            .ArrayOf(hidden)
        from name in Gen.Elements("net", "small", "tiny-mlp")
        select new Sequential(Seq1(inputs), layers.ToSeq().Bind(l => l).Add(new Dense(classes, Activation.Softmax)).Strict(), name);

    /// <summary>A LightGBM configuration.</summary>
    public static readonly Gen<GbdtSettings> TreeSettings =
        from rate in Gen.Elements(0.01, 0.05, 0.1, 0.3)
        from leaves in Gen.Choose(2, 127)
        from minLeaf in Gen.Choose(1, 100)
        from rounds in Gen.Choose(1, 600)
        from stop in Gen.Choose(1, 50)
        select new GbdtSettings(rate, leaves, minLeaf, rounds, stop);

    /// <summary>One network, an ensemble of 2–5, or 1–3 LightGBM candidates.</summary>
    public static Gen<Learner> Learners(int inputs, int classes) => Gen.OneOf(
        Spec(inputs, classes).Select(s => (Learner)new Learner.Net(s)),
        from s in Spec(inputs, classes)
        from k in Gen.Choose(2, 5)
        select (Learner)new Learner.Ensemble(s, k),
        TreeSettings.ArrayOf().Select(c => c.Take(3).ToSeq().Strict()).Where(c => !c.IsEmpty).Select(c => (Learner)new Learner.Trees(c)));

    /// <summary>An experiment: a name, a title (hazardous text), what it fits, its features, split, labels (a valid mapping of
    /// the Kaggle genres, or none) and a settings table for some of <c>paper</c>, <c>fast</c> and <c>*</c>.</summary>
    public static readonly Gen<Experiment> Experiments =
        from name in Gen.Elements("rnn1", "my-net", "x", "tabular-ensemble", "gbdt")
        from title in GenreGen.Text
        from accuracy in Gen.OneOf(Gen.Constant(double.NaN), GenreGen.UnitInterval)
        from authors in Gen.OneOf(Gen.Constant(Option<string>.None), Gen.Elements("RNN1net", "DNN2net").Select(Some))
        from features in Features
        from learner in Learners(15, 114)
        from split in Gen.Elements(DataSplit.Report, DataSplit.TrackAware, DataSplit.ArtistAware)
        from labels in Gen.OneOf(Gen.Constant(Option<GenreMapping>.None), GenreGen.Mapping(KaggleGenres.Sorted).Select(Some))
        from profiles in SubsetOf(Seq("paper", "fast", Experiment.AnyProfile)).Select(p => p.Strict())
        from settings in TrainingSettings.ArrayOf(profiles.Count)
        select new Experiment(name, title, learner, accuracy, authors)
        {
            Features = features,
            Split = split,
            Labels = labels,
            Training = toHashMap(profiles.Zip(settings)),
        };
}
