#:project ../src/Genre.Eval/Genre.Eval.csproj
#:package libtorch-cpu-linux-x64
using Genre.Data; using Genre.Data.Stages; using Genre.Eval;
using Genre.Models; using Genre.Models.Backend; using Genre.Models.Backend.Torch;
TorchRuntime.Configure(); // the host's one call: libtorch's thread count (one per core) and native tuning
var path = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("GENRE_DATA") ?? "data/dataset.csv";
var features = Pipeline.Of(new SelectColumns(Track.FeatureColumns), new LabelEncode("explicit"), new MinMax()); // = Pipelines.Report
var run = ReportPipeline.Load(path, mapping: default, features).Map(l => l.Data).Bind(d => // clean, split, fit on train
    new TorchBackend().Compile(Zoo.Dnn1(d.Genres.Count), seed: 1).Use(model => // disposed on every path
        from history in model.Fit(LabeledData.From(d.Scaled.Train), LabeledData.From(d.Scaled.Val),
            new TrainingConfig(Epochs: 5, BatchSize: 512, Seed: 1, new AdamSettings()))
        from saved in Classifier.Of(d, model.Spec, model.Weights()).Save("out/dnn1") // model.json, weights, the fitted pipeline
        select model.Evaluate(LabeledData.From(d.Scaled.Test))));
return run.Match(t => { Console.WriteLine($"DNN1: test accuracy {t.Accuracy:F4} on {t.Count:N0} rows; saved in out/dnn1"); return 0; },
    e => { Console.Error.WriteLine($"error: {e.Message}"); return 1; });
