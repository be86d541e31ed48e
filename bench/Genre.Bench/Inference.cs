using System.Diagnostics;
using Genre.Data;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend;
using Genre.Models.Backend.Torch;
using Genre.Models.Import;
using Genre.Models.Onnx;
using LanguageExt;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static LanguageExt.Prelude;

namespace Genre.Bench;

/// <summary>
/// Inference throughput of the five authors' models on the test split (22,710 rows of the Kaggle file, or of the default
/// synthetic file), in one run and with the same threads: genre's forward pass as <c>genre predict</c> runs it, against ONNX
/// Runtime running the model <c>genre export</c> writes; plus <c>genre predict</c> end to end (CSV in, top-3 CSV out) in process.
/// Each figure is the best of several timed runs after a warm-up.
/// </summary>
public static class Inference
{
    const int Repeats = 15;

    public static void Run(int threads, string authorsDir, string dataPath, string outFile)
    {
        var start = LoadAverage();
        TorchRuntime.Configure(new TorchOptions(threads));
        var backend = new TorchBackend();
        var source = DataSource.Of(dataPath).Match(s => s, e => throw new Exception(e.Message));
        var lines = new List<string>
        {
            $"# Inference: genre vs ONNX Runtime ({DateTime.UtcNow:yyyy-MM-dd}, {threads} threads, same run)", "",
            $"Data: {source.Describe()}. Test split of the report pipeline; rows/s = rows ÷ best of {Repeats} timed runs after a warm-up " +
                $"(genre and ONNX Runtime taking turns).",
            $"genre: TorchSharp 0.107 / libtorch 2.10 CPU, `ICompiledModel.Predict` as `genre predict` calls it. ONNX Runtime " +
                $"{OrtEnv.Instance().GetVersionString()} " +
            $"(NuGet Microsoft.ML.OnnxRuntime, CPU provider, intra-op threads {threads}, sequential execution, all graph optimizations) " +
                $"on the graph `genre export` writes.",
            "End to end: `genre predict`'s steps in process — read the test rows' CSV, preprocess, forward, write top-3 CSV (no process " +
                "start).", "",
            "| model | rows | genre forward rows/s | ONNX Runtime rows/s | genre ÷ ORT | genre predict end to end rows/s |",
            "|---|---|---|---|---|---|",
        };
        Console.WriteLine(string.Join("\n", lines));
        foreach (var name in new[] { "RNN1net", "RNN2net", "DNN1net", "DNN2net", "reducedRNNnet" })
        {
            var dir = Path.Combine(authorsDir, name);
            if (!Directory.Exists(dir)) continue;
            var loaded = ReportPipeline.Load(dataPath, name.StartsWith("reduced") ? Some(GenreMapping.ReportMerges) : None)
                .Match(x => x, e => throw new Exception(e.Message));
            var saved = SavedModel.Load(dir).Match(x => x, e => throw new Exception(e.Message));
            var test = LabeledData.From(loaded.Data.Scaled.Test);
            using var model = backend.Load(saved.Spec, saved.Weights).Match(x => x, e => throw new Exception(e.Message));
            var onnx = OnnxExport.ToBytes(saved.Spec, saved.Weights, None).Match(x => x, e => throw new Exception(e.Message));
            var (genre, ort) = Alternating(() => model.Predict(test.X, test.Rows), OrtRunner(onnx, test.X, test.Rows, threads));
            var endToEnd = EndToEnd(model, Preprocessing.Of(loaded.Data), loaded.Cleaned, loaded.Data.Scaled.Test.RowIds);
            lines.Add($"| {name} | {test.Rows:N0} | {test.Rows / genre:N0} | {test.Rows / ort:N0} | {ort / genre:F2}× | " +
                $"{test.Rows / endToEnd:N0} |");
            Console.WriteLine(lines[^1]);
        }
        lines.Add("");
        lines.Add($"Machine load (1-minute load average, {Environment.ProcessorCount} cores) at the start: {start}; at the end: " +
            $"{LoadAverage()} — other work on the machine slows both alike, since they take turns.");
        lines.Add("");
        lines.Add("The exported graph is the Keras model as it is (RNN1's Dense(250) is a per-time-step MatMul before the ONNX LSTM); " +
            "genre folds that");
        lines.Add("linear layer into the LSTM's input projection (exact algebra), which ONNX Runtime's graph optimizations do not.");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        File.WriteAllLines(outFile, lines);
    }

    /// <summary>
    /// Seconds of the fastest of <see cref="Repeats"/> runs of each, after one untimed run of each, the two taking turns so that
    /// whatever else the machine does falls on both alike.
    /// </summary>
    static (double A, double B) Alternating(Action a, Action b)
    {
        a();
        b();
        double bestA = double.MaxValue, bestB = double.MaxValue;
        for (var i = 0; i < Repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            a();
            bestA = Math.Min(bestA, sw.Elapsed.TotalSeconds);
            sw.Restart();
            b();
            bestB = Math.Min(bestB, sw.Elapsed.TotalSeconds);
        }
        return (bestA, bestB);
    }

    /// <summary>Seconds of the fastest of <see cref="Repeats"/> runs, after one untimed run.</summary>
    static double Best(Action run)
    {
        run();
        var best = double.MaxValue;
        for (var i = 0; i < Repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    static Action OrtRunner(byte[] model, float[] x, int rows, int threads)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        var session = new InferenceSession(model, options);
        var input = new[] { NamedOnnxValue.CreateFromTensor(OnnxExport.InputName, new DenseTensor<float>(x, [rows, 15])) };
        return () =>
        {
            using var results = session.Run(input);
            _ = results.First().AsTensor<float>();
        };
    }

    /// <summary>genre predict's steps on the test rows: CSV text → tracks → preprocess → forward → top-3 CSV text.</summary>
    static double EndToEnd(ICompiledModel model, Preprocessing p, Seq<Track> cleaned, long[] testIds)
    {
        var byId = cleaned.ToDictionary(t => t.RowId);
        var csv = TrackCsv.Format(testIds.Select(id => byId[id]));
        return Best(() =>
        {
            var tracks = TrackCsv.ParseNew(csv, "test.csv").Match(t => t, e => throw new Exception(e.Head.Message));
            var result = Prediction.Run(model, p, tracks, "test.csv").Match(r => r, e => throw new Exception(e.Message));
            using var w = new StringWriter();
            Prediction.WriteCsv(result, 3, w);
        });
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    /// <summary>CI's smoke: export one model and run it in ONNX Runtime on a few rows.</summary>
    public static void Smoke()
    {
        TorchRuntime.Configure(new TorchOptions(1));
        var backend = new TorchBackend();
        using var m = backend.Compile(Zoo.Rnn1(), 2).Match(x => x, e => throw new Exception(e.Message));
        var onnx = OnnxExport.ToBytes(m.Spec, m.Weights(), None).Match(x => x, e => throw new Exception(e.Message));
        OrtRunner(onnx, new float[64 * 15], 64, 1)();
        Console.WriteLine($"smoke onnx rnn1: {onnx.Length:N0} bytes, ran 64 rows in ONNX Runtime");
    }
}
