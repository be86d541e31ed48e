using Genre.Data;
using Stages = Genre.Data.Stages;

namespace Genre.Models;

/// <summary>The report's models as values (architectures as in the notebooks and the authors' SavedModels).</summary>
public static class Zoo
{
    /// <summary>Input width of the report's models: the 15 audio features.</summary>
    public const int Features = 15;
    /// <summary>Classes of the report's models: the Kaggle file's 114 genres.</summary>
    public const int Genres = 114;
    /// <summary>Classes of the reduced RNN1: 66 genres after the report's merges.</summary>
    public const int ReducedGenres = 66;

    static readonly Seq<int> Flat = Seq1(Features);
    static readonly Seq<int> Sequence = Seq(Features, 1);

    /// <summary>Previous exercise: multinomial logistic regression.</summary>
    public static Sequential Softmax(int classes = Genres) =>
        new(Flat, Seq1<Layer>(new Dense(classes, Activation.Softmax)), "softmax");

    /// <summary>DNN1 (= the previous exercise's best MLP): relu 100, 150, 150, 150 → softmax.</summary>
    public static Sequential Dnn1(int classes = Genres) =>
        new(Flat, Seq<Layer>(new Dense(100, Activation.Relu), new Dense(150, Activation.Relu), new Dense(150, Activation.Relu),
            new Dense(150, Activation.Relu), new Dense(classes, Activation.Softmax)), "dnn1");

    /// <summary>The previous exercise's MLP: DNN1's layers under the name "mlp".</summary>
    public static Sequential Mlp(int classes = Genres) => Dnn1(classes) with { Name = "mlp" };

    /// <summary>DNN2: DNN1 with Dropout(0.2) after the first layer.</summary>
    public static Sequential Dnn2(int classes = Genres) =>
        new(Flat, Seq<Layer>(new Dense(100, Activation.Relu), new Dropout(0.2), new Dense(150, Activation.Relu),
            new Dense(150, Activation.Relu), new Dense(150, Activation.Relu), new Dense(classes, Activation.Softmax)), "dnn2");

    /// <summary>RNN1: Dense(250, linear) → LSTM(80) → softmax, on input (15, 1).</summary>
    public static Sequential Rnn1(int classes = Genres) =>
        new(Sequence, Seq<Layer>(new Dense(250), new Lstm(80), new Dense(classes, Activation.Softmax)), "rnn1");

    /// <summary>RNN2: LSTM(80, return_sequences) → LSTM(150) → softmax, on input (15, 1).</summary>
    public static Sequential Rnn2(int classes = Genres) =>
        new(Sequence, Seq<Layer>(new Lstm(80, ReturnSequences: true), new Lstm(150), new Dense(classes, Activation.Softmax)), "rnn2");

    /// <summary>RNN1 trained on the report's 66 merged genres.</summary>
    public static Sequential ReducedRnn1() => Rnn1(ReducedGenres) with { Name = "reduced-rnn1" };

    /// <summary>
    /// Beyond the report: a wider dense net, relu 512-512-256, each followed by Dropout(<paramref name="dropout"/>); trained with a
    /// cosine-decayed rate and early stopping on validation accuracy (see Genre.Eval's Experiments.Beyond).
    /// </summary>
    public static Sequential Wide(int classes = Genres, double dropout = 0.1) =>
        new(Flat, Seq<Layer>(new Dense(512, Activation.Relu), new Dropout(dropout), new Dense(512, Activation.Relu), new Dropout(dropout),
            new Dense(256, Activation.Relu), new Dropout(dropout), new Dense(classes, Activation.Softmax)), "wide");

    /// <summary>
    /// Beyond the report: relu 512-512-256, each followed by BatchNormalization and Dropout(0.3), on the 33 columns of the
    /// tabular pipeline (quantile-normal continuous features, one-hot key and time_signature; Genre.Data's Pipelines.Tabular).
    /// Trained with a cosine-decayed rate and early stopping on validation accuracy (see Genre.Eval's Experiments.Beyond).
    /// </summary>
    public static Sequential Tabular(int classes = Genres) =>
        new(Seq1(Pipelines.TabularWidth), Seq<Layer>(
            new Dense(512, Activation.Relu), new BatchNormalization(), new Dropout(0.3),
            new Dense(512, Activation.Relu), new BatchNormalization(), new Dropout(0.3),
            new Dense(256, Activation.Relu), new BatchNormalization(), new Dropout(0.3),
            new Dense(classes, Activation.Softmax)), "tabular");

    /// <summary>
    /// Beyond the report: a TabM-style parameter-efficient ensemble (Gorishniy, Kotelnikov, Babenko, "TabM: Advancing Tabular
    /// Deep Learning with Parameter-Efficient Ensembling", ICLR 2025, arXiv:2410.24210), the paper's TabM-mini: the tabular
    /// pipeline's 33 columns scaled per member (<see cref="EnsembleScale"/>, <paramref name="members"/> members), then
    /// <paramref name="blocks"/> relu Dense(<paramref name="width"/>) + Dropout(<paramref name="dropout"/>) blocks shared by
    /// every member, then one softmax head per member, averaged (<see cref="EnsembleHead"/>). The paper's defaults are 32
    /// members of 3 × 512; the defaults here are what fits 2 cores, chosen on validation (Genre.Eval's
    /// Experiments.Beyond).
    /// </summary>
    public static Sequential Tabm(int classes = Genres, int members = 8, int width = 256, int blocks = 3, double dropout = 0.1) =>
        new(Seq1(Pipelines.TabularWidth),
            Seq1<Layer>(new EnsembleScale(members))
                .Concat(Enumerable.Range(0, blocks)
                    .SelectMany(_ => new Layer[] { new Dense(width, Activation.Relu), new Dropout(dropout) }))
                .Add(new EnsembleHead(classes)).Strict(),
            "tabm");

    /// <summary>
    /// Beyond the report: a RealMLP-style net (Holzmüller, Grinsztajn, Steinwart, "Better by Default: Strong Pre-Tuned MLPs and
    /// Boosted Trees on Tabular Data", NeurIPS 2024, arXiv:2407.04491) over Genre.Data's <c>Pipelines.RealMlp</c> (robust scaling
    /// and smooth clipping): PBLD numerical embeddings (<see cref="PeriodicEmbedding"/>, 16 frequencies to 3 values per column,
    /// plus the column), then <paramref name="blocks"/> SELU Dense(<paramref name="width"/>) + Dropout(<paramref name="dropout"/>)
    /// blocks and a softmax head, RealMLP-TD's sizes. Its training (Genre.Eval's Experiments.Beyond) takes the paper's coslog₄
    /// schedule, Adam β₂ = 0.95, label smoothing 0.1, batch 256 and the best epoch on validation. Not taken: the NTK
    /// parametrization and per-parameter rates (one Keras-style rate instead), the front scaling layer, parametric activations,
    /// weight decay and the dropout schedule.
    /// </summary>
    public static Sequential RealMlp(int classes = Genres, int width = 256, int blocks = 3, double dropout = 0.15) =>
        new(Seq1(Pipelines.TabularWidth),
            Seq1<Layer>(new PeriodicEmbedding())
                .Concat(Enumerable.Range(0, blocks)
                    .SelectMany(_ => new Layer[] { new Dense(width, Activation.Selu), new Dropout(dropout) }))
                .Add(new Dense(classes, Activation.Softmax)).Strict(),
            "realmlp");

    /// <summary>The names <see cref="ByName"/> knows (the CLI's <c>--model</c> values), the report's in its order, then beyond
    /// it.</summary>
    public static readonly Seq<string> Names =
        Seq("softmax", "mlp", "rnn1", "rnn2", "dnn1", "dnn2", "reduced-rnn1", "wide", "tabular", "tabm", "realmlp");

    /// <summary>The model called <paramref name="name"/> (one of <see cref="Names"/>, 114 classes or 66 for reduced-rnn1); a usage error
    /// listing the known names otherwise.</summary>
    public static Fin<Sequential> ByName(string name) => name switch
    {
        "softmax" => Softmax(),
        "mlp" => Mlp(),
        "rnn1" => Rnn1(),
        "rnn2" => Rnn2(),
        "dnn1" => Dnn1(),
        "dnn2" => Dnn2(),
        "reduced-rnn1" => ReducedRnn1(),
        "wide" => Wide(),
        "tabular" => Tabular(),
        "tabm" => Tabm(),
        "realmlp" => RealMlp(),
        _ => GenreError.Usage($"unknown model '{name}' (known: {string.Join(", ", Names)})"),
    };

    /// <summary>The feature pipeline the model called <paramref name="name"/> reads: the tabular pipeline for <c>tabular</c> and
    /// <c>tabm</c>, RealMLP's for <c>realmlp</c>, the report's for every other (the one place a model's name decides its
    /// input).</summary>
    public static Stages.Pipeline FeaturesOf(string name) => name switch
    {
        "tabular" or "tabm" => Pipelines.Tabular,
        "realmlp" => Pipelines.RealMlp,
        _ => Pipelines.Report,
    };

    /// <summary>Whether the model's input is the (15, 1) sequence form.</summary>
    public static bool IsSequence(Sequential model) => model.InputShape.Count == 2;
}
