using System.Text.Json;
using System.Text.Json.Serialization;

namespace InferenceCluster.Gateway.OpenAI.ResponsesApi;

/// <summary>
/// One server-sent event of a streamed response. Every event has its <see cref="Type"/> and
/// <see cref="SequenceNumber"/>; the other members are those its type documents, the rest left out. The <c>error</c> event is a <see cref="ResponseErrorEvent"/>.
/// </summary>
internal sealed record ResponseStreamEvent(string Type, int SequenceNumber)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ResponseObject? Response { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? OutputIndex { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ItemId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ContentIndex { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ResponseOutputItem? Item { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ResponseContentPart? Part { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Delta { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Text { get; init; }

    /// <summary>Empty on text events: log-probabilities are not offered on this endpoint.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<JsonElement>? Logprobs { get; init; }
}
