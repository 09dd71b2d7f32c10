using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI.ResponsesApi;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Responses;
using InferenceCluster.Gateway.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Endpoints;

/// <summary>
/// Answers <c>POST /v1/responses</c> for a model of the worker pool exactly as a chat request with one
/// choice (same config resolution, key policy, cache, dispatch and cancellation); only the wire differs.
/// </summary>
internal sealed class ResponsesHandler(
    CompletionEndpoint endpoint,
    ChoiceLauncher launcher,
    IOptions<GatewayOptions> options,
    GenerationPolicy policy,
    TimeProvider time)
{
    public Task HandleAsync(HttpContext context, ReadOnlyMemory<byte> body) =>
        endpoint.RunAsync(context, "Responses", () => HandleCoreAsync(context, body));

    private async Task HandleCoreAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var validated = ResponsesRequestValidator.Validate(ResponsesRequestValidator.Read(body));
        var key = context.Features.Get<ApiKeyIdentity>();
        var decision = policy.Decide(context, key?.Name, key?.Policy, validated.Model, validated.Sampling);
        var request = validated with { Model = decision.Model };
        var config = decision.Resolved.Config with { Guidance = request.Guidance };

        var availability = endpoint.RequireServed(request.Model);

        using var activity = GatewayTelemetry.StartChat(request.Model, config, request.Stream, request.User);
        activity.RecordPolicy(decision.KeyName, decision.Profile, decision.Resolved.Adjustments);
        var answer = new AnswerRequest(
            context,
            new ResponsesWire(request, config),
            request.Model,
            [.. ChoiceJob.For(0, 0, request.Messages, null, config, n: 1)],
            request.Stream,
            // The final response.completed event carries the usage, so a stream always ends with it.
            IncludeUsage: true,
            Logprobs: false,
            SplitReasoning: config.Guidance is null && options.Value.SeparateReasoning);
        await CompletionEndpoint.TraceErrorsAsync(
            activity, () => launcher.AnswerAsync(answer, availability, time.GetUtcNow().ToUnixTimeSeconds(), activity)).ConfigureAwait(false);
    }
}
