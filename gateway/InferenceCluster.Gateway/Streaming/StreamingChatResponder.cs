using System.Text;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>
/// Answers a streamed request with <c>chat.completion.chunk</c> events: the role first, then one chunk per
/// delta (flushed at once), the finish reason, the usage when asked, then <c>[DONE]</c>.
/// </summary>
internal static class StreamingChatResponder
{
    /// <summary>Streams the replies; returns the outcome, or null when the request failed (reported in the stream).</summary>
    public static async Task<CompletionOutcome?> RunAsync(ChatExchange exchange, CompletionSession session)
    {
        // Waiting for the first reply before sending headers lets an immediate failure (a prompt too long,
        // a setting the model rejects) reach the client as a proper HTTP status instead of a stream event.
        var reply = await session.ReadAsync().ConfigureAwait(false);
        if (reply.Failed is { } early)
        {
            throw WorkerFailureMapper.ToException(early);
        }

        var response = exchange.Http.Response;
        await SseWriter.StartAsync(response, exchange.Aborted).ConfigureAwait(false);
        await WriteChunkAsync(exchange, ChatResponseFactory.RoleChunk(exchange.Id, exchange.Request.Model, exchange.Created)).ConfigureAwait(false);

        var text = new StringBuilder();
        List<TokenLogprob>? logprobs = null;
        try
        {
            while (true)
            {
                if (reply.Delta is { } delta)
                {
                    text.Append(delta.Text);
                    if (delta.Logprobs is not null)
                    {
                        (logprobs ??= []).AddRange(delta.Logprobs);
                    }

                    await WriteChunkAsync(exchange, ChatResponseFactory.ContentChunk(
                        exchange.Id, exchange.Request.Model, exchange.Created, delta.Text, LogprobsOf(exchange, delta.Logprobs))).ConfigureAwait(false);
                }
                else if (reply.Failed is { } failed)
                {
                    await SseWriter.WriteErrorAsync(response, WorkerFailureMapper.ToException(failed), exchange.Aborted).ConfigureAwait(false);
                    return null;
                }
                else if (reply.Finished is { } finished)
                {
                    // A worker that did not split its answer into deltas sends it whole in the final message.
                    if (text.Length == 0 && !string.IsNullOrEmpty(finished.Text))
                    {
                        text.Append(finished.Text);
                        logprobs ??= finished.Logprobs?.ToList();
                        await WriteChunkAsync(exchange, ChatResponseFactory.ContentChunk(
                            exchange.Id, exchange.Request.Model, exchange.Created, finished.Text, LogprobsOf(exchange, finished.Logprobs))).ConfigureAwait(false);
                    }

                    await FinishAsync(exchange, finished.FinishReason, finished.Usage).ConfigureAwait(false);
                    return new CompletionOutcome(text.ToString(), finished.FinishReason, finished.Usage, finished.ModelRevision, finished.WorkerId, logprobs);
                }

                reply = await session.ReadAsync().ConfigureAwait(false);
            }
        }
        catch (OpenAIException error)
        {
            await SseWriter.WriteErrorAsync(response, error, exchange.Aborted).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Replays a cached result as a stream: the same event shapes, the text in one chunk.</summary>
    public static async Task ReplayAsync(ChatExchange exchange, CachedCompletion cached)
    {
        await SseWriter.StartAsync(exchange.Http.Response, exchange.Aborted).ConfigureAwait(false);
        await WriteChunkAsync(exchange, ChatResponseFactory.RoleChunk(exchange.Id, exchange.Request.Model, exchange.Created)).ConfigureAwait(false);
        if (cached.Text.Length > 0)
        {
            await WriteChunkAsync(exchange, ChatResponseFactory.ContentChunk(
                exchange.Id, exchange.Request.Model, exchange.Created, cached.Text, LogprobsOf(exchange, cached.Logprobs))).ConfigureAwait(false);
        }

        await FinishAsync(exchange, cached.FinishReason, new CompletionUsage(cached.PromptTokens, cached.CompletionTokens, 0)).ConfigureAwait(false);
    }

    private static async Task FinishAsync(ChatExchange exchange, FinishReason finishReason, CompletionUsage usage)
    {
        await WriteChunkAsync(exchange, ChatResponseFactory.FinishChunk(exchange.Id, exchange.Request.Model, exchange.Created, finishReason)).ConfigureAwait(false);
        if (exchange.Request.IncludeUsage)
        {
            await WriteChunkAsync(exchange, ChatResponseFactory.UsageChunk(
                exchange.Id, exchange.Request.Model, exchange.Created, usage.PromptTokens, usage.CompletionTokens, usage.CachedPromptTokens)).ConfigureAwait(false);
        }

        await SseWriter.WriteDoneAsync(exchange.Http.Response, exchange.Aborted).ConfigureAwait(false);
    }

    private static IReadOnlyList<TokenLogprob>? LogprobsOf(ChatExchange exchange, IReadOnlyList<TokenLogprob>? logprobs) =>
        exchange.Config.Logprobs ? logprobs ?? [] : null;

    private static Task WriteChunkAsync(ChatExchange exchange, ChatCompletionChunk chunk) =>
        SseWriter.WriteAsync(exchange.Http.Response, chunk, OpenAIJsonContext.Wire.ChatCompletionChunk, exchange.Aborted);
}
