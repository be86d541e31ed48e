using Genre.Data;
using Genre.Eval;
using Genre.Models.Backend.Torch;
using Spectre.Console;

namespace Genre.Cli.Commands;

/// <summary>
/// <c>genre audit [--data PATH] [--out DIR] [--epochs N] [--gbdt]</c>: leakage and duplicate-track measurements, printed and written to
/// audit.md; <c>--gbdt</c> adds the gradient-boosted trees baseline on the report split and the track-aware split.
/// </summary>
public static class AuditCommand
{
    public static readonly Verb Verb = new(
        "audit", "measure index leakage, test-set training, cross-genre duplicates and a track-aware evaluation (writes audit.md)",
        Seq(SharedOptions.Data,
            Opt.Valued("out", "DIR", "the folder audit.md is written to (default out/audit)"),
            Opt.Valued("epochs", "N", "epochs of the probe models (default 10)"),
            SharedOptions.Threads,
            Opt.Flag("gbdt", "also fit gradient-boosted trees")), Run);

    static Fin<int> Run(Args a) =>
        from epochs in a.Int("epochs", 10)
        from threads in a.Int("threads", 0)
        from source in Sources.Resolve(a)
        from tracks in ReportPipeline.ToFin(TrackCsv.Load(source.Path))
        let cleaned = Cleaning.Clean(tracks).Tracks
        let outDir = a.Get("out", Path.Combine("out", "audit"))
        from dnn in Audit.Run(Runtime.Backend(threads), cleaned, new Audit.Options(Epochs: epochs))
        from trees in a.Flag("gbdt") ? AuditGbdt.Run(cleaned, outDir, new Audit.Options().Seed, threads)
            : LanguageExt.Prelude.FinSucc(LanguageExt.Seq<AuditFinding>.Empty)
        let findings = dnn + trees
        from _ in AtomicFile.WriteAllText(Path.Combine(outDir, "audit.md"), Audit.Markdown(source, findings))
        select Print(findings, outDir);

    static int Print(Seq<AuditFinding> findings, string outDir)
    {
        var table = new Table().AddColumns("question", "measure", "value");
        foreach (var f in findings) table.AddRow(Markup.Escape(f.Question), f.Measure, f.Value);
        AnsiConsole.Write(table);
        Console.WriteLine($"wrote {Path.Combine(outDir, "audit.md")}");
        return 0;
    }
}
