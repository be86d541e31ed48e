using Genre.Data;
using Genre.Eval;
using Genre.Models;
using Genre.Models.Backend;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre predict --model-dir DIR (a model or an ensemble folder) | --saved-model DIR [--reduced] [--fit-data PATH] --data FILE.csv
/// --out OUT.csv [--top-k K] [--threads T]</c>:
/// classifies every row of a Kaggle-format file, with or without the track_genre column, and writes <c>row_id</c> then the
/// top-k genres with their probabilities. With genres in the file it prints the accuracy.
/// </summary>
public static class PredictCommand
{
    public static readonly Verb Verb = new(
        "predict", "classify the tracks of a Kaggle-format CSV, with or without track_genre", ModelSources.Options + Seq(
            Opt.Valued("data", "FILE.csv", "the tracks to classify"),
            Opt.Valued("out", "OUT.csv", "row_id, then the top K genres with their probabilities"),
            Opt.Valued("top-k", "K", "genres per track (default 3)"),
            SharedOptions.Threads), Run);

    static Fin<int> Run(Args a) =>
        from file in a.Get("data").ToFin(GenreError.Usage("predict: --data FILE.csv (the tracks to classify) is required"))
        from output in a.Get("out").ToFin(GenreError.Usage("predict: --out OUT.csv is required"))
        from k in a.Int("top-k", 3)
        from threads in a.Int("threads", 0)
        from _k in k >= 1 ? FinSucc(unit) : FinFail<Unit>(GenreError.Usage("predict: --top-k K needs K ≥ 1"))
        from model in ModelSources.Classifier(a, "predict")
        from tracks in ReportPipeline.ToFin(TrackCsv.LoadNew(file))
        let backend = Runtime.Backend(threads)
        from result in Prediction.Run(backend, model, tracks, file)
        from _w in AtomicFile.Write(output, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            Prediction.WriteCsv(result, k, w);
        })
        select Report(result, model.Model.Describe(), output, k);

    static int Report(TrackPredictions r, string name, string output, int k)
    {
        foreach (var warning in Prediction.RangeWarning(r)) Console.Error.WriteLine(warning);
        Console.WriteLine($"{name}: top {Math.Min(k, r.Classes)} of {r.Classes} genres for {r.Rows:N0} rows written to {output}");
        foreach (var s in r.Score)
            Console.WriteLine($"accuracy {s.Accuracy:F8} ({s.Correct:N0} of {s.Rows:N0} rows)" +
                (s.UnknownGenres > 0 ? $"; {s.UnknownGenres:N0} rows have a genre the model does not know (counted wrong)" : ""));
        return 0;
    }
}
