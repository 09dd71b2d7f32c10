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
/// Answers <c>POST /v1/completions</c> for a model of the worker pool: raw prompts (no chat template), one or
/// several, each with n choices numbered prompt by prompt; otherwise exactly as a chat request.
/// </summary>
internal sealed class TextCompletionHandler(
    CompletionEndpoint endpoint,
    ChoiceLauncher launcher,
    IOptions<GatewayOptions> options,
    GenerationPolicy policy,
    TimeProvider time)
{
    public Task HandleAsync(HttpContext context, ReadOnlyMemory<byte> body) =>
        endpoint.RunAsync(context, "Completions", () => HandleCoreAsync(context, body));

    private async Task HandleCoreAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        var validated = CompletionRequestValidator.Validate(CompletionRequestValidator.Read(body));
        var key = context.Features.Get<ApiKeyIdentity>();
        var decision = policy.Decide(context, key?.Name, key?.Policy, validated.Model, validated.Sampling);
        var request = validated with { Model = decision.Model };
        var config = decision.Resolved.Config;

        var availability = endpoint.RequireServed(request.Model);

        using var activity = GatewayTelemetry.StartChat(request.Model, config, request.Stream, request.User, "text_completion");
        activity.RecordPolicy(decision.KeyName, decision.Profile, decision.Resolved.Adjustments);
        await CompletionEndpoint.TraceErrorsAsync(activity, () => AnswerAsync(context, request, config, availability, activity)).ConfigureAwait(false);
    }

    private async Task AnswerAsync(HttpContext context, ValidatedCompletionRequest request, GenerationConfig config, ModelAvailability availability, Activity? activity)
    {
        var max = options.Value.MaxChoices;
        if (request.Prompts.Count > max)
        {
            throw OpenAIException.InvalidValue("prompt", $"At most {max} prompts per request on this server; got {request.Prompts.Count}.");
        }

        // In long: a huge n times several prompts must not wrap around to a small number.
        var choices = (long)request.N * request.Prompts.Count;
        if (choices > max)
        {
            throw OpenAIException.InvalidValue("n", $"'n' times the number of prompts must be at most {max} on this server; got {choices}.");
        }

        var jobs = request.Prompts
            .SelectMany((prompt, p) => ChoiceJob.For(p * request.N, p, null, prompt, config, request.N))
            .ToList();
        await launcher.AnswerAsync(
            new AnswerRequest(context, TextCompletionWire.Instance, request.Model, jobs, request.Stream, request.IncludeUsage, config.Logprobs, SplitReasoning: false),
            availability,
            time.GetUtcNow().ToUnixTimeSeconds(),
            activity).ConfigureAwait(false);
    }
}
