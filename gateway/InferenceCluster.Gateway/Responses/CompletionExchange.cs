using InferenceCluster.Contracts;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Responses;

/// <summary>
/// What a responder needs to answer one request: the HTTP context, the wire format (chat or text
/// completion), the response identity, how choices are presented, and the token limit's name as the client sent it.
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
    bool SplitReasoning,
    string MaxTokensParam)
{
    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>
    /// Whether <c>cached_tokens</c> may report the engine's prompt-prefix reuse. The engine's prefix cache is one for
    /// all callers, so with API keys a count above 0 could come from another key's prompt: it would tell a key, block by
    /// block, what another key sent. Only in open mode, where every caller is one tenant, is it reported; off unless the
    /// caller says so, so a new way of answering cannot report it by default.
    /// </summary>
    public bool ShowsCachedTokens { get; init; }

    /// <summary>The response's <c>id</c>, formatted once for all of its chunks.</summary>
    public string ResponseId { get; } = Wire.ResponseId(Id);

    /// <summary>
    /// The name the client knows a parameter by that a worker reports by chat's name: the token limit as the request
    /// spelled it, anything else as the operation names it.
    /// </summary>
    public string ClientParam(string param) => param == SamplingSettings.MaxTokensParam ? MaxTokensParam : Wire.ClientParam(param);

    /// <summary>Per choice index, how many characters of its text the stream has covered (legacy <c>text_offset</c>).</summary>
    public Dictionary<int, int> StreamedTextOffsets { get; } = [];
}
