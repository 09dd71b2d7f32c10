using System.Text;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Caching;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>Answers a non-streamed request with one <c>chat.completion</c> object.</summary>
internal static class JsonChatResponder
{
    public static async Task<CompletionOutcome> RunAsync(ChatExchange exchange, CompletionSession session)
    {
        // A worker sends no deltas for a non-streamed request, but deltas would still be text of this answer.
        var text = new StringBuilder();
        List<TokenLogprob>? logprobs = null;
        while (true)
        {
            var reply = await session.ReadAsync().ConfigureAwait(false);
            if (reply.Delta is { } delta)
            {
                text.Append(delta.Text);
                if (delta.Logprobs is not null)
                {
                    (logprobs ??= []).AddRange(delta.Logprobs);
                }
            }
            else if (reply.Failed is { } failed)
            {
                throw WorkerFailureMapper.ToException(failed);
            }
            else if (reply.Finished is { } finished)
            {
                var outcome = new CompletionOutcome(
                    finished.Text ?? text.ToString(),
                    finished.FinishReason,
                    finished.Usage,
                    finished.ModelRevision,
                    finished.WorkerId,
                    finished.Logprobs ?? logprobs);
                await WriteAsync(exchange, outcome.Text, outcome.FinishReason, outcome.Usage, outcome.Logprobs).ConfigureAwait(false);
                return outcome;
            }
        }
    }

    public static Task ReplayAsync(ChatExchange exchange, CachedCompletion cached) =>
        WriteAsync(exchange, cached.Text, cached.FinishReason, new CompletionUsage(cached.PromptTokens, cached.CompletionTokens, 0), cached.Logprobs);

    private static Task WriteAsync(ChatExchange exchange, string text, FinishReason finishReason, CompletionUsage usage, IReadOnlyList<TokenLogprob>? logprobs)
    {
        var response = ChatResponseFactory.Completion(
            exchange.Id,
            exchange.Request.Model,
            exchange.Created,
            text,
            finishReason,
            usage.PromptTokens,
            usage.CompletionTokens,
            usage.CachedPromptTokens,
            exchange.Config.Logprobs ? logprobs ?? [] : null);
        return exchange.Http.Response.WriteAsJsonAsync(
            response, OpenAIJsonContext.Wire.ChatCompletionResponse, contentType: "application/json", exchange.Aborted);
    }
}
