#:project ../src/Genre.Eval/Genre.Eval.csproj
#:package libtorch-cpu-linux-x64
// A new Sequential model (not in the report) trained with checkpoints, saved as a model folder, loaded back and used to
// predict the genres of tracks from a Kaggle-format file (with or without its track_genre column).
// dotnet run examples/sequential-checkpoints.cs [DATA.csv] [OUT_DIR]   (default data: $GENRE_DATA; OUT_DIR: out/small-lstm)
using Genre.Data;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Backend.Torch;
using LanguageExt;
using static LanguageExt.Prelude;

TorchRuntime.Configure();
var path = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("GENRE_DATA") ?? "data/dataset.csv";
var dir = args.Length > 1 ? args[1] : "out/small-lstm";
var backend = new TorchBackend();
var run =
    from loaded in ReportPipeline.Load(path, mapping: None)
    let d = loaded.Data
    // the 15 features as a sequence of 15 steps of one value, as the report's RNNs read them
    let spec = new Sequential(Seq(15, 1),
        Seq<Layer>(new Lstm(16), new Dropout(0.1), new Dense(32, Activation.Relu), new Dense(d.Genres.Count, Activation.Softmax)),
        "small-lstm")
    let config = new TrainingConfig(Epochs: 4, BatchSize: 256, Seed: 7, new AdamSettings(LearningRate: 3e-3),
        Checkpoints: Some(new CheckpointPolicy(Path.Combine(dir, "checkpoints"), EveryEpochs: 2)), Resume: true) // a rerun resumes
    from history in backend.Compile(spec, config.Seed).Use(model =>
        from h in model.Fit(LabeledData.From(d.Scaled.Train), Some(LabeledData.From(d.Scaled.Val)), config)
        // model.json, weights.safetensors, preprocessing.json
        from _ in ModelFolder.Save(dir, spec, model.Weights(), Some(Preprocessing.Of(d)))
        select h)
    from stored in ModelFolder.Load(dir)
    from preprocessing in stored.Preprocessing.ToFin(GenreError.Model($"{dir}: no preprocessing.json"))
    from tracks in ReportPipeline.ToFin(TrackCsv.LoadNew(path))
    let some = new TrackFile(tracks.Tracks.Take(5).ToSeq(), tracks.HasGenre)
    from predictions in backend.Load(stored.Spec, stored.Weights).Use(model => Prediction.Run(model, preprocessing, some, path))
    select (history, predictions);
return run.Match(
    r =>
    {
        foreach (var e in r.history.Epochs) Console.WriteLine($"epoch {e.Epoch}: loss {e.Loss:F4}, val_accuracy {e.ValAccuracy:F4}");
        for (var i = 0; i < r.predictions.Rows; i++)
        {
            var top = Prediction.TopK(r.predictions.Probabilities.AsSpan(i * r.predictions.Classes, r.predictions.Classes), 3);
            var p = r.predictions;
            Console.WriteLine($"row {p.RowIds[i]}: " +
                string.Join(", ", top.Select(k => $"{p.Genres[k]} {p.Probabilities[i * p.Classes + k]:F3}")));
        }
        return 0;
    },
    e => { Console.Error.WriteLine($"error: {e.Message}"); return 1; });
