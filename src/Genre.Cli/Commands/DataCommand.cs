using System.Text;
using System.Text.Json;
using Genre.Data;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre data [--data PATH] [--reduced] [--export-split FILE] [--json]</c>: sizes after each step, and whether the file is
/// the Kaggle file the report used (known by its sha256).
/// </summary>
public static class DataCommand
{
    public static readonly Verb Verb = new(
        "data", "load, clean, encode and split the data; print sizes", Seq(
            SharedOptions.Data, SharedOptions.Reduced,
            Opt.Valued("export-split", "FILE", "write row_id,subset for every cleaned row"),
            Opt.Flag("json", "print the sizes as JSON")), Run);

    static Fin<int> Run(Args a) =>
        from source in Sources.Resolve(a)
        from loaded in ReportPipeline.Load(source.Path, a.Reduction())
        from _ in a.Get("export-split").Match(path => ExportSplit(path, loaded.Data.Scaled), () => FinSucc(unit))
        select Print(a.Flag("json"), source, loaded.Summary, a.Flag("reduced"));

    static Fin<Unit> ExportSplit(string path, Splits s)
    {
        var sb = new StringBuilder("row_id,subset\n");
        foreach (var (d, name) in new[] { (s.Train, "train"), (s.Val, "val"), (s.Test, "test") })
            foreach (var id in d.RowIds) sb.Append(id).Append(',').Append(name).Append('\n');
        return AtomicFile.WriteAllText(path, sb.ToString());
    }

    static int Print(bool json, DataSource source, DataSummary s, bool reduced)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                data = source.Path,
                synthetic = source.IsSynthetic,
                sha256 = source.Sha256,
                kaggle_file = source.IsKaggleFile,
                rows_read = s.RowsRead,
                rows_clean = s.RowsAfterCleaning,
                classes = s.Classes,
                reduced,
                train = s.Train,
                val = s.Val,
                test = s.Test,
            }));
            return 0;
        }
        Console.WriteLine($"data:           {source.Describe()}");
        Console.WriteLine($"kaggle file:    {(source.IsKaggleFile ? "yes" : "no")}");
        Console.WriteLine($"rows read:      {s.RowsRead:N0}");
        Console.WriteLine($"after cleaning: {s.RowsAfterCleaning:N0}");
        Console.WriteLine($"classes:        {s.Classes}{(reduced ? " (report's genre merges)" : "")}");
        Console.WriteLine($"split:          train {s.Train:N0} / val {s.Val:N0} / test {s.Test:N0}");
        return 0;
    }
}
