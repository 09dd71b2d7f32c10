using System.Globalization;
using System.Text.RegularExpressions;

namespace InferenceCluster.Sweep.Grading;

/// <summary>Reads numbers the way models write them: 1,234 or $-3.5$ or \frac{3}{4}.</summary>
internal static partial class NumberText
{
    /// <summary>Parses a whole string as one number after removing thousands separators and LaTeX decoration.</summary>
    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (text is null)
        {
            return false;
        }

        var t = Clean(text);
        var frac = Fraction().Match(t);
        if (frac.Success && frac.Length == t.Length)
        {
            var num = double.Parse(frac.Groups[1].Value, CultureInfo.InvariantCulture);
            var den = double.Parse(frac.Groups[2].Value, CultureInfo.InvariantCulture);
            value = den == 0 ? double.NaN : num / den;
            return den != 0;
        }

        return double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The last number in free text, e.g. the 155 of "so a_20 = 155".</summary>
    public static bool TryParseLast(string text, out double value)
    {
        value = 0;
        var matches = Number().Matches(Clean(text));
        return matches.Count > 0 && TryParse(matches[^1].Value, out value);
    }

    /// <summary>True when two values agree to a relative 1e-6.</summary>
    public static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-6 * Math.Max(1, Math.Abs(b));

    private static string Clean(string text)
    {
        var t = text.Replace("\\,", "", StringComparison.Ordinal)
            .Replace("\\!", "", StringComparison.Ordinal)
            .Replace("$", "", StringComparison.Ordinal)
            .Replace("−", "-", StringComparison.Ordinal);
        t = TextWrapper().Replace(t, "$1");
        t = LatexFrac().Replace(t, "$1/$2");
        // Applied until stable: one pass turns 1,234,567 only into 1234,567.
        for (var before = ""; before != t;)
        {
            before = t;
            t = Thousands().Replace(t, "$1$2");
        }

        return t.Trim().TrimEnd('.');
    }

    [GeneratedRegex(@"^\s*(-?\d+(?:\.\d+)?)\s*/\s*(-?\d+(?:\.\d+)?)\s*$")]
    private static partial Regex Fraction();

    [GeneratedRegex(@"-?\d+(?:\.\d+)?(?:\s*/\s*\d+(?:\.\d+)?)?")]
    private static partial Regex Number();

    [GeneratedRegex(@"\\(?:text|mathrm|mathbf)\{([^{}]*)\}")]
    private static partial Regex TextWrapper();

    [GeneratedRegex(@"\\[dt]?frac\{(-?\d+(?:\.\d+)?)\}\{(-?\d+(?:\.\d+)?)\}")]
    private static partial Regex LatexFrac();

    [GeneratedRegex(@"(\d),(\d{3})(?!\d)")]
    private static partial Regex Thousands();
}
