using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Eval.Tests.Mutation;

/// <summary>
/// <see cref="Classifier"/> without a real model (Stryker found it reached only through the CLI tests): a stand-in backend whose
/// "model" returns probabilities chosen by the test, so what the classifier does with them — inputs, top-k order and ties,
/// evaluation on mapped labels, its refusals — is checked on its own.
/// </summary>
public class ClassifierMutationTests
{
    static readonly string Tiny = Path.Combine(Inputs.RepoRoot, "tests", "golden", "data", "synthetic-tiny.csv");

    /// <summary>A backend whose every model returns <paramref name="probabilities"/> and records the input it was given.</summary>
    sealed class FixedBackend(Func<float[], int, float[]> probabilities) : IBackend
    {
        public List<(float[] X, int Rows)> Calls { get; } = [];
        float[] Run(float[] x, int rows) => probabilities(x, rows);
        public Fin<ICompiledModel> Compile(Sequential spec, int seed) => throw new NotSupportedException();
        public Fin<ICompiledModel> Load(Sequential spec, ModelWeights weights) => new Model(spec, this);

        sealed class Model(Sequential spec, FixedBackend owner) : ICompiledModel
        {
            public Sequential Spec => spec;
            public ModelWeights Weights() => new(Empty);
            public Fin<History> Fit(LabeledData train, Option<LabeledData> validation, TrainingConfig config,
                                    IProgress<TrainingEvent>? progress = null, CancellationToken cancel = default) =>
                throw new NotSupportedException();
            public Evaluation Evaluate(LabeledData data, int batchSize = 10_000) => throw new NotSupportedException();
            public float[] Predict(float[] x, int rows, int batchSize = 10_000)
            {
                owner.Calls.Add((x, rows));
                return owner.Run(x, rows);
            }
            public void Dispose() { }
        }
    }

    static (Classifier Classifier, Seq<Track> Tracks) Fixture(int members = 1)
    {
        var loaded = Ok(ReportPipeline.Load(Tiny, None));
        var p = Preprocessing.Of(loaded.Data);
        var model = new StoredModel(new Sequential(Seq1(15), Empty), new ModelWeights(Empty), Some(p));
        return (new Classifier(p, new StoredClassifier(toSeq(Enumerable.Repeat(model, members)))), loaded.Cleaned);
    }

    /// <summary>Rows × classes probabilities that make class (row mod classes) the most probable, with a tie for second place.</summary>
    static float[] Peaked(int rows, int classes)
    {
        var p = new float[rows * classes];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < classes; c++) p[r * classes + c] = 0.5f / (classes - 1);
            p[r * classes + r % classes] = 0.5f;
        }
        return p;
    }

    [Fact]
    public void Input_is_the_fitted_pipeline_as_float32_rows()
    {
        var (classifier, tracks) = Fixture();
        var x = Ok(classifier.Input(tracks.Take(3).ToSeq()));
        var expected = Ok(classifier.Preprocessing.Input(tracks.Take(3).ToSeq(), "tracks")).Values.Select(v => (float)v);
        Assert.Equal(expected, x);
        Assert.Equal(3 * 15, x.Length);
    }

    [Fact]
    public void Genres_are_the_preprocessing_classes_in_output_order()
    {
        var (classifier, _) = Fixture();
        Assert.Equal(classifier.Preprocessing.Genres.Classes, classifier.Genres);
        Assert.True(classifier.Genres.Count > 1);
    }

    [Fact]
    public void Predict_lists_the_top_k_genres_most_probable_first_and_ties_by_class_order()
    {
        var (classifier, tracks) = Fixture();
        var k = classifier.Genres.Count;
        var backend = new FixedBackend((_, rows) => Peaked(rows, k));
        var some = tracks.Take(4).ToSeq();
        var predictions = Ok(classifier.Predict(backend, some, topK: 3));
        Assert.Equal(some.Map(t => t.RowId), predictions.Map(p => p.RowId));
        for (var r = 0; r < 4; r++)
        {
            var top = predictions[r].Top;
            Assert.Equal(3, top.Count);
            Assert.Equal(classifier.Genres[r % k], predictions[r].Genre);
            Assert.Equal(0.5, top[0].Probability, 6);
            // the tied runners-up in the classifier's genre order
            var rest = Enumerable.Range(0, k).Where(c => c != r % k).Take(2).Select(c => classifier.Genres[c]);
            Assert.Equal(rest, top.Skip(1).Map(g => g.Genre));
        }
        Assert.Single(backend.Calls);
        Assert.Equal(4, backend.Calls[0].Rows);
        Assert.Equal(Ok(classifier.Input(some)), backend.Calls[0].X);
    }

    [Fact]
    public void Top_k_orders_by_probability_descending()
    {
        float[] p = [0.1f, 0.6f, 0.3f];
        var top = Classifier.TopK(p, [7], Seq("a", "b", "c"), 3)[0];
        Assert.Equal(7, Classifier.TopK(p, [7], Seq("a", "b", "c"), 1)[0].RowId);
        Assert.Equal(Seq("b", "c", "a"), top.Top.Map(g => g.Genre));
        Assert.Equal(0.6f, top.Top[0].Probability, 6);
        Assert.Single(Classifier.TopK(p, [7], Seq("a", "b", "c"), 1)[0].Top);
    }

    [Fact]
    public void Top_k_below_one_is_a_usage_error_before_any_model_runs()
    {
        var (classifier, tracks) = Fixture();
        var backend = new FixedBackend((_, _) => throw new InvalidOperationException("the model must not run"));
        Assert.Contains("top-k must be at least 1, got 0", Fail(classifier.Predict(backend, tracks, topK: 0)));
        var peaked = new FixedBackend((_, rows) => Peaked(rows, classifier.Genres.Count));
        Assert.Single(Ok(classifier.Predict(peaked, tracks.Take(1).ToSeq(), topK: 1))[0].Top);
    }

    [Fact]
    public void Evaluate_scores_the_probabilities_against_the_mapped_labels()
    {
        var (classifier, tracks) = Fixture();
        var k = classifier.Genres.Count;
        var some = tracks.Take(6).ToSeq();
        // probabilities that put 0.9 on each track's own class: accuracy 1, loss −log 0.9
        var labels = some.Map(t => (int)classifier.Preprocessing.Label(t)).ToArray();
        float[] Right(float[] _, int rows)
        {
            var p = new float[rows * k];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < k; c++) p[r * k + c] = 0.1f / (k - 1);
                p[r * k + labels[r]] = 0.9f;
            }
            return p;
        }
        var e = Ok(classifier.Evaluate(new FixedBackend(Right), some));
        Assert.Equal(1.0, e.Accuracy);
        Assert.Equal(6, e.Count);
        Assert.Equal(-Math.Log(0.9f), e.Loss, 6);
    }

    [Fact]
    public void Evaluate_refuses_a_track_whose_genre_the_model_does_not_predict()
    {
        var (classifier, tracks) = Fixture();
        var stranger = tracks.Head with { RowId = 4242, TrackGenre = "no-such-genre" };
        var backend = new FixedBackend((_, _) => throw new InvalidOperationException("the model must not run"));
        var message = Fail(classifier.Evaluate(backend, tracks.Take(2).ToSeq().Add(stranger), "new.csv"));
        Assert.Equal("new.csv: row 4242: genre 'no-such-genre' is not one the model predicts", message);
    }

    [Fact]
    public void A_classifier_of_prepared_data_is_its_preprocessing_and_one_model()
    {
        var loaded = Ok(ReportPipeline.Load(Tiny, None));
        var spec = new Sequential(Seq1(15), Empty);
        var c = Classifier.Of(loaded.Data, spec, new ModelWeights(Empty));
        Assert.Equal(Preprocessing.Of(loaded.Data).Pipeline, c.Preprocessing.Pipeline);
        Assert.False(c.Model.IsEnsemble);
        Assert.Equal(spec, c.Model.Spec);
        Assert.Equal(c.Preprocessing.Genres, c.Model.Preprocessing.Map(p => p.Genres).IfNone(() => throw new Exception("none")));
    }

    [Fact]
    public void One_model_is_saved_as_a_model_folder_and_a_folder_is_read_as_what_it_holds()
    {
        var (one, _) = Fixture();
        var dir = Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"));
        // whether this stand-in spec saves or not, it is never refused as an ensemble
        Assert.DoesNotContain("ensemble", one.Save(dir).Match(_ => "", e => e.Message));
        // a folder with ensemble.json is read as an ensemble (its damage named), any other as a model folder
        var ensemble = Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(ensemble);
        File.WriteAllText(Path.Combine(ensemble, "ensemble.json"), "{}");
        Assert.Contains("ensemble.json", Fail(Classifier.Load(ensemble)));
        var empty = Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        Assert.DoesNotContain("ensemble.json", Fail(Classifier.Load(empty)));
    }

    [Fact]
    public void An_ensemble_is_saved_as_an_ensemble_folder_and_a_folder_without_a_model_does_not_load()
    {
        var (ensemble, _) = Fixture(members: 2);
        var empty = Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"));
        Assert.True(Classifier.Load(empty).IsFail);
        var dir = Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"));
        Ok(ensemble.Save(dir));
        Assert.True(EnsembleFolder.Is(dir));
        // the stand-in members have no layers, so the folder is checked as written; a real ensemble's save → load is a classifier
        // law (ClassifierProperties)
        Assert.Equal(Seq("member-1", "member-2"), Ok(EnsembleFolder.Members(dir)));
        Assert.All(new[] { "member-1", "member-2" }, m => Assert.True(File.Exists(Path.Combine(dir, m, Preprocessing.FileName))));
    }
    /// <summary>Dense(15 → classes, softmax): the smallest model a folder can hold, its weights fixed.</summary>
    static (Sequential Spec, ModelWeights Weights) SmallModel(int classes)
    {
        var spec = new Sequential(Seq1(15), Seq1<Layer>(new Dense(classes, Activation.Softmax)));
        var kernel = Enumerable.Range(0, 15 * classes).Select(i => (i % 7 - 3) / 10f).ToArray();
        var bias = Enumerable.Range(0, classes).Select(i => (i % 3 - 1) / 10f).ToArray();
        return (spec, new ModelWeights(Seq1(new LayerWeights(0,
            Seq(new NamedTensor("kernel", Seq(15, classes), kernel), new NamedTensor("bias", Seq1(classes), bias))))));
    }

    static string NewFolder() => Path.Combine(Path.GetTempPath(), "genre-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_folder_with_ensemble_json_is_read_as_an_ensemble_not_refused_as_one_model()
    {
        var dir = NewFolder();
        var p = Preprocessing.Of(Ok(ReportPipeline.Load(Tiny, None)).Data);
        var (spec, weights) = SmallModel(p.Genres.Count);
        Ok(new Classifier(p, new StoredClassifier(Seq(new StoredModel(spec, weights, Some(p)), new StoredModel(spec, weights,
            Some(p))))).Save(dir));
        var loaded = Ok(Classifier.Load(dir));
        Assert.True(loaded.Model.IsEnsemble);
        Assert.Equal(2, loaded.Model.Members.Count);
    }

    [Fact]
    public void A_model_folder_without_preprocessing_is_refused_naming_the_file()
    {
        var dir = NewFolder();
        var (spec, weights) = SmallModel(3);
        Ok(ModelFolder.Save(dir, spec, weights, None));
        Assert.Equal($"{dir}: no preprocessing.json (the model's pipeline is unknown)", Fail(Classifier.Load(dir)));
    }
}
