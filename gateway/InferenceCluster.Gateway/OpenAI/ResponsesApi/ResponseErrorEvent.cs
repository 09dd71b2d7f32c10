using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>
/// The <c>error</c> event of a streamed response. Unlike <see cref="ResponseStreamEvent"/>, it writes every member,
/// null ones too: OpenAI's error event always carries <c>code</c>, <c>message</c> and <c>param</c>. <see cref="Error"/>
/// repeats them as the error object OpenAI's API nests in the event beside its documented members: the SDKs throw their
/// API error from it (the Node SDK's <c>responses.stream()</c> rejects with the bare event object without it).
/// </summary>
internal sealed record ResponseErrorEvent(int SequenceNumber, string? Code, string Message, string? Param, ErrorBody Error)
{
    [JsonPropertyOrder(-1)]
    public string Type => "error";
}
