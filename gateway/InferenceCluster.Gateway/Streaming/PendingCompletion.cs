using System.Threading.Channels;
using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>
/// The receiving side of one dispatched request: replies arrive here in any order, possibly twice, possibly
/// from a second run of the request, and leave through <see cref="Reader"/> in token order, each token once,
/// ending after the terminal one. A second run whose tokens differ from those already passed on ends the
/// request with a failure instead.
/// </summary>
internal sealed class PendingCompletion
{
    private readonly Lock _gate = new();
    private readonly TokenPositionBuffer _buffer = new();
    private readonly Action<PendingCompletion, int>? _onReplay;

    // Unbounded: a request produces at most max_tokens deltas, and the worker's coalescing keeps them few.
    private readonly Channel<ReplyEvent> _channel = Channel.CreateUnbounded<ReplyEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public PendingCompletion(Guid requestId, Action<PendingCompletion, int>? onReplay = null)
    {
        RequestId = requestId;
        _onReplay = onReplay;
    }

    public Guid RequestId { get; }

    public ChannelReader<ReplyEvent> Reader => _channel.Reader;

    /// <summary>True once the terminal message has been released.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>True when the request ended without a worker saying so, so a worker may still be running it.</summary>
    public bool WorkerMayRun { get; private set; } = true;

    public void Deliver(ReplyEvent reply)
    {
        lock (_gate)
        {
            if (IsCompleted)
            {
                return;
            }

            if (reply.Malformation is { } fault)
            {
                // Placed in the buffer it would throw, and a throwing consumer is retried until the client's
                // deadline. The worker may still be generating (a bad delta), so it is told to stop.
                _channel.Writer.TryWrite(ReplyEvent.Of(Malformed(fault)));
                Complete(workerEnded: false);
                return;
            }

            var replayed = _buffer.Replayed;
            var result = _buffer.Add(reply);
            if (!replayed && _buffer.Replayed)
            {
                _onReplay?.Invoke(this, _buffer.Next);
            }

            foreach (var ready in result.Ready)
            {
                _channel.Writer.TryWrite(ready);
                if (ready.IsTerminal)
                {
                    Complete(workerEnded: true);
                    return;
                }
            }

            if (result.Diverged)
            {
                _channel.Writer.TryWrite(ReplyEvent.Of(Diverged(_buffer.Next)));
                Complete(workerEnded: false);
            }
        }
    }

    /// <summary>
    /// Ends the request with a retryable <see cref="FailureCodes.WorkerFault"/>: a worker's consumer failed on its command,
    /// and the transport moved the command to the error queue, so no reply will come.
    /// </summary>
    public void Abandon()
    {
        lock (_gate)
        {
            if (IsCompleted)
            {
                return;
            }

            _channel.Writer.TryWrite(ReplyEvent.Of(new CompletionFailed
            {
                RequestId = RequestId,
                Position = _buffer.Next,
                Code = FailureCodes.WorkerFault,
                Message = "The worker running this request failed without an answer and gave the request up; send it again.",
                Param = null,
                Retryable = true,
                WorkerId = "gateway",
            }));
            Complete(workerEnded: true);
        }
    }

    private void Complete(bool workerEnded)
    {
        IsCompleted = true;
        WorkerMayRun = !workerEnded;
        _channel.Writer.TryComplete();
    }

    private CompletionFailed Malformed(string fault) => new()
    {
        RequestId = RequestId,
        Position = 0,
        Code = FailureCodes.EngineError,
        Message = $"A worker sent {fault}; the answer cannot be put together.",
        Param = null,
        Retryable = false,
        WorkerId = "gateway",
    };

    private CompletionFailed Diverged(int sent) => new()
    {
        RequestId = RequestId,
        Position = sent,
        Code = FailureCodes.WorkerLost,
        Message =
            $"The worker generating this answer stopped after {sent} tokens had been sent, and the run that replaced it " +
            "produced different text (sampling without a seed cannot be repeated). The answer ends here rather than join " +
            "two different samples: send the request again, or set 'seed' so that an interrupted answer can be resumed.",
        Param = null,
        Retryable = true,
        WorkerId = "gateway",
    };
}
