namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// OpenAI's limits on <c>metadata</c>, the same on every endpoint that takes it: at most <see cref="MaxPairs"/> pairs,
/// keys of at most <see cref="MaxKeyLength"/> characters, values strings of at most <see cref="MaxValueLength"/>.
/// </summary>
internal static class MetadataRule
{
    public const int MaxPairs = 16;

    public const int MaxKeyLength = 64;

    public const int MaxValueLength = 512;

    /// <summary>The metadata as sent (empty when absent), or the 400 naming the first pair that breaks a limit.</summary>
    public static IReadOnlyDictionary<string, string> Validate(Dictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return new Dictionary<string, string>();
        }

        if (metadata.Count > MaxPairs)
        {
            throw OpenAIException.InvalidValue("metadata", $"'metadata' may hold at most {MaxPairs} pairs; got {metadata.Count}.");
        }

        // Ordinal order, so that the same request always gets the same error.
        foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (CharacterCount.Of(key) is var keyLength && keyLength > MaxKeyLength)
            {
                throw OpenAIException.InvalidValue(
                    "metadata", $"'metadata' keys may be at most {MaxKeyLength} characters; '{QuotedText.Of(key)}' has {keyLength}.");
            }

            var param = "metadata." + key;
            if (value is null)
            {
                throw OpenAIException.InvalidType(param, "a string");
            }

            if (CharacterCount.Of(value) is var valueLength && valueLength > MaxValueLength)
            {
                throw OpenAIException.InvalidValue(
                    param, $"'metadata' values may be at most {MaxValueLength} characters; '{QuotedText.Of(param)}' has {valueLength}.");
            }
        }

        return metadata;
    }
}
