using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Responses;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Workers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Endpoints;

/// <summary>
/// Answers <c>POST /v1/chat/completions</c> for a model of the worker pool: validate, resolve the config,
/// check the model is served, try the cache, dispatch to the queue and relay the result.
/// </summary>
internal sealed class ChatCompletionHandler(
    CompletionEndpoint endpoint,
    ChoiceLauncher launcher,
    IOptions<GatewayOptions> options,
    GenerationPolicy policy,
    TimeProvider time)
{
    public Task HandleAsync(HttpContext context, ReadOnlyMemory<byte> body) =>
        endpoint.RunAsync(context, "Chat", () => HandleCoreAsync(context, body));

    private async Task HandleCoreAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var validated = ChatRequestValidator.Validate(ChatRequestReader.Read(body));
        var key = context.Features.Get<ApiKeyIdentity>();
        var decision = policy.Decide(context, key?.Name, key?.Policy, validated.Model, validated.Sampling);
        var request = validated with { Model = decision.Model };
        var config = decision.Resolved.Config with { Guidance = request.Guidance };

        var availability = endpoint.RequireServed(request.Model);

        using var activity = GatewayTelemetry.StartChat(request.Model, config, request.Stream, request.User);
        activity.RecordPolicy(decision.KeyName, decision.Profile, decision.Resolved.Adjustments);
        await CompletionEndpoint.TraceErrorsAsync(activity, () => AnswerAsync(context, request, config, availability, activity)).ConfigureAwait(false);
    }

    private async Task AnswerAsync(HttpContext context, ValidatedChatRequest request, GenerationConfig config, ModelAvailability availability, Activity? activity)
    {
        if (request.N > options.Value.MaxChoices)
        {
            throw OpenAIException.InvalidValue("n", $"'n' must be at most {options.Value.MaxChoices} on this server; got {request.N}.");
        }

        var jobs = ChoiceJob.For(0, 0, request.Messages, null, config, request.N).ToList();
        await launcher.AnswerAsync(
            new AnswerRequest(context, ChatWire.Instance, request.Model, jobs, request.Stream, request.IncludeUsage, config.Logprobs,
                // Guided output is the constrained answer itself, with no reasoning before it.
                SplitReasoning: config.Guidance is null && options.Value.SeparateReasoning),
            availability,
            time.GetUtcNow().ToUnixTimeSeconds(),
            activity).ConfigureAwait(false);
    }
}
