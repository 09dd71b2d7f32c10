using InferenceCluster.Contracts;
using MassTransit;

namespace InferenceCluster.Worker.Streaming;

/// <summary>
/// Sends a request's results to its reply address and numbers them: deltas 0, 1, 2, … without gaps,
/// then one final or failure message whose sequence is the number of deltas sent.
/// </summary>
internal sealed class ReplyWriter(ISendEndpoint endpoint, Uri replyAddress, Guid requestId, string workerId, CancellationToken cancellationToken)
{
    private long _sequence;

    /// <summary>How many deltas went out so far.</summary>
    public long DeltasSent => _sequence;

    /// <summary>The finish reason or failure code sent last; null until a final or failure message went out.</summary>
    public string? Outcome { get; private set; }

    public Task SendDeltaAsync(PendingDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        var message = new CompletionDelta
        {
            RequestId = requestId,
            Sequence = _sequence++,
            Text = delta.Text,
            TokenCount = delta.TokenCount,
            Logprobs = delta.Logprobs,
        };
        return SendAsync(message);
    }

    public Task SendFinishedAsync(
        FinishReason finishReason,
        CompletionUsage usage,
        CompletionTimings timings,
        string modelRevision,
        string? text,
        IReadOnlyList<TokenLogprob>? logprobs,
        int? reasoningTokens = null)
    {
        var message = new CompletionFinished
        {
            RequestId = requestId,
            Sequence = _sequence,
            FinishReason = finishReason,
            Usage = usage,
            Timings = timings,
            WorkerId = workerId,
            ModelRevision = modelRevision,
            Text = text,
            Logprobs = logprobs,
            ReasoningTokens = reasoningTokens,
        };
        Outcome = finishReason.ToString().ToLowerInvariant();
        return SendAsync(message);
    }

    public Task SendFailedAsync(string code, string message, string? param, bool retryable)
    {
        var failure = new CompletionFailed
        {
            RequestId = requestId,
            Sequence = _sequence,
            Code = code,
            Message = message,
            Param = param,
            Retryable = retryable,
            WorkerId = workerId,
        };
        Outcome = code;
        return SendAsync(failure);
    }

    private async Task SendAsync<T>(T message)
        where T : class
    {
        try
        {
            await endpoint.Send(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new ReplyDeliveryException(replyAddress, exception);
        }
    }
}
