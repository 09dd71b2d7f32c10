namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>A Responses request that passed validation: the chat request it runs as, and what the response echoes.</summary>
internal sealed record ValidatedResponsesRequest
{
    /// <summary>The instructions as the first system turn, then the input's messages; one choice, usage always reported.</summary>
    public required ValidatedRequest Request { get; init; }

    public string? Instructions { get; init; }

    /// <summary>The client's <c>tool_choice</c> ("none" or "auto"; OpenAI's default "auto" when absent), echoed in the response.</summary>
    public string ToolChoice { get; init; } = ToolsRule.DefaultToolChoice;

    /// <summary>The client's <c>parallel_tool_calls</c> (OpenAI's default true when absent), echoed in the response; no tools run either way.</summary>
    public bool ParallelToolCalls { get; init; } = true;

    public ResponseTextFormat TextFormat { get; init; } = ResponseTextFormat.Text;

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary><c>include</c> names <c>reasoning.encrypted_content</c>: each reasoning item of the answer carries its sealed text.</summary>
    public bool IncludeEncryptedReasoning { get; init; }
}
