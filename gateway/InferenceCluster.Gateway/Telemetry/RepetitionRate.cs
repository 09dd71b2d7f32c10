namespace InferenceCluster.Gateway.Telemetry;

/// <summary>
/// How much of an answer repeats itself: the share of its word 4-grams that already occurred earlier in it
/// (0 = no 4 words in a row appear twice; near 1 = a loop). Words are compared lower-cased without edge
/// punctuation, and the reasoning tags do not count as words.
/// </summary>
internal static class RepetitionRate
{
    public const int N = 4;

    /// <summary>The rate, or null when the text has too few words to form two n-grams.</summary>
    public static double? Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Replace("<think>", " ", StringComparison.Ordinal).Replace("</think>", " ", StringComparison.Ordinal)
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.Trim('.', ',', ';', ':', '!', '?', '"', '\'').ToLowerInvariant())
            .ToArray();
        var total = words.Length - N + 1;
        if (total < 2)
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeated = 0;
        for (var i = 0; i < total; i++)
        {
            if (!seen.Add(string.Join(' ', words, i, N)))
            {
                repeated++;
            }
        }

        return (double)repeated / total;
    }
}
