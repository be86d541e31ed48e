using Genre.Data;
using Genre.Data.Stages;
using Genre.Models;

namespace Genre.Eval;

/// <summary>Which rows train, validate and test: the report's split, the track-aware one (no track in two subsets) or the
/// artist-aware one (no artist in two subsets).</summary>
public enum DataSplit
{
    /// <summary>The report's split.</summary>
    Report,
    /// <summary>No track in two subsets.</summary>
    TrackAware,
    /// <summary>No artist in two subsets.</summary>
    ArtistAware,
}

/// <summary>
/// An experiment as a value: a name, what it fits (<see cref="Learner"/>), the report's test accuracy, the feature pipeline it
/// reads, its split, the genre mapping its labels go through, and its training settings per profile in a table — no code, so two
/// experiments are equal when they would train alike. It round-trips through its folder's settings file
/// (<see cref="ExperimentJson"/>), so a folder trained for a changed experiment is told apart by value.
/// </summary>
public sealed record Experiment(string Name, string Title, Learner Model, double ReportAccuracy, Option<string> AuthorsModel)
{
    /// <summary>
    /// Training settings by profile name (<c>paper</c>, <c>fast</c>; <see cref="AnyProfile"/> for the same under every profile),
    /// their seed left to the run (<see cref="Profile.SettingsFor"/> sets it). A profile the table does not name trains the
    /// notebooks' settings.
    /// </summary>
    public HashMap<string, Settings> Training { get; init; }

    /// <summary>The key of settings that hold whatever the profile (an experiment beyond the report, tuned once).</summary>
    public const string AnyProfile = "*";

    /// <summary>This experiment's settings under <paramref name="profile"/>, before the run's seed.</summary>
    public Settings TrainingIn(string profile) =>
        Training.Find(profile).IfNone(() => Training.Find(AnyProfile).IfNone(Profiles.Notebooks));

    /// <summary>How many models it trains: 1, or an ensemble's members (<see cref="Learner.Ensemble"/>).</summary>
    public int Members => Model.Models;

    /// <summary>The mapping its labels go through (the report's 66 merged genres for <c>reduced-rnn1</c>); None: all 114 genres.</summary>
    public Option<GenreMapping> Labels { get; init; }

    /// <summary>Whether its labels are merged genres.</summary>
    public bool Reduced => Labels.IsSome;

    /// <summary>The split it trains on.</summary>
    public DataSplit Split { get; init; } = DataSplit.Report;

    /// <summary>What decides this experiment's weights when trained with <paramref name="settings"/>.</summary>
    public Recipe RecipeWith(Settings settings) => new(Model, Features, Labels, Split, settings);

    /// <summary>The feature pipeline the model reads (fitted on its training split): the report's unless declared otherwise.</summary>
    public Pipeline Features { get; init; } = Pipelines.Report;
}

/// <summary>How to train: epochs, batch, seed, learning rate (constant, or scheduled over the run), early stopping, and the
/// RealMLP-style extras (Adam's β₂, label smoothing) at Keras' defaults unless set.</summary>
public sealed record Settings(int Epochs, int BatchSize, int Seed, double LearningRate = 1e-3,
                              Option<EarlyStopping> EarlyStopping = default,
                              Option<RateSchedule> Decay = default,
                              double Beta2 = 0.999,
                              double LabelSmoothing = 0.0)
{
    /// <summary>
    /// These settings as a training configuration: Keras' Adam with this learning rate (and schedule, β₂), early stopping if
    /// any, label smoothing, resuming from checkpoints.
    /// </summary>
    public TrainingConfig ToConfig() =>
        new(Epochs, BatchSize, Seed, new AdamSettings(LearningRate, Beta2: Beta2, Decay: Decay), EarlyStopping: EarlyStopping,
            Resume: true, LabelSmoothing: LabelSmoothing);

    /// <summary>"0.003", "0.003 → 0 (cosine)" or "0.04 (coslog4)".</summary>
    public string DescribeRate() =>
        Show(LearningRate) + Decay.Match(d => d switch
        {
            CosineDecay c => $" → {Show(LearningRate * c.Alpha)} (cosine)",
            CosLog l => $" (coslog{l.Cycles})",
            _ => "",
        }, () => "");

    static string Show(double x) => x.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture);
}


/// <summary>The report's experiments and the selection of a subset by name.</summary>
public static class Experiments
{
    /// <summary>The report's seven experiments, in the report's order.</summary>
    public static readonly Seq<Experiment> OfReport = Seq(
        new Experiment("softmax", "Softmax (previous exercise)", Net(Zoo.Softmax()), 0.15667108, None)
        {
            Training = Fast(Profiles.Linear),
        },
        new Experiment("mlp", "MLP 100-150-150-150 (previous exercise)", Net(Zoo.Mlp()), 0.25931308, None)
        {
            Training = Fast(Profiles.Dense),
        },
        new Experiment("rnn1", "RNN1: Dense(250) → LSTM(80)", Net(Zoo.Rnn1()), 0.30048435, Some("RNN1net"))
        {
            Training = Fast(Profiles.OneLstm),
        },
        new Experiment("rnn2", "RNN2: LSTM(80) → LSTM(150)", Net(Zoo.Rnn2()), 0.25834435, Some("RNN2net"))
        {
            Training = Fast(Profiles.TwoLstms),
        },
        new Experiment("dnn1", "DNN1: relu 100-150-150-150 (TF2)", Net(Zoo.Dnn1()), 0.3172611, Some("DNN1net"))
        {
            Training = Fast(Profiles.Dense),
        },
        new Experiment("dnn2", "DNN2: DNN1 + Dropout(0.2)", Net(Zoo.Dnn2()), 0.32245707, Some("DNN2net"))
        {
            Training = Fast(Profiles.Dense),
        },
        new Experiment("reduced-rnn1", "RNN1 on 66 merged genres", Net(Zoo.ReducedRnn1()), 0.4078820, Some("reducedRNNnet"))
        {
            Labels = GenreMapping.ReportMerges,
            Training = Fast(Profiles.OneLstm),
        });

    /// <summary>The notebooks' settings under <c>paper</c> and <paramref name="fast"/> under <c>fast</c>.</summary>
    static HashMap<string, Settings> Fast(Settings fast) => HashMap(("paper", Profiles.Notebooks), ("fast", fast));

    /// <summary>The tabular net on the encoded features; the tabular ensemble is five of it from consecutive seeds.</summary>
    static readonly Experiment Tabular = new("tabular",
        "Tabular: encoded inputs, relu 512-512-256, BatchNorm + Dropout(0.3) (beyond the report)",
        Net(Zoo.Tabular()), double.NaN, None)
    {
        Features = Pipelines.Tabular,
        Training = HashMap((Experiment.AnyProfile,
            new Settings(100, 1024, 0, 3e-3, new EarlyStopping("val_accuracy", Patience: 12), new CosineDecay()))),
    };

    /// <summary>The RealMLP-style net (Zoo.RealMlp) over its own pipeline, trained as RealMLP-TD is.</summary>
    static readonly Experiment RealMlp = new("realmlp",
        "RealMLP-style: robust scale + smooth clip, PBLD embeddings, SELU 256 × 3 + Dropout(0.15) (beyond the report)",
        Net(Zoo.RealMlp()), double.NaN, None)
    {
        Features = Pipelines.RealMlp,
        // RealMLP-TD's training: a fixed number of epochs on the coslog4 schedule (a patience as long as the run never
        // stops it), the best epoch on validation kept at the end; its rate 0.04 is for NTK-parametrized weights, whose
        // steps are 1/√fan-in as large: 2.5e-3 is that step for the 256-wide layers
        Training = HashMap((Experiment.AnyProfile,
            new Settings(RealMlpEpochs, 256, 0, 2.5e-3,
                new EarlyStopping("val_accuracy", Patience: RealMlpEpochs, RestoreAtEnd: true),
                new CosLog(4), Beta2: 0.95, LabelSmoothing: 0.1))),
    };

    /// <summary>
    /// Beyond the report (<c>reproduce --beyond</c>), each trained the same way under every profile, batch 1,024, Adam 3e-3
    /// cosine-decayed to 0, stopped when validation accuracy has not improved for a while, keeping the best epoch's weights:
    /// the wide net (≤ 60 epochs, patience 10), the tabular net on the encoded features (≤ 100 epochs, patience 12), five
    /// tabular nets from consecutive seeds averaged, and TabM-mini (Adam 2e-3). Each was chosen on validation accuracy only
    /// (results/kaggle/beyond/tuning.md). The RealMLP-style net trains as its paper's defaults say instead (256 epochs at batch
    /// 256 on the coslog4 schedule, the best epoch kept), alone and five of it averaged.
    /// </summary>
    public static readonly Seq<Experiment> Beyond = Seq(
        new Experiment("wide", "Wide: relu 512-512-256, Dropout(0.1) each (beyond the report)", Net(Zoo.Wide()), double.NaN, None)
        {
            Training = HashMap((Experiment.AnyProfile,
                new Settings(60, 1024, 0, 3e-3, new EarlyStopping("val_accuracy", Patience: 10), new CosineDecay()))),
        },
        Tabular,
        Tabular with
        {
            Name = "tabular-ensemble",
            Title = "Tabular ensemble: the mean of 5 tabular nets' probabilities (beyond the report)",
            Model = new Learner.Ensemble(Zoo.Tabular(), 5),
        },
        Tabular with
        {
            Name = "tabm",
            Title = "TabM-mini: 8 members scaling the encoded inputs, shared relu 256 × 3 + Dropout(0.1), a head each (beyond the report)",
            Model = Net(Zoo.Tabm()),
            Training = HashMap((Experiment.AnyProfile,
                new Settings(100, 1024, 0, 2e-3, new EarlyStopping("val_accuracy", Patience: 12), new CosineDecay()))),
        },
        RealMlp,
        RealMlp with
        {
            Name = "realmlp-ensemble",
            Title = "RealMLP ensemble: the mean of 5 RealMLP-style nets' probabilities (beyond the report)",
            Model = new Learner.Ensemble(Zoo.RealMlp(), 5),
        });

    /// <summary>RealMLP-TD's epochs (at its batch size, 256).</summary>
    const int RealMlpEpochs = 256;

    /// <summary>
    /// Gradient-boosted trees on the report's 15 features (<c>reproduce --beyond</c>, or <c>--only gbdt</c>): LightGBM with
    /// each of <see cref="Eval.Gbdt.Candidates"/>, the best on validation accuracy scored once on test.
    /// </summary>
    public static readonly Experiment Gbdt =
        new(GbdtResult.Name, GbdtResult.Title, new Learner.Trees(Eval.Gbdt.Candidates), double.NaN, None);

    static Learner Net(Sequential spec) => new Learner.Net(spec);

    /// <summary>An experiment's place in the report's order; experiments outside the report come after it.</summary>
    public static int OrderOf(Experiment e) => OfReport.Map(x => x.Name).ToList().IndexOf(e.Name) is var i and >= 0 ? i : int.MaxValue;

    /// <summary>
    /// The report's experiments named in <paramref name="names"/> (comma-separated, in the report's order whatever the list's
    /// order), or all of them for None; a usage error naming any unknown name.
    /// </summary>
    public static Fin<Seq<Experiment>> Only(Option<string> names) =>
        names.Match(
            list =>
            {
                var wanted = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var unknown = wanted.Where(w => !(OfReport + Beyond).Exists(e => e.Name == w)).ToList();
                return unknown.Count > 0
                    ? FinFail<Seq<Experiment>>(GenreError.Usage($"--only: unknown experiment(s) {string.Join(", ", unknown)} " +
                        $"(known: {string.Join(", ", (OfReport + Beyond).Map(e => e.Name))}, {GbdtResult.Name})"))
                    : FinSucc((OfReport + Beyond).Filter(e => wanted.Contains(e.Name)).Strict());
            },
            () => FinSucc(OfReport));
}

/// <summary>
/// A named choice of settings: each experiment's row for <see cref="Name"/> in its table (<see cref="Experiment.Training"/>), with
/// this run's seed. <see cref="Uniform"/>, when set, is what every experiment trains with instead (small test runs).
/// </summary>
public sealed record Profile(string Name, string Description, int Seed)
{
    /// <summary>Settings every experiment takes under this profile, seed included, instead of its own.</summary>
    public Option<Settings> Uniform { get; init; }

    /// <summary>A profile in which every experiment trains with <paramref name="settings"/>.</summary>
    public static Profile Of(string name, string description, Settings settings) =>
        new(name, description, settings.Seed) { Uniform = settings };

    /// <summary>What <paramref name="e"/> trains with under this profile.</summary>
    public Settings SettingsFor(Experiment e) => Uniform.IfNone(() => e.TrainingIn(Name) with { Seed = Seed });
}

/// <summary>The named profiles of training settings: <c>paper</c> and <c>fast</c>.</summary>
public static class Profiles
{
    /// <summary>The notebooks exactly: Keras Adam defaults, batch 10,000, 1000 epochs (the seed is the run's).</summary>
    public static readonly Settings Notebooks = new(1000, 10_000, 0);

    // The fast profile's rows (README.md "On the Kaggle file"; bench/results/runtime-settings.md): the linear softmax needs many
    // small steps; every other model takes Adam with a cosine decay to 0 over the run, which on this data gains points over a
    // constant rate in the same epochs; the LSTMs are limited by the number of Adam steps, so they take batch 512 and a high rate
    // (RNN2 over 12 epochs overtakes the paper profile by 2 points, so 8).
    internal static readonly Settings Linear = new(60, 256, 0);
    internal static readonly Settings Dense = new(150, 1024, 0, 3e-3, Decay: new CosineDecay());
    internal static readonly Settings OneLstm = new(30, 512, 0, 1e-2, Decay: new CosineDecay());
    internal static readonly Settings TwoLstms = new(8, 512, 0, 8e-3, Decay: new CosineDecay());

    /// <summary>The notebooks exactly: Keras Adam defaults, batch 10,000, 1000 epochs, tf.random.set_seed(2).</summary>
    public static Profile Paper(int seed = 2) =>
        new("paper", $"as the notebooks: Adam(1e-3), batch 10,000, 1000 epochs (the notebooks' seed is 2; this run's is {seed})", seed);

    /// <summary>Finishes all seven on 2 cores in ≤ 10 minutes, each within ±1.5 points of the paper profile on the Kaggle file
    /// (each experiment's <c>fast</c> row).</summary>
    public static Profile Fast(int seed = 2) => new("fast",
        "softmax batch 256 × 60 epochs; dense nets batch 1,024 × 150 epochs, Adam 3e-3 → 0 (cosine); one LSTM batch 512 × 30 epochs, " +
        "Adam 1e-2 → 0 (cosine); two LSTMs batch 512 × 8 epochs, Adam 8e-3 → 0 (cosine)", seed);

    /// <summary>The profile called <paramref name="name"/> ("paper" or "fast") with <paramref name="seed"/>; a usage error
    /// otherwise.</summary>
    public static Fin<Profile> ByName(string name, int seed) => name switch
    {
        "paper" => Paper(seed),
        "fast" => Fast(seed),
        _ => GenreError.Usage($"unknown profile '{name}' (known: fast, paper)"),
    };
}
