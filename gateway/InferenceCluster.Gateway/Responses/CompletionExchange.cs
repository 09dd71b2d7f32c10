using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Responses;

/// <summary>
/// What a responder needs to answer one request: the HTTP context, the wire format (chat or text
/// completion), the response identity, and how choices are presented.
/// </summary>
internal sealed record CompletionExchange(
    HttpContext Http,
    ICompletionWire Wire,
    string Model,
    Guid Id,
    long Created,
    string? Fingerprint,
    bool IncludeUsage,
    bool Logprobs,
    bool SplitReasoning)
{
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>The response's <c>id</c>, formatted once for all of its chunks.</summary>
    public string ResponseId { get; } = Wire.ResponseId(Id);

    /// <summary>Per choice index, how many characters of its text the stream has covered (legacy <c>text_offset</c>).</summary>
    public Dictionary<int, int> StreamedTextOffsets { get; } = [];
}
