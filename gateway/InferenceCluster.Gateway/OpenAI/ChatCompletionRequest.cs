using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The body of <c>POST /v1/chat/completions</c> exactly as the client sent it. Nothing here is trusted:
/// <see cref="RequestValidator.Chat"/> turns it into a <see cref="ValidatedRequest"/>. Parameters the
/// gateway does not implement are declared (or caught by <see cref="SamplingWireRequest.AdditionalProperties"/>)
/// so that they can be rejected by name instead of being ignored.
/// </summary>
internal sealed record ChatCompletionRequest : SamplingWireRequest
{
    public List<ChatMessageDto?>? Messages { get; set; }

    public int? MaxCompletionTokens { get; set; }

    public bool? Logprobs { get; set; }

    public int? TopLogprobs { get; set; }

    public JsonElement? ResponseFormat { get; set; }
}
