using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>A Responses request that passed validation: the conversation as chat turns, and what the response echoes.</summary>
internal sealed record ValidatedResponsesRequest
{
    public required string Model { get; init; }

    /// <summary>The instructions as the first system turn, then the input's messages.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public required bool Stream { get; init; }

    public required SamplingRequest Sampling { get; init; }

    public string? Instructions { get; init; }

    public string? User { get; init; }

    public GenerationGuidance? Guidance { get; init; }

    public ResponseTextFormat TextFormat { get; init; } = ResponseTextFormat.Text;

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
