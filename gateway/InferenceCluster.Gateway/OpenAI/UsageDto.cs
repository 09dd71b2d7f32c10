using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>Token counts of a completion; the completion breakdown is given for reasoning models.</summary>
internal sealed record UsageDto(
    int PromptTokens,
    int CompletionTokens,
    int TotalTokens,
    PromptTokensDetails PromptTokensDetails,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CompletionTokensDetails? CompletionTokensDetails = null)
{
    public static UsageDto Of(int promptTokens, int completionTokens, int cachedPromptTokens) =>
        new(promptTokens, completionTokens, promptTokens + completionTokens, new PromptTokensDetails(cachedPromptTokens));
}
