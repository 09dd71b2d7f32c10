using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>
/// The <c>error</c> event of a streamed response. Unlike <see cref="ResponseStreamEvent"/>, it writes every member,
/// null ones too: OpenAI's error event always carries <c>code</c>, <c>message</c> and <c>param</c>.
/// </summary>
internal sealed record ResponseErrorEvent(int SequenceNumber, string? Code, string Message, string? Param)
{
    [JsonPropertyOrder(-1)]
    public string Type => "error";
}
