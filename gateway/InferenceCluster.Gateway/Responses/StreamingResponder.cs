using System.Text;
using System.Threading.Channels;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Dispatch;
using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.OpenAI.Reasoning;
using InferenceCluster.Gateway.Streaming;

namespace InferenceCluster.Gateway.Responses;

/// <summary>
/// Answers a streamed request: the replies of all choices interleave as they arrive, each event carrying its
/// choice index; each choice ends with its finish reason; then the usage when asked, then <c>[DONE]</c>.
/// </summary>
internal static class StreamingResponder
{
    /// <summary>Streams the replies; returns the results, or null when the request failed (reported in the stream).</summary>
    public static async Task<IReadOnlyList<ChoiceResult>?> RunAsync(CompletionExchange exchange, IReadOnlyList<ChoiceRun> runs)
    {
        using var stop = new CancellationTokenSource();
        var merged = Channel.CreateUnbounded<(int Slot, ReplyEvent? Reply, Exception? Error)>();
        var pumps = runs.Select((run, slot) => PumpAsync(run, slot, merged.Writer, stop.Token)).ToArray();
        try
        {
            return await RelayAsync(exchange, runs, merged.Reader).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pumps).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<ChoiceResult>?> RelayAsync(
        CompletionExchange exchange, IReadOnlyList<ChoiceRun> runs, ChannelReader<(int Slot, ReplyEvent? Reply, Exception? Error)> merged)
    {
        // Waiting for the first reply before sending headers lets an immediate failure (a prompt too long, a
        // setting the model rejects) reach the client as a proper HTTP status instead of a stream event.
        var next = await merged.ReadAsync(exchange.Aborted).ConfigureAwait(false);
        ThrowIfFailed(exchange, next);

        var response = exchange.Http.Response;
        await SseWriter.StartAsync(response, exchange.Aborted).ConfigureAwait(false);
        await exchange.Wire.WriteStartAsync(exchange, [.. runs.Select(run => run.Job.Index)]).ConfigureAwait(false);

        var choices = runs.Select(run => new ChoiceState(run.Job, exchange.SplitReasoning)).ToArray();
        var results = new ChoiceResult?[runs.Count];
        try
        {
            var open = runs.Count;
            while (true)
            {
                ThrowIfFailed(exchange, next);
                var (slot, reply, _) = next;
                var state = choices[slot];
                if (reply!.Delta is { } delta)
                {
                    await state.WriteAsync(exchange, delta.Text(), delta.Logprobs).ConfigureAwait(false);
                }
                else if (reply.Finished is { } finished)
                {
                    // A worker that did not split its answer into deltas (or a cached answer) sends it whole here.
                    if (state.Text.Length == 0 && !string.IsNullOrEmpty(finished.Text))
                    {
                        await state.WriteAsync(exchange, finished.Text, finished.Logprobs).ConfigureAwait(false);
                    }

                    await state.FlushAsync(exchange).ConfigureAwait(false);
                    await exchange.Wire.WriteFinishAsync(exchange, state.Job.Index, finished.FinishReason, finished.MaxTokens).ConfigureAwait(false);
                    results[slot] = new ChoiceResult(
                        state.Job, state.Text.ToString(), finished.FinishReason, finished.Usage, finished.ReasoningTokens,
                        finished.ModelRevision, finished.WorkerId, state.Logprobs, runs[slot].FromCache, finished.MaxTokens);
                    if (--open == 0)
                    {
                        break;
                    }
                }

                next = await merged.ReadAsync(exchange.Aborted).ConfigureAwait(false);
            }
        }
        catch (OpenAIException error)
        {
            await exchange.Wire.WriteStreamErrorAsync(exchange, error).ConfigureAwait(false);
            return null;
        }

        var done = results.Select(result => result!).ToList();
        if (exchange.IncludeUsage)
        {
            await exchange.Wire.WriteUsageAsync(exchange, ChoiceUsage.Sum(done, exchange.SplitReasoning, exchange.ShowsCachedTokens)).ConfigureAwait(false);
        }

        await exchange.Wire.WriteEndAsync(exchange).ConfigureAwait(false);
        return done;
    }

    private static void ThrowIfFailed(CompletionExchange exchange, (int Slot, ReplyEvent? Reply, Exception? Error) next)
    {
        if (next.Error is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        }

        if (next.Reply?.Failed is { } failed)
        {
            throw WorkerFailureMapper.ToException(failed, exchange.ClientParam);
        }
    }

    private static async Task PumpAsync(ChoiceRun run, int slot, ChannelWriter<(int, ReplyEvent?, Exception?)> writer, CancellationToken stop)
    {
        await Task.Yield();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var reply = await run.ReadAsync(stop).ConfigureAwait(false);
                writer.TryWrite((slot, reply, null));
                if (reply.IsTerminal)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The relay is done with this choice (another one failed, or the response ended).
        }
        catch (Exception ex)
        {
            writer.TryWrite((slot, null, ex));
        }
    }

    /// <summary>One choice's progress: its text so far and, for a reasoning model, where the reasoning ends.</summary>
    private sealed class ChoiceState(ChoiceJob job, bool splitReasoning)
    {
        private readonly ReasoningSplitter? _splitter = splitReasoning ? new ReasoningSplitter() : null;

        public ChoiceJob Job { get; } = job;

        public StringBuilder Text { get; } = new();

        public List<TokenLogprob>? Logprobs { get; private set; }

        public Task WriteAsync(CompletionExchange exchange, string text, IReadOnlyList<TokenLogprob>? logprobs)
        {
            Text.Append(text);
            if (logprobs is not null)
            {
                (Logprobs ??= []).AddRange(logprobs);
            }

            var piece = _splitter?.Add(text) ?? new ReasoningPiece(string.Empty, text);

            // A piece held back (a possible tag) still delivers its log-probabilities now.
            return piece.IsEmpty && !(exchange.Logprobs && logprobs is { Count: > 0 })
                ? Task.CompletedTask
                : exchange.Wire.WriteTextAsync(exchange, Job.Index, piece, logprobs);
        }

        public Task FlushAsync(CompletionExchange exchange)
        {
            if (_splitter is null)
            {
                return Task.CompletedTask;
            }

            var rest = _splitter.Flush();
            return rest.IsEmpty ? Task.CompletedTask : exchange.Wire.WriteTextAsync(exchange, Job.Index, rest, null);
        }
    }
}
