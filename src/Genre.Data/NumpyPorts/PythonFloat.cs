using System.Globalization;

namespace Genre.Data;

/// <summary>
/// Python's <c>repr(float)</c>: the shortest string that round-trips, in positional form when the decimal
/// exponent is in [-4, 16) and as <c>d.ddde±XX</c> otherwise; integral values keep a trailing <c>.0</c>.
/// This is what pandas' <c>to_csv</c> writes for float64 columns.
/// </summary>
internal static class PythonFloat
{
    public static string Repr(double value)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsPositiveInfinity(value)) return "inf";
        if (double.IsNegativeInfinity(value)) return "-inf";
        if (value == 0) return double.IsNegative(value) ? "-0.0" : "0.0";

        // .NET Core 3.0+ "R" gives the shortest round-trip digits; take them apart as digits + exponent.
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var (negative, digits, exponent) = Decompose(shortest);
        var sign = negative ? "-" : "";
        if (exponent < -4 || exponent >= 16)
        {
            var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            var expSign = exponent < 0 ? "-" : "+";
            return $"{sign}{mantissa}e{expSign}{Math.Abs(exponent):00}";
        }
        if (exponent < 0)
            return sign + "0." + new string('0', -exponent - 1) + digits;
        if (digits.Length <= exponent + 1)
            return sign + digits + new string('0', exponent + 1 - digits.Length) + ".0";
        return sign + digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
    }

    /// <summary>Splits a .NET round-trip string ("1.01E-06", "123.5", "1E+16") into sign, significant digits and decimal
    /// exponent.</summary>
    static (bool Negative, string Digits, int Exponent) Decompose(string s)
    {
        var negative = s.StartsWith('-');
        if (negative) s = s[1..];
        var exp = 0;
        var e = s.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }
        var dot = s.IndexOf('.');
        string intPart = dot >= 0 ? s[..dot] : s, frac = dot >= 0 ? s[(dot + 1)..] : "";
        var all = intPart + frac;
        var pointPos = intPart.Length; // digits before the decimal point
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        var digits = all[lead..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        // value = 0.<all> * 10^(pointPos + exp) → first significant digit's exponent:
        var exponent = pointPos - lead - 1 + exp;
        return (negative, digits, exponent);
    }
}
