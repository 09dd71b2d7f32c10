using System.Threading.Channels;

namespace InferenceCluster.Gateway.Streaming;

/// <summary>
/// The receiving side of one dispatched request: replies arrive here in any order and possibly twice,
/// and leave through <see cref="Reader"/> in sequence order, once each, ending after the terminal one.
/// </summary>
internal sealed class PendingCompletion
{
    private readonly Lock _gate = new();
    private readonly SequenceReorderBuffer<ReplyEvent> _buffer = new();

    // Unbounded: a request produces at most max_tokens deltas, and the worker's coalescing keeps them few.
    private readonly Channel<ReplyEvent> _channel = Channel.CreateUnbounded<ReplyEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public PendingCompletion(Guid requestId) => RequestId = requestId;

    public Guid RequestId { get; }

    public ChannelReader<ReplyEvent> Reader => _channel.Reader;

    /// <summary>True once the terminal message has been released.</summary>
    public bool IsCompleted { get; private set; }

    public void Deliver(long sequence, ReplyEvent reply)
    {
        lock (_gate)
        {
            if (IsCompleted)
            {
                return;
            }

            foreach (var ready in _buffer.Add(sequence, reply))
            {
                _channel.Writer.TryWrite(ready);
                if (ready.IsTerminal)
                {
                    IsCompleted = true;
                    _channel.Writer.TryComplete();
                    return;
                }
            }
        }
    }
}
