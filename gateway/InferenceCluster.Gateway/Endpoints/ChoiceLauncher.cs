using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Auth;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Policy;
using InferenceCluster.Gateway.Responses;
using InferenceCluster.Gateway.Telemetry;
using InferenceCluster.Gateway.Workers;
using MassTransit;

namespace InferenceCluster.Gateway.Endpoints;

/// <summary>
/// Starts every choice of a request: each deterministic choice is looked up in the cache first, the rest are
/// dispatched at once (so they run in parallel on the workers); finished choices are stored afterwards.
/// </summary>
internal sealed class ChoiceLauncher(CompletionDispatcher dispatcher, ICompletionCache cache, ModelAdmission admission)
{
    public async Task<List<ChoiceRun>> StartAsync(
        string scope, string model, ModelAvailability availability, IReadOnlyList<ChoiceJob> jobs, bool stream, Activity? activity, CancellationToken aborted)
    {
        var runs = new List<ChoiceRun>(jobs.Count);
        var hits = 0;
        var cacheable = 0;
        try
        {
            foreach (var job in jobs)
            {
                // Unseeded sampling must differ per call; workers disagreeing on the revision have no single answer.
                if (CompletionCacheKey.IsCacheable(job.Config) && availability.Revision is { } revision)
                {
                    cacheable++;
                    var cached = await cache.GetAsync(Key(scope, model, revision, job), aborted).ConfigureAwait(false);
                    GatewayMetrics.RecordCacheLookup(model, hit: cached is not null);
                    if (cached is not null)
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
                await run.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        activity.RecordCache(cacheable < jobs.Count ? "bypass" : hits == jobs.Count ? "hit" : "miss");
        return runs;
    }

    /// <summary>Starts the choices, answers as JSON or a stream, records the result and stores what may be cached.</summary>
    public async Task AnswerAsync(AnswerRequest answer, ModelAvailability availability, long created, Activity? activity)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var started = Stopwatch.GetTimestamp();
        string? errorType = "failed_in_stream";
        IReadOnlyList<ChoiceResult>? results = null;
        try
        {
            results = await RunAsync(answer, availability, created, activity).ConfigureAwait(false);
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
            var operation = answer.Wire.OperationName;
            GatewayMetrics.RecordOperation(
                operation, answer.Model, Stopwatch.GetElapsedTime(started), results is null ? null : ChatIds.FinishReason(results[0].FinishReason), errorType);
            if (results is not null)
            {
                var usage = ChoiceUsage.Sum(results, reasoning: false);
                GatewayMetrics.RecordTokens(operation, answer.Model, usage.PromptTokens, usage.CompletionTokens);
                // Cached answers are repeats and cancelled ones were cut short: neither says how the config behaves.
                foreach (var result in results.Where(result => !result.FromCache && result.FinishReason != FinishReason.Cancelled))
                {
                    StabilitySignals.Record(
                        answer.Model,
                        answer.Profile,
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
    private async Task<IReadOnlyList<ChoiceResult>?> RunAsync(AnswerRequest answer, ModelAvailability availability, long created, Activity? activity)
    {
        var scope = CacheScope.For(answer.Http.Features.Get<ApiKeyIdentity>());
        var runs = await StartAsync(scope, answer.Model, availability, answer.Jobs, answer.Stream, activity, answer.Http.RequestAborted).ConfigureAwait(false);
        try
        {
            var id = runs.FirstOrDefault(run => !run.FromCache)?.RequestId ?? NewId.NextGuid();
            activity.RecordRequestId(id);
            var exchange = new CompletionExchange(
                answer.Http, answer.Wire, answer.Model, id, created, availability.Revision,
                answer.IncludeUsage, answer.Logprobs, answer.SplitReasoning && availability.IsReasoningModel);
            var results = answer.Stream
                ? await StreamingResponder.RunAsync(exchange, runs).ConfigureAwait(false)
                : await JsonResponder.RunAsync(exchange, runs).ConfigureAwait(false);
            if (results is null)
            {
                activity.RecordError("failed_in_stream", "The request failed after its stream started; the error went out as a stream event.");
                return null;
            }

            var usage = ChoiceUsage.Sum(results, reasoning: false);
            activity.RecordResult(results[0].FinishReason, usage.PromptTokens, usage.CompletionTokens, results[0].WorkerId);
            await StoreAsync(scope, answer.Model, results).ConfigureAwait(false);
            return results;
        }
        finally
        {
            foreach (var run in runs)
            {
                await run.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task StoreAsync(string scope, string model, IReadOnlyList<ChoiceResult> results)
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

    private static string Key(string scope, string model, string revision, ChoiceJob job) =>
        CompletionCacheKey.Compute(scope, model, revision, job.Messages, job.Prompt, job.Config);
}
