using Genre.Data;
using Genre.Models.Backend;

namespace Genre.Eval;

public static partial class Reproduce
{
    /// <summary>
    /// A plan's units (<c>reproduce --no-report</c>): the requested experiments of each seed trained into <c>outDir/seed-S</c> as
    /// <see cref="RunSeeds"/> trains them (resumed from checkpoints, finished ones re-scored, twins trained once), and no report
    /// written. The plan's collect step writes the reports once the units are done, so units running at once on several machines
    /// never re-score each other's folders or rewrite the same report.
    /// </summary>
    public static Fin<Seq<SeedRun>> TrainUnits(IBackend backend, DataSource source, Func<int, Profile> profileFor, Seq<int> seeds,
                                               Seq<Experiment> experiments, string outDir, IProgress<ReproduceEvent>? progress = null,
                                               CancellationToken cancel = default) =>
        from data in ReportData.Load(source)
        from runs in seeds.Fold(FinSucc(Seq<SeedRun>()), (acc, seed) => acc.Bind(done => cancel.IsCancellationRequested
            ? FinSucc(done)
            : RunAll(backend, profileFor(seed), experiments, SeedFolder.Path(outDir, seed), data, progress, cancel, withFinished: false)
                .Map(rs => done.Add(new SeedRun(seed, new ReproduceResult(source, profileFor(seed), rs, Seq<AuthorsScore>(), 0))))))
        select runs;
}
