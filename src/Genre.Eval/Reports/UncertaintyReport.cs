using System.Globalization;
using System.Text;
using Genre.Data;
using static Genre.Eval.ReportNumbers;

namespace Genre.Eval;

/// <summary>report.md's sections on sampling uncertainty: bootstrap intervals per experiment and the report's claims tested.</summary>
public static class UncertaintyReport
{

    /// <summary>One experiment's 95% interval from its test rows (None when its predictions were not kept).</summary>
    public static Option<Interval> IntervalOf(ScoredRows rows) =>
        rows.Labels.Length == 0 ? None : Some(Uncertainty.Bootstrap(Uncertainty.Hits(rows.Labels, rows.Predictions)));

    const string Method =
        "Intervals: 95% percentile bootstrap of test accuracy (2,000 resamples of the test rows, seed 42) — the uncertainty from " +
        "having one finite test set, not from training. Paired tests: McNemar on the same test rows (exact binomial below " +
        "25 discordant rows, else χ² with continuity correction); a claim holds or is contradicted at p < 0.05.\n\n";

    /// <summary>Intervals for a single run's experiments and its claims tested; the same for the authors' SavedModels.</summary>
    public static string Markdown(Seq<ExperimentResult> results, Seq<AuthorsScore> authors, GenreMapping mapping)
    {
        var sb = new StringBuilder("\n## How sure: intervals and the report's claims tested\n\n").Append(Method);
        sb.Append("| experiment | test accuracy | 95% interval |\n|---|---|---|\n");
        foreach (var x in results)
            sb.Append($"| {x.Experiment.Name} | {F4(x.Test.Accuracy)} | " +
                $"{IntervalOf(x.Rows).Map(i => i.Show()).IfNone("— (predictions not kept)")} |\n");
        sb.Append('\n').Append(ClaimsTable("Our models", Claims.Test(Claims.OfReport, Claims.HitsOf(results.Map(x => x.Rows), mapping))));
        if (!authors.IsEmpty)
        {
            sb.Append("\nThe authors' SavedModels (the report's own numbers):\n\n")
              .Append("| model | test accuracy | 95% interval |\n|---|---|---|\n");
            foreach (var a in authors)
                sb.Append($"| {a.Model} ({a.Experiment}) | {F4(a.Test.Accuracy)} | ")
                  .Append(IntervalOf(a.Rows).Map(i => i.Show()).IfNone("—")).Append(" |\n");
            sb.Append('\n').Append(ClaimsTable("The authors' models", Claims.Test(
                Claims.OfReport, Claims.HitsOf(authors.Map(a => a.Rows), mapping))));
        }
        return sb.ToString();
    }

    /// <summary>Multi-seed: per experiment the seed spread beside each seed's test-set interval; each claim tested per seed.</summary>
    public static string SeedsMarkdown(SeedsResult r, GenreMapping mapping)
    {
        var sb = new StringBuilder("\n## How sure: seed spread, intervals and the report's claims tested\n\n").Append(Method)
            .Append("The seed spread (sd over seeds) is the uncertainty from training; the interval is each seed's test-set " +
                "uncertainty.\n\n");
        sb.Append("| experiment | mean ± sd over seeds | per seed: accuracy [95% interval] |\n|---|---|---|\n");
        foreach (var x in r.Experiments)
            sb.Append($"| {x.Experiment.Name} | {SeedsReport.MeanSd(x.Mean, x.Sd)} | " +
                      string.Join("; ", x.Runs.Map(
                          run => $"{run.Seed}: {F4(run.Result.Test.Accuracy)} " +
                                 IntervalOf(run.Result.Rows).Map(i => i.Show()).IfNone(""))) + " |\n");
        var perSeed = r.PerSeed.Bind(s => Claims.Test(Claims.OfReport, Claims.HitsOf(s.Result.Results.Map(x => x.Rows), mapping))
            .Map(t => (s.Seed, Test: t)));
        if (perSeed.IsEmpty) return sb.Append("\nNo claim has both of its experiments finished in the same seed yet.\n").ToString();
        sb.Append("\n| claim | seed | first | second | only first right | only second right | p | verdict " +
            "|\n|---|---|---|---|---|---|---|---|\n");
        foreach (var (seed, t) in perSeed.OrderBy(p => Claims.OfReport.ToList().IndexOf(p.Test.Claim)).ThenBy(p => p.Seed))
            sb.Append(Row(t, seed.ToString(CultureInfo.InvariantCulture)));
        return sb.ToString();
    }

    static string ClaimsTable(string whose, Seq<ClaimTest> tests)
    {
        if (tests.IsEmpty) return $"{whose}: no claim has both of its experiments here.\n";
        var sb = new StringBuilder(
            $"{whose}:\n\n| claim | seed | first | second | only first right | only second right | p | verdict " +
                $"|\n|---|---|---|---|---|---|---|---|\n");
        foreach (var t in tests) sb.Append(Row(t, "—"));
        return sb.ToString();
    }

    static string Row(ClaimTest t, string seed) =>
        $"| {t.Claim.First} vs {t.Claim.Second}{(t.Claim.SecondMerged ? " (merged)" : "")}: {t.Claim.Statement} | {seed} | " +
            $"{F4(t.FirstAccuracy)} | {F4(t.SecondAccuracy)} | " +
        $"{t.Test.OnlyFirst:N0} | {t.Test.OnlySecond:N0} | {Uncertainty.ShowP(t.Test.PValue)}{(t.Test.Exact ? " (exact)" : "")} | " +
            $"{t.Verdict} |\n";
}
