using System.Globalization;

namespace InferenceCluster.Sweep.Grid;

/// <summary>
/// Reads one axis of the grid: a list <c>a,b,c</c> or an inclusive range <c>start:stop:step</c>.
/// </summary>
internal static class GridAxis
{
    /// <summary>Expands a decimal axis. Range values are computed as start + i*step and rounded, so float error never drops the stop value.</summary>
    public static IReadOnlyList<double> ParseDoubles(string option, string text, double min, double max)
    {
        var values = text.Contains(':') ? ParseRange(option, text) : ParseList(option, text, s => ParseDouble(option, s));
        foreach (var v in values)
        {
            if (v < min || v > max)
            {
                throw new GridSyntaxException(option, string.Create(CultureInfo.InvariantCulture, $"value {v} is outside [{min}, {max}]"));
            }
        }

        // Grid points are identified by values rounded to 4 decimals, so two values must differ there.
        Distinct(option, values.Select(v => Math.Round(v, 4)).ToList());
        return values;
    }

    /// <summary>Expands an integer axis; ranges are allowed with an integer step.</summary>
    public static IReadOnlyList<int> ParseInts(string option, string text, int min, int max)
    {
        var doubles = text.Contains(':') ? ParseRange(option, text) : ParseList(option, text, s => ParseDouble(option, s));
        var ints = new List<int>(doubles.Count);
        foreach (var d in doubles)
        {
            if (d != Math.Floor(d))
            {
                throw new GridSyntaxException(option, string.Create(CultureInfo.InvariantCulture, $"'{d}' is not a whole number"));
            }

            if (d < min || d > max)
            {
                throw new GridSyntaxException(option, string.Create(CultureInfo.InvariantCulture, $"value {d} is outside [{min}, {max}]"));
            }

            ints.Add((int)d);
        }

        return Distinct(option, ints);
    }

    private static List<double> ParseRange(string option, string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3)
        {
            throw new GridSyntaxException(option, $"range '{text}' must be start:stop:step");
        }

        var start = ParseDouble(option, parts[0]);
        var stop = ParseDouble(option, parts[1]);
        var step = ParseDouble(option, parts[2]);
        if (step <= 0)
        {
            throw new GridSyntaxException(option, $"step in '{text}' must be positive");
        }

        if (stop < start)
        {
            throw new GridSyntaxException(option, $"stop in '{text}' is below start");
        }

        // The count is taken with a tolerance so 0.30:0.90:0.05 yields 13 values, not 12.
        var count = (int)Math.Floor(((stop - start) / step) + 1e-9) + 1;
        if (count > 10_000)
        {
            throw new GridSyntaxException(option, $"range '{text}' expands to {count} values");
        }

        var decimals = Math.Max(Decimals(parts[0]), Math.Max(Decimals(parts[1]), Decimals(parts[2])));
        return [.. Enumerable.Range(0, count).Select(i => Math.Round(start + (i * step), decimals + 2))];
    }

    private static List<T> ParseList<T>(string option, string text, Func<string, T> parse)
    {
        var items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items.Any(string.IsNullOrEmpty))
        {
            throw new GridSyntaxException(option, $"empty value in list '{text}'");
        }

        return [.. items.Select(parse)];
    }

    private static double ParseDouble(string option, string s)
    {
        if (!double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
        {
            throw new GridSyntaxException(option, $"'{s}' is not a number");
        }

        return v;
    }

    private static int Decimals(string s)
    {
        var dot = s.IndexOf('.');
        return dot < 0 ? 0 : s.Trim().Length - dot - 1;
    }

    private static IReadOnlyList<T> Distinct<T>(string option, List<T> values)
    {
        if (values.Count == 0)
        {
            throw new GridSyntaxException(option, "no values");
        }

        if (values.Distinct().Count() != values.Count)
        {
            throw new GridSyntaxException(option, "a value is listed twice (values are told apart to 4 decimals)");
        }

        return values;
    }
}
