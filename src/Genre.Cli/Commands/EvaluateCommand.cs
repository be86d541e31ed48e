using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Backend.Torch;
using Genre.Models.Import;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre evaluate --saved-model DIR [--reduced] [--data PATH] [--json] [--predictions OUT.csv] [--threads T]</c>:
/// scores a TF2 SavedModel (or a model saved by <c>genre train</c>, or an ensemble folder written by <c>genre reproduce</c>) on the
/// report's test split.
/// </summary>
public static class EvaluateCommand
{
    public static readonly Verb Verb = new(
        "evaluate", "score a TF2 SavedModel or a trained model on the report's test split", Seq(
            Opt.Valued("saved-model", "DIR", "a TF2 SavedModel in the authors' format"),
            Opt.Valued("model-dir", "DIR", "a model folder written by genre, or an ensemble folder"),
            SharedOptions.Reduced, SharedOptions.Data,
            Opt.Flag("json", "print the scores as JSON"),
            Opt.Valued("predictions", "OUT.csv", "write every test row's probabilities"),
            SharedOptions.Threads, SharedOptions.Mapping), Run);

    static Fin<int> Run(Args a) =>
        from mapping in a.Mapping()
        from stored in LoadModel(a)
        let model = stored.Classifier
        from threads in a.Int("threads", 0)
        from source in Sources.Resolve(a)
            // the pipeline the model was trained with, fitted again on this file's training split (a SavedModel's is the report's)
        from loaded in ReportPipeline.Load(source.Path, a.Reduction() || stored.Reduction, stored.Features)
        let test = LabeledData.From(loaded.Data.Scaled.Test)
        let origin = a.Get("saved-model").IfNone(() => a.Get("model-dir", "model"))
        from _f in SpecValidation.AcceptsFeatures(model.Spec, loaded.Data.Scaled.Test.X.Cols, origin)
        from _ in CheckClasses(model.Spec, loaded.Data.Genres, origin)
        from _m in mapping.Match(m => ReportPipeline.ToFin(m.ValidateAgainst(loaded.Data.Genres.Classes, a.Get("mapping", "mapping")))
            .Map(_ => unit), () => FinSucc(unit))
        from result in Score(Runtime.Backend(threads), model, test)
        from written in a.Get("predictions").Match(
            path => AtomicFile.WriteAllText(path, PredictionsCsv(loaded.Data.Scaled.Test, loaded.Data.Genres, result.Probabilities)),
            () => FinSucc(unit))
        let merged = mapping.Map(m => Eval.MergeAware.Accuracy(test.Y, Eval.Metrics.Argmax(result.Probabilities, test.Classes),
            loaded.Data.Genres.Classes, m))
        select Print(a.Flag("json"), result.Evaluation, model.Describe(), merged);

    /// <summary>A model (or ensemble) to score and the label reduction it was trained with, when its folder records one.</summary>
    sealed record Loaded(StoredClassifier Classifier, Option<GenreMapping> Reduction, Genre.Data.Stages.Pipeline Features);

    /// <summary>
    /// A SavedModel says nothing of its labels (<c>--reduced</c> does); a model folder's preprocessing.json does, and an ensemble
    /// folder's members' (<see cref="EnsembleFolder"/>).
    /// </summary>
    static Fin<Loaded> LoadModel(Args a) =>
        a.Get("saved-model").Match(
            dir => SavedModel.Load(dir).Map(m => new Loaded(StoredClassifier.Of(new StoredModel(m.Spec, m.Weights, None)), None,
                Pipelines.Report)),
            () => a.Get("model-dir").Match(
                dir => (EnsembleFolder.Is(dir) ? EnsembleFolder.Load(dir) : ModelFolder.Load(dir).Map(StoredClassifier.Of))
                    .Map(c => new Loaded(c, c.Preprocessing.Bind(p => p.Mapping.Merges.IsEmpty ? None : Some(p.Mapping)),
                                         c.Preprocessing.Map(p => p.Pipeline.Stage).IfNone(Pipelines.Report))),
                () => FinFail<Loaded>(GenreError.Usage("evaluate: --saved-model DIR or --model-dir DIR is required"))));

    static Fin<Unit> CheckClasses(Sequential spec, LabelEncoding genres, string origin) =>
        spec.PredictsClasses(genres.Count, origin, " (use --reduced for the 66-genre model)");

    sealed record Scored(Evaluation Evaluation, float[] Probabilities);

    /// <summary>One model's loss is Keras' (from its logits); an ensemble's is the cross-entropy of its mean probabilities, clipped
    /// at 1e-7 as Keras clips probabilities.</summary>
    static Fin<Scored> Score(IBackend backend, StoredClassifier c, LabeledData test) =>
        c.IsEnsemble
            ? Classifiers.Predict(backend, c, test.X, test.Rows)
                .Map(p => new Scored(Eval.Metrics.Score(test.Y, p, test.Classes).Evaluation, p))
            : backend.Load(c.Spec, c.Members.Head.Weights).Use(m => FinSucc(new Scored(m.Evaluate(test), m.Predict(test.X, test.Rows))));

    static string PredictionsCsv(Dataset test, LabelEncoding genres, float[] probs)
    {
        var classes = genres.Count;
        var predicted = Eval.Metrics.Argmax(probs, classes);
        var sb = new StringBuilder("row_id,predicted,probability\n");
        for (var i = 0; i < test.Count; i++)
            sb.Append(test.RowIds[i]).Append(',').Append(genres.Decode(predicted[i])).Append(',')
              .Append(probs[i * classes + predicted[i]].ToString("G9", CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    static int Print(bool json, Evaluation e, string name, Option<double> merged)
    {
        var o = new JsonObject { ["test_accuracy"] = Json.Finite(e.Accuracy), ["test_loss"] = Json.Finite(e.Loss), ["n"] = e.Count };
        foreach (var m in merged) o["merged_accuracy"] = Json.Finite(m);
        Console.WriteLine(json
            ? o.ToJsonString()
            : $"{name}: test accuracy {e.Accuracy:F8}, test loss {e.Loss:F6} on {e.Count:N0} test rows"
              + merged.Match(m => $"; under the genre mapping: {m:F8}", () => ""));
        return 0;
    }
}
