#:project ../src/Genre.Eval/Genre.Eval.csproj
#:package libtorch-cpu-linux-x64
// A feature pipeline composed from genre's stages, a stage of our own, a net trained on it, saved and read back.
// dotnet run examples/custom-pipeline.cs [DATA.csv] [OUT_DIR]   (default data: $GENRE_DATA; OUT_DIR: out)
// OUT_DIR/custom is a model folder `genre predict --model-dir` reads; OUT_DIR/with-own-stage holds our own stage, which this
// program reads back by registering its kind, and which the CLI (that does not know it) refuses, naming the kind.
using System.Text.Json.Nodes;
using Genre.Data;
using Genre.Data.Stages;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Backend.Torch;
using LanguageExt;
using static LanguageExt.Prelude;

TorchRuntime.Configure();
var path = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("GENRE_DATA") ?? "data/dataset.csv";
var outDir = args.Length > 1 ? args[1] : "out";
var backend = new TorchBackend();

// log1p on the skewed columns, popularity dropped, key one-hot on its raw values, the rest min-max scaled
var skewed = Seq("duration_ms", "speechiness", "instrumentalness", "liveness");
var rest = Track.FeatureColumns.Filter(c => c != "popularity" && c != "key" && !skewed.Contains(c)).Strict();
var features = Pipeline.Of(
    new SelectColumns(Track.FeatureColumns),
    new DropColumns(Seq1("popularity")),
    new LabelEncode("explicit"),
    new ColumnTransformer(Seq(
        new ColumnGroup(skewed, Pipeline.Of(new Log1p(), new MinMax())),
        new ColumnGroup(rest, new MinMax()),
        new ColumnGroup(Seq1("key"), OneHot.Of("key")))));
// the same, then our own stage (see the bottom of this file) on every column
var withOwn = features.Then(new Squash(3));
var registry = StageRegistry.BuiltIn.With(Squash.Definition);

Fin<(Evaluation Test, Seq<GenrePrediction> First)> TrainAndSave(Pipeline pipeline, string dir) =>
    from loaded in ReportPipeline.Load(path, mapping: None, pipeline)
    let d = loaded.Data
    // the tabular net of the models beyond the report, on this pipeline's width
    let spec = Zoo.Tabular(d.Genres.Count) with { InputShape = Seq1(d.Scaled.Train.X.Cols), Name = "custom" }
    from test in backend.Compile(spec, seed: 1).Use(model =>
        from history in model.Fit(LabeledData.From(d.Scaled.Train), Some(LabeledData.From(d.Scaled.Val)),
            new TrainingConfig(Epochs: 3, BatchSize: 256, Seed: 1, new AdamSettings(LearningRate: 3e-3)))
        from saved in Classifier.Of(d, spec, model.Weights()).Save(dir)
        select model.Evaluate(LabeledData.From(d.Scaled.Test)))
    from classifier in Classifier.Load(dir, registry) // read back as any program would
    from first in classifier.Predict(backend, loaded.Cleaned.Take(3).ToSeq(), topK: 2)
    select (test, first);

var run = from custom in TrainAndSave(features, Path.Combine(outDir, "custom"))
          from own in TrainAndSave(withOwn, Path.Combine(outDir, "with-own-stage"))
          select (custom, own);
return run.Match(r =>
{
    Console.WriteLine($"pipeline: {string.Join(" → ", features.Stages.Map(s => s.Kind))}");
    Console.WriteLine($"custom: test accuracy {r.custom.Test.Accuracy:F4} on {r.custom.Test.Count:N0} rows");
    Console.WriteLine($"with its own stage: test accuracy {r.own.Test.Accuracy:F4}");
    foreach (var p in r.custom.First)
        Console.WriteLine($"row {p.RowId}: {string.Join(", ", p.Top.Map(g => $"{g.Genre} {g.Probability:F3}"))}");
    return 0;
}, e => { Console.Error.WriteLine($"error: {e.Message}"); return 1; });

/// <summary>A user's stage: every column squashed into (−Scale, Scale) by Scale·tanh(x / Scale), which keeps small values and
/// bounds outliers. It learns the columns it was fitted on; its kind is "example-squash", readable wherever
/// <see cref="Definition"/> is registered.</summary>
sealed record Squash(double Scale) : Stage
{
    public override string Kind => "example-squash";
    public override JsonObject Config() => new() { ["scale"] = Scale };

    public override Fin<FittedStage> Fit(Frame train) =>
        train.Columns.Map(c => train.Numeric(c.Name, Where)).Sequence()
            .Map(cs => (FittedStage)new Fitted(this, cs.Map(c => c.Name).Strict()));

    public sealed record Fitted(Squash Stage, Seq<string> Columns) : FittedStage
    {
        public override Stage Declared => Stage;
        public override JsonObject State() => new() { ["columns"] = StageJson.ToJson(Columns) };
        public override Fin<Seq<string>> OutputNames(Seq<string> input) => input;

        public override Fin<Frame> Transform(Frame input)
        {
            double Squashed(double v) => Stage.Scale * Math.Tanh(v / Stage.Scale);
            return input.Columns.Map(c => input.Numeric(c.Name, Stage.Where)
                    .Map(n => (FrameColumn)(n with { Values = n.Values.Select(Squashed).ToArray() })))
                .Sequence().Map(cs => input with { Columns = cs.Strict() });
        }
    }

    public static readonly StageKind Definition = new("example-squash",
        (config, at, _) => StageJson.Number(config, "scale", at).Map(v => (Stage)new Squash(v)),
        (config, state, at, _) =>
            from scale in StageJson.Number(config, "scale", at)
            from columns in StageJson.Texts(state, "columns", at)
            select (FittedStage)new Fitted(new Squash(scale), columns));
}
