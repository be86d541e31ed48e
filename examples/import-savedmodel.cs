#:project ../src/Genre.Eval/Genre.Eval.csproj
#:package libtorch-cpu-linux-x64
// Import a TF2 SavedModel (the authors' format: saved_model.pb, variables/, keras_metadata.pb) without TensorFlow and score it
// on the report's test split. A 66-class model is the reduced one: the report's genre merges are applied to the data first.
// dotnet run examples/import-savedmodel.cs SAVED_MODEL_DIR [DATA.csv]   (default data: $GENRE_DATA)
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Backend.Torch;
using Genre.Models.Import;
using static LanguageExt.Prelude;

if (args.Length < 1) { Console.Error.WriteLine("usage: import-savedmodel.cs SAVED_MODEL_DIR [DATA.csv]"); return 2; }
TorchRuntime.Configure();
var path = args.Length > 1 ? args[1] : Environment.GetEnvironmentVariable("GENRE_DATA") ?? "data/dataset.csv";
var run =
    from saved in SavedModel.Load(args[0])
    let classes = saved.Spec.Layers.Last is Dense last ? last.Units : 0
    from loaded in ReportPipeline.Load(path, classes == Zoo.ReducedGenres ? Some(GenreMapping.ReportMerges) : None)
    let test = LabeledData.From(loaded.Data.Scaled.Test)
    from _ in classes == test.Classes
        ? FinSucc(unit)
        : FinFail<LanguageExt.Unit>(GenreError.Model($"{args[0]}: the model predicts {classes} genres, the data has {test.Classes}"))
    from score in new TorchBackend().Load(saved.Spec, saved.Weights).Use(model => FinSucc(model.Evaluate(test)))
    select (saved.Spec, Score: score);
return run.Match(
    r =>
    {
        Console.WriteLine($"{r.Spec.Name}: {r.Spec.Layers.Count} layers, " +
            $"test accuracy {r.Score.Accuracy:F4}, loss {r.Score.Loss:F4} on {r.Score.Count:N0} rows");
        return 0;
    },
    e => { Console.Error.WriteLine($"error: {e.Message}"); return 1; });
