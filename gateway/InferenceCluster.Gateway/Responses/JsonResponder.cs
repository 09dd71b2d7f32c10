using System.Text;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Responses;

/// <summary>Answers a non-streamed request with one JSON object holding every choice, in index order.</summary>
internal static class JsonResponder
{
    public static async Task<IReadOnlyList<ChoiceResult>> RunAsync(CompletionExchange exchange, IReadOnlyList<ChoiceRun> runs)
    {
        // All choices were dispatched up front and run in parallel on the workers; collecting them in order costs nothing.
        var results = new List<ChoiceResult>(runs.Count);
        foreach (var run in runs)
        {
            results.Add(await CollectAsync(exchange, run).ConfigureAwait(false));
        }

        await exchange.Wire.WriteResponseAsync(exchange, results, ChoiceUsage.Sum(results, exchange.SplitReasoning, exchange.ShowsCachedTokens)).ConfigureAwait(false);
        return results;
    }

    private static async Task<ChoiceResult> CollectAsync(CompletionExchange exchange, ChoiceRun run)
    {
        // A worker sends no deltas for a non-streamed request, but deltas would still be text of this answer.
        var text = new StringBuilder();
        List<TokenLogprob>? logprobs = null;
        while (true)
        {
            var reply = await run.ReadAsync().ConfigureAwait(false);
            if (reply.Delta is { } delta)
            {
                text.Append(delta.Text());
                if (delta.Logprobs is not null)
                {
                    (logprobs ??= []).AddRange(delta.Logprobs);
                }
            }
            else if (reply.Failed is { } failed)
            {
                throw WorkerFailureMapper.ToException(failed, exchange.ClientParam);
            }
            else if (reply.Finished is { } finished)
            {
                return new ChoiceResult(
                    run.Job,
                    finished.Text ?? text.ToString(),
                    finished.FinishReason,
                    finished.Usage,
                    finished.ReasoningTokens,
                    finished.ModelRevision,
                    finished.WorkerId,
                    finished.Logprobs ?? logprobs,
                    run.FromCache,
                    finished.MaxTokens);
            }
        }
    }
}
