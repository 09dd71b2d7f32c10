using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>
/// The body of <c>POST /v1/responses</c> as sent. The sampling members are chat's and are validated by the
/// same rules; what needs stored state or tools is declared only so that it can be rejected by name.
/// </summary>
internal sealed record ResponsesRequest : SamplingWireRequest
{
    /// <summary>A string (one user message) or an array of input items; kept raw so the reader can name what is wrong.</summary>
    public JsonElement? Input { get; set; }

    public string? Instructions { get; set; }

    public int? MaxOutputTokens { get; set; }

    public JsonElement? Text { get; set; }

    public bool? Store { get; set; }

    public Dictionary<string, string>? Metadata { get; set; }

    public bool? ParallelToolCalls { get; set; }

    public string? Truncation { get; set; }

    public string? PreviousResponseId { get; set; }

    public JsonElement? Conversation { get; set; }

    public JsonElement? Tools { get; set; }

    public JsonElement? ToolChoice { get; set; }

    public int? MaxToolCalls { get; set; }

    public JsonElement? Include { get; set; }

    public JsonElement? Reasoning { get; set; }

    public bool? Background { get; set; }

    public JsonElement? Prompt { get; set; }

    public int? TopLogprobs { get; set; }
}
