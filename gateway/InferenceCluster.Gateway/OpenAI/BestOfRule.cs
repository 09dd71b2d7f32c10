namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// <c>best_of</c> on <c>/v1/completions</c>. One candidate per choice is what every request here generates, so 1 is
/// honoured as it stands; more candidates to rank are a 400 <c>unsupported_parameter</c>. A value OpenAI itself refuses
/// (under 1, over <see cref="Max"/>, fewer candidates than the <c>n</c> choices to return) is an invalid value, as there.
/// </summary>
internal static class BestOfRule
{
    /// <summary>OpenAI's upper bound on <c>best_of</c>.</summary>
    public const int Max = 20;

    public static void Validate(int? bestOf, int? n)
    {
        if (bestOf is not { } candidates)
        {
            return;
        }

        if (candidates is < 1 or > Max)
        {
            throw OpenAIException.OutOfRange("best_of", 1, Max, candidates);
        }

        if (n is { } choices && candidates < choices)
        {
            throw OpenAIException.InvalidValue("best_of", $"'best_of' ({candidates}) must be at least 'n' ({choices}).");
        }

        if (candidates != 1)
        {
            throw OpenAIException.Unsupported("best_of", "'best_of' is not supported; use 'n' for several independent choices.");
        }
    }
}
