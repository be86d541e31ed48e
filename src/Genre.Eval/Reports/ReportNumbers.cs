using System.Globalization;

namespace Genre.Eval;

/// <summary>How the markdown reports print numbers.</summary>
internal static class ReportNumbers
{
    /// <summary>An accuracy or loss with four decimals, whatever the machine's culture: "0.3173".</summary>
    public static string F4(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}
