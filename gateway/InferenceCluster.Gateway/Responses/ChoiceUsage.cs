using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Responses;

/// <summary>
/// Usage of a request with several choices: completion (and reasoning) tokens are summed over all choices;
/// each prompt's tokens are counted once, as OpenAI counts them for n &gt; 1.
/// </summary>
internal static class ChoiceUsage
{
    /// <param name="choices">The finished choices.</param>
    /// <param name="reasoning">Whether to count reasoning tokens.</param>
    /// <param name="cachedTokens">Whether the engine's prefix reuse may be reported (<see cref="CompletionExchange.ShowsCachedTokens"/>); else 0.</param>
    public static UsageDto Sum(IReadOnlyCollection<ChoiceResult> choices, bool reasoning, bool cachedTokens)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var prompt = choices.Where(c => c.Job.IsFirstOfPrompt).Sum(c => c.Usage.PromptTokens);
        var cached = cachedTokens ? choices.Where(c => c.Job.IsFirstOfPrompt).Sum(c => c.Usage.CachedPromptTokens) : 0;
        var completion = choices.Sum(c => c.Usage.CompletionTokens);
        var usage = UsageDto.Of(prompt, completion, cached);
        return reasoning
            ? usage with { CompletionTokensDetails = new CompletionTokensDetails(choices.Sum(c => c.ReasoningTokens ?? 0)) }
            : usage;
    }
}
