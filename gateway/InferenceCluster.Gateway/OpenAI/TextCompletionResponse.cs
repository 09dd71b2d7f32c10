using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>A <c>text_completion</c> object of <c>POST /v1/completions</c>: the whole response, or one streamed chunk.</summary>
internal sealed record TextCompletionResponse(
    string Id,
    string Object,
    long Created,
    string Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SystemFingerprint,
    IReadOnlyList<TextChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] UsageSlot Usage);
