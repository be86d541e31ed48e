using System.Diagnostics;
using Genre.Data;
using LanguageExt;

namespace Genre.Bench;

/// <summary>The same steps as bench/data/pipeline.py in C#: load, clean, encode, split ×2, MinMax — median of N runs.</summary>
public static class DataPipeline
{
    public static void Run(string path, int reps)
    {
        var times = new List<double>();
        DataSummary? summary = null;
        ReportPipeline.Load(path, LanguageExt.Option<GenreMapping>.None); // warm-up (JIT)
        for (var i = 0; i < reps; i++)
        {
            var sw = Stopwatch.StartNew();
            var r = ReportPipeline.Load(path, LanguageExt.Option<GenreMapping>.None);
            times.Add(sw.Elapsed.TotalSeconds);
            summary = r.Match(x => x.Summary, e => throw new Exception(e.Message));
        }
        times.Sort();
        Console.WriteLine($"genre {times[times.Count / 2]:F4} ({summary!.Train}, {summary.Val}, {summary.Test})");
    }
}
