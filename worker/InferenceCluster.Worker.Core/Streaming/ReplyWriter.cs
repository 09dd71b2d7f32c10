using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Worker.Streaming;

/// <summary>
/// Sends a request's results to its reply address with the token positions they cover: each delta starts where
/// the one before ended, and the final message, carrying a stream's last tokens, ends at the position after the
/// last token (a failure message at the position after the last delta the broker took: a gateway holds a reply that
/// starts past what it has received until the gap is filled, and a delta whose send failed never fills it).
/// </summary>
internal sealed class ReplyWriter(ISendEndpoint endpoint, Uri replyAddress, Guid requestId, string workerId, CancellationToken cancellationToken)
{
    /// <summary>Longest wait for one reply to be sent; a healthy broker takes milliseconds.</summary>
    internal static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private int _position;

    /// <summary>The position after the last delta whose send completed.</summary>
    private int _delivered;

    /// <summary>How many deltas went out so far.</summary>
    public long DeltasSent { get; private set; }

    /// <summary>The finish reason or failure code sent last; null until a final or failure message went out.</summary>
    public string? Outcome { get; private set; }

    public async Task SendDeltaAsync(PendingDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var message = new CompletionDelta
        {
            RequestId = requestId,
            Position = _position,
            Tokens = delta.Tokens,
            Logprobs = delta.Logprobs,
        };
        _position += delta.TokenCount;
        DeltasSent++;
        await SendAsync(message).ConfigureAwait(false);
        _delivered = _position;
    }

    public Task SendFinishedAsync(
        FinishReason finishReason,
        CompletionUsage usage,
        CompletionTimings timings,
        string modelRevision,
        string? text,
        IReadOnlyList<TokenLogprob>? logprobs,
        PendingDelta? tail = null,
        int? reasoningTokens = null,
        int? maxTokens = null)
    {
        _position += tail?.TokenCount ?? 0;
        var message = new CompletionFinished
        {
            RequestId = requestId,
            Position = _position,
            Tokens = tail?.Tokens,
            FinishReason = finishReason,
            Usage = usage,
            Timings = timings,
            WorkerId = workerId,
            ModelRevision = modelRevision,
            Text = text,
            Logprobs = tail is null ? logprobs : tail.Logprobs,
            ReasoningTokens = reasoningTokens,
            MaxTokens = maxTokens,
        };
        Outcome = finishReason.ToString().ToLowerInvariant();
        return SendAsync(message);
    }

    /// <summary>
    /// Sends the request's failure; <paramref name="cancellation"/>, when given, ends the send instead of the consume's
    /// own token, so that a failure told after the consume was cancelled still goes out.
    /// </summary>
    public Task SendFailedAsync(string code, string message, string? param, bool retryable, CancellationToken? cancellation = null)
    {
        var failure = new CompletionFailed
        {
            RequestId = requestId,
            Position = _delivered,
            Code = code,
            Message = message,
            Param = param,
            Retryable = retryable,
            WorkerId = workerId,
        };
        Outcome = code;
        return SendAsync(failure, cancellation ?? cancellationToken);
    }

    private Task SendAsync<T>(T message)
        where T : class => SendAsync(message, cancellationToken);

    private async Task SendAsync<T>(T message, CancellationToken token)
        where T : class
    {
        // Bounded: a send begun as the broker restarts can hang for minutes; failing it leaves the command
        // unacknowledged on a dead channel, so the broker redelivers it.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(token);
        bounded.CancelAfter(SendTimeout);
        try
        {
            await endpoint.Send(message, bounded.Token).WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException timedOut) when (!token.IsCancellationRequested)
        {
            throw new ReplyDeliveryException(replyAddress, new TimeoutException($"The send did not finish within {SendTimeout.TotalSeconds:0} s.", timedOut));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new ReplyDeliveryException(replyAddress, exception);
        }
    }
}
