namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The single gate between the raw wire request and the rest of the gateway. Every rule names the
/// parameter it concerns; parameters the gateway cannot honour are rejected, never ignored.
/// </summary>
internal static partial class ChatRequestValidator
{
    /// <summary>The chat request's own members; the shared ones go through <see cref="SamplingWireValidator"/>.</summary>
    public static ValidatedRequest Validate(ChatCompletionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        SamplingWireValidator.RejectUnknown(request.AdditionalProperties, prefix: null);
        SamplingWireValidator.RequireModel(request);
        var messages = ValidateMessages(request.Messages);
        return SamplingWireValidator.Validate(request, request.MaxCompletionTokens, request.Logprobs ?? false, request.TopLogprobs) with
        {
            Messages = messages,
            Guidance = ResponseFormatReader.Read(request.ResponseFormat),
        };
    }
}
