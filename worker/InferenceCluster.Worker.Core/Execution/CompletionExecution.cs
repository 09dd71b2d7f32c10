using System.Diagnostics;
using System.Text;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.Worker.Streaming;
using InferenceCluster.Worker.Telemetry;

namespace InferenceCluster.Worker.Execution;

/// <summary>
/// The engine's event stream of one request turned into deltas (streamed) or one accumulated text (not
/// streamed), with a span per phase. Holds what the final message needs once the stream has ended.
/// <paramref name="reasoningModel"/> says whether the engine's model reasons before it answers.
/// </summary>
internal sealed class CompletionExecution(GenerateCompletion message, ReplyWriter reply, TimeProvider time, TimeSpan queueWait, bool reasoningModel)
{
    private ReasoningTokenCounter? _reasoning;
    private readonly StringBuilder? _fullText = message.Stream ? null : new StringBuilder();
    private List<TokenLogprob>? _fullLogprobs;
    private TimeSpan _engineQueued;
    private TimeSpan _prefill;
    private int _promptTokens;
    private int _completionTokens;
    private long _decodeStart;
    private Task? _flushDue;
    private CancellationTokenSource? _flushDueCancel;

    /// <summary>The engine's final event, or null when the stream ended without one.</summary>
    public GenerationCompleted? Outcome { get; private set; }

    public string? FullText => _fullText?.ToString();

    public IReadOnlyList<TokenLogprob>? FullLogprobs => _fullLogprobs;

    /// <summary>A stream's tokens no delta carried when it ended; they go out with the final message.</summary>
    public PendingDelta? Tail { get; private set; }

    /// <summary>Reasoning tokens of a reasoning model's chat turn; null for other models and raw prompts.</summary>
    public int? ReasoningTokens => _reasoning?.Total(Outcome?.Usage.CompletionTokens ?? 0);

    public CompletionTimings Timings => new(queueWait + _engineQueued, _prefill, Outcome?.Decode ?? TimeSpan.Zero);

    /// <summary>
    /// The next engine event. While text is pending and the engine is slow to produce the next token, the
    /// pending text goes out when its flush interval ends instead of waiting for that token. One timer
    /// serves all the tokens of a delta: its deadline depends only on the last flush.
    /// </summary>
    private async Task<bool> NextAsync(IAsyncEnumerator<GenerationEvent> events, DeltaCoalescer coalescer)
    {
        var next = events.MoveNextAsync();
        if (next.IsCompleted || !message.Stream || coalescer.TimeUntilDue is not { } due)
        {
            return await next.ConfigureAwait(false);
        }

        if (_flushDue is null)
        {
            _flushDueCancel = new CancellationTokenSource();
            _flushDue = Task.Delay(due, time, _flushDueCancel.Token);
        }

        var moved = next.AsTask();
        if (await Task.WhenAny(moved, _flushDue).ConfigureAwait(false) == _flushDue && TakeDelta(coalescer) is { } delta)
        {
            try
            {
                await reply.SendDeltaAsync(delta).ConfigureAwait(false);
            }
            catch
            {
                // The enumerator may not be disposed while a step is still running; let that step end first.
                await ((Task)moved).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }
        }

        return await moved.ConfigureAwait(false);
    }

    /// <summary>Takes the pending delta; the flush timer, armed for it, is no longer needed.</summary>
    private PendingDelta? TakeDelta(DeltaCoalescer coalescer)
    {
        StopFlushTimer();
        return coalescer.Flush();
    }

    private void StopFlushTimer()
    {
        if (_flushDueCancel is { } cancel)
        {
            cancel.Cancel();
            cancel.Dispose();
        }

        _flushDueCancel = null;
        _flushDue = null;
    }

    /// <summary>
    /// Reads the stream <paramref name="generate"/> starts. It is started inside the prefill span, so a request
    /// the engine rejects before any work still leaves that span, marked failed.
    /// </summary>
    public async Task RunAsync(Func<IAsyncEnumerable<GenerationEvent>> generate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(generate);
        var coalescer = new DeltaCoalescer(time);

        // A raw prompt (completions API) is not rendered with the template that opens the reasoning.
        // Guided output is constrained from its first token, so it holds no reasoning either.
        _reasoning = reasoningModel && message.Messages is not null && message.Config.Guidance is null
            ? new ReasoningTokenCounter()
            : null;
        var started = time.GetTimestamp();
        var phase = WorkerTelemetry.StartPhase("prefill", message);
        try
        {
            var events = generate().GetAsyncEnumerator(cancellationToken);
            await using var eventsScope = events.ConfigureAwait(false);
            while (await NextAsync(events, coalescer).ConfigureAwait(false))
            {
                var generationEvent = events.Current;
                if (generationEvent is TokenGenerated generated)
                {
                    _reasoning?.Add(generated.Text);
                    if (++_completionTokens == 1)
                    {
                        WorkerMetrics.RecordFirstToken(time.GetElapsedTime(started), WorkerTelemetry.OperationName(message), message.Model);
                    }
                }

                switch (generationEvent)
                {
                    case PrefillCompleted prefill:
                        _engineQueued = prefill.Queued;
                        _prefill = prefill.Prefill;
                        _promptTokens = prefill.PromptTokens;
                        _decodeStart = time.GetTimestamp();
                        phase?.SetTag(GenAiAttributes.UsageInputTokens, prefill.PromptTokens);
                        phase?.SetTag(GenAiAttributes.EngineQueued, prefill.Queued.TotalMilliseconds);
                        phase?.Dispose();
                        phase = WorkerTelemetry.StartPhase("decode", message);
                        break;

                    case TokenGenerated token when message.Stream:
                        if (coalescer.Add(token) && TakeDelta(coalescer) is { } delta)
                        {
                            await reply.SendDeltaAsync(delta).ConfigureAwait(false);
                        }

                        break;

                    case TokenGenerated token:
                        _fullText!.Append(token.Text);
                        if (token.Logprob is { } logprob)
                        {
                            (_fullLogprobs ??= []).Add(logprob);
                        }

                        break;

                    case GenerationCompleted completed:
                        Outcome = completed;
                        break;
                }
            }

            if (Outcome is { FinishReason: not GenerationFinishReason.Error } outcome)
            {
                WorkerTelemetry.TagUsage(phase, outcome.Usage, FinishReasons.ToContract(outcome.FinishReason), outcome.MaxTokens, outcome.MinTokens);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && Outcome is null)
        {
            // The engine may end a cancelled stream by throwing rather than with a final event; both mean the same.
            Outcome = new GenerationCompleted(
                GenerationFinishReason.Cancelled,
                new CompletionUsage(_promptTokens, _completionTokens, 0),
                _decodeStart == 0 ? TimeSpan.Zero : time.GetElapsedTime(_decodeStart));
        }
        catch (Exception exception)
        {
            phase?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        finally
        {
            StopFlushTimer();

            // Not a delta of its own: the final message carries it, so a stream's deltas stay one per flush interval.
            Tail = message.Stream ? coalescer.TakeRest() : null;
            phase?.Dispose();
        }
    }
}
