using Genre.Data;

namespace Genre.Eval;

/// <summary>
/// The audit's two splits for the gbdt baseline: tuned on the report split's validation rows (as <c>reproduce --only gbdt</c>),
/// then its chosen configuration on the track-aware split, whose test rows are the audit's track-aware test rows. Model
/// folders go to <c>dir/gbdt</c> and <c>dir/track-aware/gbdt</c> (finished ones are re-scored, as in a reproduce folder).
/// </summary>
public static class AuditGbdt
{
    /// <summary>gbdt on the report split and on the track-aware split of <paramref name="cleaned"/>, as audit findings; models under
    /// <paramref name="dir"/>/gbdt.</summary>
    public static Fin<Seq<AuditFinding>> Run(Seq<Track> cleaned, string dir, int seed, int threads) =>
        from report in ReportPipeline.Prepare(cleaned, None)
        from tuned in Gbdt.Run(report, Gbdt.Candidates, Path.Combine(dir, "gbdt"), seed, threads)
        from grouped in TrackAware.Prepare(cleaned, None)
        from trackAware in Gbdt.Run(grouped, Seq1(tuned.Chosen), Path.Combine(dir, "track-aware", "gbdt"), seed, threads)
        select Seq(
            new AuditFinding($"gbdt, report split ({tuned.Chosen.Describe()}, chosen on validation)", "test accuracy",
                $"{tuned.Test.Accuracy:F4}"),
            new AuditFinding("gbdt, track-aware split (same configuration)", "test accuracy",
                $"{trackAware.Test.Accuracy:F4} ({(trackAware.Test.Accuracy - tuned.Test.Accuracy) * 100:+0.0;-0.0} pt)"));
}
