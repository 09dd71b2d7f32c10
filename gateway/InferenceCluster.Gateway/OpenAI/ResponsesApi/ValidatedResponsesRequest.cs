namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>A Responses request that passed validation: the chat request it runs as, and what the response echoes.</summary>
internal sealed record ValidatedResponsesRequest
{
    /// <summary>The instructions as the first system turn, then the input's messages; one choice, usage always reported.</summary>
    public required ValidatedRequest Request { get; init; }

    public string? Instructions { get; init; }

    public ResponseTextFormat TextFormat { get; init; } = ResponseTextFormat.Text;

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
