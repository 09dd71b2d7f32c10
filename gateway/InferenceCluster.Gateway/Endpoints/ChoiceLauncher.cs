using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Responses;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Workers;
using MassTransit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Endpoints;

/// <summary>
/// Answers a validated request whose config is decided: makes its choices, starts every one (each deterministic
/// choice is looked up in the cache first, the rest are dispatched at once, so they run in parallel on the workers),
/// relays the answer as JSON or a stream, and stores the finished choices that may be cached.
/// </summary>
internal sealed class ChoiceLauncher(
    CompletionDispatcher dispatcher, ICompletionCache cache, ModelAdmission admission, IOptions<GatewayOptions> options, TimeProvider time)
{
    /// <returns>The runs, one per choice, and the request's <see cref="CacheOutcome"/>.</returns>
    private async Task<(List<ChoiceRun> Runs, string Cache)> StartAsync(
        string scope, string model, ModelAvailability availability, IReadOnlyList<ChoiceJob> jobs, bool stream, CancellationToken aborted)
    {
        var runs = new List<ChoiceRun>(jobs.Count);
        var hits = 0;
        var lookedUp = 0;
        try
        {
            foreach (var job in jobs)
            {
                // Unseeded sampling must differ per call; workers disagreeing on the revision have no single answer.
                if (CompletionCacheKey.IsCacheable(job.Config) && availability.Revision is { } revision)
                {
                    var lookup = await cache.GetAsync(Key(scope, model, revision, job), aborted).ConfigureAwait(false);
                    if (lookup.Consulted)
                    {
                        // A cache that could not be asked is not a miss: the answer then says bypass.
                        lookedUp++;
                        GatewayMetrics.RecordCacheLookup(model, hit: lookup.Entry is not null);
                    }

                    if (lookup.Entry is { } cached)
                    {
                        hits++;
                        runs.Add(ChoiceRun.Cached(job, cached));
                        continue;
                    }
                }

                // Cache hits take no slot: only generations occupy the model's in-flight limit.
                var slot = admission.Enter(model);
                try
                {
                    var session = await dispatcher.StartAsync(model, job.Messages, job.Prompt, job.Config, stream, aborted).ConfigureAwait(false);
                    runs.Add(ChoiceRun.Dispatched(job, session, slot));
                }
                catch
                {
                    slot.Dispose();
                    throw;
                }
            }
        }
        catch
        {
            foreach (var run in runs)
            {
                run.Dispose();
            }

            throw;
        }

        return (runs, CacheOutcome.Of(jobs.Count, lookedUp, hits));
    }

    /// <summary>Starts the choices, answers as JSON or a stream, records the result and stores what may be cached.</summary>
    /// <param name="http">The request.</param>
    /// <param name="wire">The shape of the answer.</param>
    /// <param name="request">The request, validated, with the model its profile suffix named.</param>
    /// <param name="config">The config the policy decided.</param>
    /// <param name="profile">The profile the request named, which labels the stability measurements.</param>
    /// <param name="availability">The model's workers.</param>
    /// <param name="activity">The request's span.</param>
    public async Task AnswerAsync(
        HttpContext http, ICompletionWire wire, ValidatedRequest request, GenerationConfig config, string? profile, ModelAvailability availability, Activity? activity)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(wire);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(config);
        // Beyond the in-flight limit a request's choices could never all be admitted: a 400 now, not a 429 retried forever.
        var maxChoices = admission.Limit > 0 ? Math.Min(options.Value.MaxChoices, admission.Limit) : options.Value.MaxChoices;
        var jobs = Jobs(request, config, maxChoices);
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        var started = Stopwatch.GetTimestamp();
        string? errorType = "failed_in_stream";
        IReadOnlyList<ChoiceResult>? results = null;
        try
        {
            results = await RunAsync(http, wire, request, config, jobs, availability, created, activity).ConfigureAwait(false);
            errorType = null;
        }
        catch (OpenAIException error)
        {
            errorType = error.Code ?? error.Type;
            throw;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            errorType = "client_left";
            throw;
        }
        finally
        {
            var operation = wire.OperationName;
            GatewayMetrics.RecordOperation(
                operation, request.Model, Stopwatch.GetElapsedTime(started), results is null ? null : ChatIds.FinishReason(results[0].FinishReason), errorType);
            if (results is not null)
            {
                var usage = ChoiceUsage.Sum(results, reasoning: false, cachedTokens: false);
                GatewayMetrics.RecordTokens(operation, request.Model, usage.PromptTokens, usage.CompletionTokens);
                // Cached answers are repeats and cancelled ones were cut short: neither says how the config behaves.
                foreach (var result in results.Where(result => !result.FromCache && result.FinishReason != FinishReason.Cancelled))
                {
                    StabilitySignals.Record(
                        request.Model,
                        profile,
                        result.Job.Config,
                        result.FinishReason,
                        result.Usage.CompletionTokens,
                        result.Text,
                        result.Logprobs,
                        reasoningChat: availability.IsReasoningModel && result.Job.Messages is not null);
                }
            }
        }
    }

    /// <returns>The finished choices, or null when the request failed after its stream started.</returns>
    private async Task<IReadOnlyList<ChoiceResult>?> RunAsync(
        HttpContext http,
        ICompletionWire wire,
        ValidatedRequest request,
        GenerationConfig config,
        List<ChoiceJob> jobs,
        ModelAvailability availability,
        long created,
        Activity? activity)
    {
        var model = request.Model;
        var scope = CacheScope.For(http.Features.Get<ApiKeyIdentity>());
        var (runs, cacheOutcome) = await StartAsync(scope, model, availability, jobs, request.Stream, http.RequestAborted).ConfigureAwait(false);
        activity.RecordCache(CacheOutcome.ForTrace(cacheOutcome));
        http.Response.Headers[CacheOutcome.HeaderName] = cacheOutcome;
        try
        {
            var id = runs.FirstOrDefault(run => !run.FromCache)?.RequestId ?? NewId.NextGuid();
            activity.RecordRequestId(id);

            // Guided output is the constrained answer itself, with no reasoning before it; text completions are raw.
            var splitReasoning = request.Messages is not null && config.Guidance is null && options.Value.SeparateReasoning;
            var exchange = new CompletionExchange(
                http, wire, model, id, created, availability.Revision,
                request.IncludeUsage, config.Logprobs, splitReasoning && availability.IsReasoningModel, request.MaxTokensParam)
            {
                ShowsCachedTokens = scope == CacheScope.Open,
            };
            var results = request.Stream
                ? await StreamingResponder.RunAsync(exchange, runs).ConfigureAwait(false)
                : await JsonResponder.RunAsync(exchange, runs).ConfigureAwait(false);
            if (results is null)
            {
                activity.RecordError("failed_in_stream", "The request failed after its stream started; the error went out as a stream event.");
                return null;
            }

            var usage = ChoiceUsage.Sum(results, reasoning: false, cachedTokens: false);
            activity.RecordResult(results[0].FinishReason, usage.PromptTokens, usage.CompletionTokens, results[0].WorkerId);
            await StoreAsync(scope, model, results).ConfigureAwait(false);
            return results;
        }
        finally
        {
            // At once, whatever the broker's pace: capacity comes back before the client hears the end, and the cancels
            // of choices still running go out in the background, so neither an error nor a stream's end waits for them.
            foreach (var run in runs)
            {
                run.Dispose();
            }
        }
    }

    private async Task StoreAsync(string scope, string model, IReadOnlyList<ChoiceResult> results)
    {
        foreach (var result in results)
        {
            if (result.FromCache
                || !CompletionCacheKey.IsCacheable(result.Job.Config)
                || result.FinishReason == FinishReason.Cancelled
                || string.IsNullOrEmpty(result.ModelRevision))
            {
                continue;
            }

            // Keyed by the revision that actually produced the text, which is what a later lookup must match.
            await cache.SetAsync(
                Key(scope, model, result.ModelRevision, result.Job),
                new CachedCompletion(
                    result.Text, result.FinishReason, result.Usage.PromptTokens, result.Usage.CompletionTokens, result.ModelRevision, result.Logprobs, result.ReasoningTokens),
                CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Each prompt's (or the chat's) n choices, numbered prompt by prompt, within <c>Gateway:MaxChoices</c>.</summary>
    private static List<ChoiceJob> Jobs(ValidatedRequest request, GenerationConfig config, int max)
    {
        if (request.Messages is { } messages)
        {
            return request.N > max
                ? throw OpenAIException.InvalidValue("n", $"'n' must be at most {max} on this server; got {request.N}.")
                : [.. ChoiceJob.For(0, messages, null, config, request.N)];
        }

        var prompts = request.Prompts ?? [];
        if (prompts.Count > max)
        {
            throw OpenAIException.InvalidValue("prompt", $"At most {max} prompts per request on this server; got {prompts.Count}.");
        }

        // In long: a huge n times several prompts must not wrap around to a small number.
        var choices = (long)request.N * prompts.Count;
        if (choices > max)
        {
            throw OpenAIException.InvalidValue("n", $"'n' times the number of prompts must be at most {max} on this server; got {choices}.");
        }

        return [.. prompts.SelectMany((prompt, p) => ChoiceJob.For(p * request.N, null, prompt, config, request.N))];
    }

    private static string Key(string scope, string model, string revision, ChoiceJob job) =>
        CompletionCacheKey.Compute(scope, model, revision, job.Messages, job.Prompt, job.Config);
}
