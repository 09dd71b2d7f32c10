using InferenceCluster.Contracts;
using InferenceCluster.Gateway.OpenAI;
using Microsoft.AspNetCore.Http;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>What a responder needs to answer one chat request: the HTTP context, the request, its config and its identity.</summary>
internal sealed record ChatExchange(HttpContext Http, ValidatedChatRequest Request, GenerationConfig Config, Guid Id, long Created)
{
    public CancellationToken Aborted => Http.RequestAborted;
}
