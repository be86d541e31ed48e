using Genre.Data.Stages;

namespace Genre.Data;

/// <summary>
/// The feature pipelines genre declares, as values: what the report's notebooks do to the 15 features, and the tabular encoding
/// of the models beyond the report. Each reads a frame of tracks (<see cref="Frame.Of(Seq{Track})"/>) and writes the model's
/// input columns; fitting one reads the training split only.
/// </summary>
public static class Pipelines
{
    /// <summary>The 11 continuous features (report order): the tabular pipeline maps them through their quantiles.</summary>
    public static readonly Seq<string> Continuous = Seq(
        "popularity", "duration_ms", "danceability", "energy", "loudness", "speechiness", "acousticness", "instrumentalness",
        "liveness", "valence", "tempo");

    /// <summary>The binary features: explicit (after its LabelEncoder) and mode.</summary>
    public static readonly Seq<string> Binary = Seq("explicit", "mode");

    /// <summary>The integer features one-hot encoded by the tabular pipeline over fixed categories: key 0–11,
    /// time_signature 0–7.</summary>
    public static readonly Seq<OneHotColumn> Categorical = Seq(
        new OneHotColumn("key", Some(Enumerable.Range(0, 12).Select(v => (double)v).ToSeq().Strict())),
        new OneHotColumn("time_signature", Some(Enumerable.Range(0, 8).Select(v => (double)v).ToSeq().Strict())));

    /// <summary>
    /// The notebooks' preprocessing: the 15 features in report order, <c>LabelEncoder</c> on <c>explicit</c>, then
    /// <c>MinMaxScaler</c> on all 15 (the labels, <c>track_genre</c>, are encoded apart from the features).
    /// </summary>
    public static readonly Pipeline Report = Pipeline.Of(
        new SelectColumns(Track.FeatureColumns), new LabelEncode("explicit"), new MinMax());

    /// <summary>
    /// The models beyond the report read 33 columns: scikit-learn's <c>QuantileTransformer(output_distribution="normal")</c> on
    /// the 11 continuous features (after the report's MinMaxScaler, under which quantiles do not change), the two binary ones
    /// min-max scaled as the report does, then <c>OneHotEncoder(categories=[0..11], [0..7], handle_unknown="ignore")</c> on the raw
    /// values of <c>key</c> and <c>time_signature</c>.
    /// </summary>
    public static readonly Pipeline Tabular = OverTabularColumns(Pipeline.Of(new MinMax(), new QuantileNormal()));

    /// <summary>
    /// RealMLP's preprocessing (Holzmüller et al., NeurIPS 2024) over the tabular columns: the 11 continuous features centred on
    /// their medians, robustly scaled and smoothly clipped to ±3 (<see cref="RobustScale"/>, <see cref="SmoothClip"/>), the two
    /// binary ones and the one-hot categories as in <see cref="Tabular"/>; 33 columns.
    /// </summary>
    public static readonly Pipeline RealMlp = OverTabularColumns(Pipeline.Of(new RobustScale(), new SmoothClip()));

    /// <summary>The 15 features with <c>explicit</c> label-encoded, then <paramref name="continuous"/> on the 11 continuous ones,
    /// the binary ones min-max scaled and the categorical ones one-hot encoded (33 columns, the rest dropped).</summary>
    static Pipeline OverTabularColumns(Stage continuous) => Pipeline.Of(
        new SelectColumns(Track.FeatureColumns), new LabelEncode("explicit"),
        new ColumnTransformer(Seq(
            new ColumnGroup(Continuous, continuous),
            new ColumnGroup(Binary, new MinMax()),
            new ColumnGroup(Categorical.Map(c => c.Column).Strict(), new OneHot(Categorical))), DropRest: true));

    /// <summary>The tabular pipeline's output width: 11 + 2 + 12 + 8 = 33.</summary>
    public static readonly int TabularWidth =
        Continuous.Count + Binary.Count + Categorical.Sum(c => c.Categories.Map(v => v.Count).IfNone(0));

    /// <summary>The declared pipelines by name, for settings files and the command line.</summary>
    public static readonly HashMap<string, Pipeline> ByName = HashMap(("report", Report), ("tabular", Tabular), ("realmlp", RealMlp));

    /// <summary>The name of a declared pipeline, when <paramref name="p"/> is one (by value).</summary>
    public static Option<string> NameOf(Pipeline p) =>
        ByName.AsEnumerable().Where(kv => kv.Value == p).Select(kv => kv.Key).ToSeq().HeadOrNone();
}
