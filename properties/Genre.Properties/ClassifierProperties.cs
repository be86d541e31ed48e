using Genre.Data.Stages;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend.Torch;
using Genre.Testing.Laws;

namespace Genre.Properties;

/// <summary>
/// Issue 24, point 2: genre's classifiers under the classifier laws of Genre.Testing (probabilities sum to 1, no dependence on
/// row order or on how tracks are split into calls, save → load predicts identically, ONNX agrees), on generated tracks. The
/// models are untrained (Keras' initializers from a seed): the laws hold for any weights.
/// </summary>
public class ClassifierProperties
{
    static readonly TorchBackend Backend = new();
    static readonly Seq<Track> Train = Cleaning.Clean(Synthetic.Generate(7, 4)).Tracks;
    static readonly string Scratch = Path.Combine(Path.GetTempPath(), "genre-classifier-laws-" + Guid.NewGuid().ToString("N"));

    static Classifier Untrained(Pipeline features, Func<int, int, Sequential> spec, int members = 1)
    {
        var data = ReportPipeline.Prepare(Train, None, features).Match(d => d, e => throw new InvalidOperationException(e.Message));
        var s = spec(data.Scaled.Train.X.Cols, data.Genres.Count);
        var p = Preprocessing.Of(data);
        var models = Enumerable.Range(0, members).Select(seed => Backend.Compile(s, 2 + seed)
            .Map(m => { using (m) return new StoredModel(s, m.Weights(), Some(p)); })
            .Match(x => x, e => throw new InvalidOperationException(e.Message)));
        return new Classifier(p, new StoredClassifier(models.ToSeq().Strict()));
    }

    static Sequential Sized(Sequential zoo, int inputs, int classes) => (zoo with { InputShape = Seq1(inputs) }).WithClasses(classes);

    static readonly Lazy<Classifier> Dnn1 = new(() => Untrained(Pipelines.Report, (i, k) => Sized(Zoo.Dnn1(), i, k)));
    static readonly Lazy<Classifier> Rnn1 = new(() => Untrained(Pipelines.Report, (_, k) => Zoo.Rnn1(k)));
    static readonly Lazy<Classifier> TabularPair = new(() => Untrained(Pipelines.Tabular, (_, k) => Zoo.Tabular(k), members: 2));

    static string Json(Pipeline p) => p.ToJson().ToJsonString();

    static Property Holds(Fin<Unit> law) => law.Match(_ => true.ToProperty(), e => false.Label(e.Message));

    [Property(MaxTest = 20)]
    public Property The_report_pipeline_and_a_dense_net_obey_the_classifier_laws() => ClassifierLaws.All(Backend, Dnn1.Value, Scratch);

    [Property(MaxTest = 8)]
    public Property The_report_pipeline_and_an_lstm_obey_the_classifier_laws() => ClassifierLaws.All(Backend, Rnn1.Value, Scratch);

    [Property(MaxTest = 8)]
    public Property A_tabular_ensemble_obeys_the_classifier_laws() => ClassifierLaws.All(Backend, TabularPair.Value, Scratch);

    [Property(MaxTest = 10)]
    public Property The_onnx_export_of_a_dense_net_agrees_on_generated_tracks() =>
        Prop.ForAll(ClassifierLaws.Tracks(), t => Holds(ClassifierLaws.OnnxAgrees(Backend, Dnn1.Value, t.Tracks)));

    [Property(MaxTest = 6)]
    public Property The_onnx_export_of_the_tabular_ensemble_agrees_on_generated_tracks() =>
        Prop.ForAll(ClassifierLaws.Tracks(), t => Holds(ClassifierLaws.OnnxAgrees(Backend, TabularPair.Value, t.Tracks)));

    [Property(MaxTest = 8)]
    public Property A_generated_pipeline_and_spec_obey_the_classifier_laws_and_export_to_onnx() =>
        // the spec is generated for 1 input and 2 classes, then sized to the pipeline's width and the genres
        Prop.ForAll(GenreArb.Pipelines(), ExperimentGen.Spec(1, 2).ToArbitrary(), ClassifierLaws.Tracks(8), (features, template, t) =>
        {
            var c = Untrained(features, (i, k) => Sized(template, i, k));
            // A log1p feeding a quantile-normal is not checked against ONNX: ONNX Runtime's log and .NET's differ by an ulp, and
            // at a tied quantile (log1p of an integer column ties often) the quantile transform jumps, as scikit-learn's does, so
            // an ulp can move a feature by a few hundredths. Known limitation, stated in the README's ONNX paragraph.
            var logThenQuantiles = Json(features).Contains("\"log1p\"") && Json(features).Contains("\"quantile-normal\"");
            return Holds(from _1 in ClassifierLaws.ProbabilitiesSumToOne(Backend, c, t.Tracks)
                         from _2 in ClassifierLaws.RowOrderDoesNotMatter(Backend, c, t.Tracks, t.Permutation)
                         from _3 in ClassifierLaws.BatchingDoesNotMatter(Backend, c, t.Tracks, t.Cut)
                         from _4 in logThenQuantiles ? FinSucc(unit) : ClassifierLaws.OnnxAgrees(Backend, c, t.Tracks)
                         select unit).Classify(logThenQuantiles, "log1p before quantile-normal: ONNX not compared");
        });

    [Property(MaxTest = 30)]
    public Property Top_k_lists_k_distinct_genres_most_probable_first() =>
        Prop.ForAll(ClassifierLaws.Tracks(), Gen.Choose(1, 6).ToArbitrary(), (t, k) =>
            (from predictions in Dnn1.Value.Predict(Backend, t.Tracks, k)
             from p in Dnn1.Value.Probabilities(Backend, t.Tracks)
             let classes = Dnn1.Value.Genres.Count
             select predictions.Count == t.Tracks.Count
                 && predictions.ForAll(x => x.Top.Count == k && x.Top.Map(g => g.Genre).Distinct().Count() == k)
                 && predictions.ForAll(x => x.Top.Zip(x.Top.Skip(1)).ForAll(pair => pair.Item1.Probability >= pair.Item2.Probability))
                 && predictions.Map((i, x) => (i, x)).ForAll(ix => Math.Abs(ix.x.Top.Head.Probability - Enumerable.Range(0, classes)
                        .Max(j => p[ix.i * classes + j])) == 0))
            .Match(ok => ok.Label("top-k"), e => false.Label(e.Message)));
}
