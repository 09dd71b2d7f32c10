namespace InferenceCluster.Sweep.Grading;

/// <summary>
/// Finds degenerate loops: a phrase of 2 or more words three times in a row, one word four times in
/// a row, or inside a space-free run (e.g. CJK text) a unit of 3 or more characters, with a letter
/// in it, three times (so Markdown rules like |---|---|---| do not count).
/// </summary>
internal static class RepetitionDetector
{
    private const int MaxPhraseWords = 64;

    /// <summary>True when the text contains such a loop.</summary>
    public static bool HasRepetition(string text)
    {
        // A tag glued to the first word ("<think>Wait,") would hide the first copy of a loop.
        text = text.Replace("<think>", " ", StringComparison.Ordinal).Replace("</think>", " ", StringComparison.Ordinal);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', ';', ':', '!', '?', '"', '\'').ToLowerInvariant())
            .ToArray();
        if (HasRun(words, 1, 4, MaxPhraseWords, static unit => true))
        {
            return true;
        }

        var chunks = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return chunks.Where(c => c.Length >= 9).Any(c =>
            HasRun(c.ToCharArray(), 3, 3, c.Length / 3, static unit => unit.Distinct().Count() > 1 && unit.Any(char.IsLetter)));
    }

    /// <summary>
    /// A unit of n items repeated k times means items[i] == items[i + n] for (k-1)*n positions in a
    /// row; counting such runs per n finds every loop in O(length × max n).
    /// </summary>
    private static bool HasRun<T>(T[] items, int minUnit, int timesForSingle, int maxUnit, Func<T[], bool> unitCounts)
        where T : IEquatable<T>
    {
        for (var n = minUnit; n <= Math.Min(maxUnit, items.Length / 2); n++)
        {
            var times = n == 1 ? timesForSingle : 3;
            var needed = (times - 1) * n;
            var run = 0;
            for (var i = 0; i + n < items.Length; i++)
            {
                run = items[i].Equals(items[i + n]) ? run + 1 : 0;
                if (run >= needed)
                {
                    var start = i - needed + 1;
                    if (unitCounts(items[start..(start + n)]))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
