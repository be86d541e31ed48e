#:project ../src/Genre.Eval/Genre.Eval.csproj
#:package libtorch-cpu-linux-x64
using Genre.Data;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Backend.Torch;
using static LanguageExt.Prelude;
TorchRuntime.Configure(); // the host's one call: libtorch's thread count (one per core) and native tuning
var path = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("GENRE_DATA") ?? "data/dataset.csv";
var run = from loaded in ReportPipeline.Load(path, mapping: None) // load, clean, encode, split 64/16/20, MinMax-scale
          let d = loaded.Data
          from test in new TorchBackend().Compile(Zoo.Dnn1(d.Genres.Count), seed: 1).Use(model => // disposed on every path
              from history in model.Fit(LabeledData.From(d.Scaled.Train), Some(LabeledData.From(d.Scaled.Val)), new TrainingConfig(Epochs: 5, BatchSize: 512, Seed: 1, new AdamSettings()))
              from saved in ModelFolder.Save("out/dnn1", model.Spec, model.Weights(), Some(Preprocessing.Of(d)))
              select model.Evaluate(LabeledData.From(d.Scaled.Test)))
          select test;
return run.Match(t => { Console.WriteLine($"DNN1: test accuracy {t.Accuracy:F4} on {t.Count:N0} rows; saved in out/dnn1"); return 0; }, e => { Console.Error.WriteLine($"error: {e.Message}"); return 1; });
