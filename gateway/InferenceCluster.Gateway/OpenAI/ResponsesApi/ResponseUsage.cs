namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>Token counts in the Responses API's names; reasoning tokens are part of the output tokens.</summary>
internal sealed record ResponseUsage(
    int InputTokens,
    PromptTokensDetails InputTokensDetails,
    int OutputTokens,
    CompletionTokensDetails OutputTokensDetails,
    int TotalTokens)
{
    public static ResponseUsage From(UsageDto usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return new(
            usage.PromptTokens,
            usage.PromptTokensDetails,
            usage.CompletionTokens,
            usage.CompletionTokensDetails ?? new CompletionTokensDetails(0),
            usage.TotalTokens);
    }
}
