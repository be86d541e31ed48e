#:project ../src/Genre.Eval/Genre.Eval.csproj
#:package libtorch-cpu-linux-x64
// A custom genre mapping and merge-aware evaluation: train DNN1 on every genre, then score it twice on the test split —
// exactly, and counting a prediction right when it lands in the right merged genre (rock's sub-genres as "rock").
// dotnet run examples/genre-mapping.cs [DATA.csv]   (default: $GENRE_DATA)
using Genre.Data;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Backend.Torch;
using static LanguageExt.Prelude;

TorchRuntime.Configure();
var path = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("GENRE_DATA") ?? "data/dataset.csv";
var rock = new[] { "alt-rock", "hard-rock", "punk-rock", "psych-rock", "j-rock", "rock-n-roll", "rockabilly" }.Select(g => (g, "rock"));
var run =
    from mapping in ReportPipeline.ToFin(GenreMapping.Create(rock, "rock merges")) // a Validation: every bad pair is reported
    from loaded in ReportPipeline.Load(path, mapping: None)
    let d = loaded.Data
    from _ in ReportPipeline.ToFin(mapping.ValidateAgainst(d.Genres.Classes, "rock merges")) // every genre named exists in the file
    let test = LabeledData.From(d.Scaled.Test)
    from predicted in new TorchBackend().Compile(Zoo.Dnn1(d.Genres.Count), seed: 3).Use(model =>
        from history in model.Fit(LabeledData.From(d.Scaled.Train), None,
            new TrainingConfig(Epochs: 5, BatchSize: 512, Seed: 3, new AdamSettings()))
        select Metrics.Argmax(model.Predict(test.X, test.Rows), test.Classes))
    select (Exact: Metrics.Accuracy(test.Y, predicted), Merged: MergeAware.Accuracy(test.Y, predicted, d.Genres.Classes, mapping),
            Classes: MergeAware.ClassMap(d.Genres.Classes, mapping).Merged.Count);
return run.Match(
    r => { Console.WriteLine($"test accuracy {r.Exact:F4}; with rock's sub-genres merged ({r.Classes} genres): {r.Merged:F4}"); return 0; },
    e => { Console.Error.WriteLine($"error: {e.Message}"); return 1; });
