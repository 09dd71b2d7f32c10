using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Streaming;
using InferenceCluster.Gateway.Telemetry;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// One dispatched request as seen by the HTTP side: replies in order, the deadline, the end of the gateway's drain,
/// and the rule that a request left before its end is cancelled at the workers (client gone, deadline, drain over,
/// any error).
/// </summary>
internal sealed class CompletionSession : IDisposable
{
    private readonly CompletionDispatcher _dispatcher;
    private readonly PendingCompletion _pending;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _clientAborted;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationToken _drainEnded;
    private readonly CancellationTokenSource _readCancellation;

    public CompletionSession(
        CompletionDispatcher dispatcher, PendingCompletion pending, TimeSpan timeout, TimeProvider time, CancellationToken clientAborted, CancellationToken drainEnded)
    {
        _dispatcher = dispatcher;
        _pending = pending;
        _timeout = timeout;
        Deadline = time.GetUtcNow() + timeout;
        _clientAborted = clientAborted;
        _deadline = new CancellationTokenSource(timeout, time);
        _drainEnded = drainEnded;
        _readCancellation = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, clientAborted, drainEnded);
    }

    public Guid RequestId => _pending.RequestId;

    /// <summary>When the request's deadline passes; workers remember a cancel until then.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>Fires when the deadline passes, the client goes away or the gateway's drain is over.</summary>
    public CancellationToken Lifetime => _readCancellation.Token;

    /// <summary>True when the deadline, not the client, ended the request.</summary>
    public bool DeadlinePassed => _deadline.IsCancellationRequested && !_clientAborted.IsCancellationRequested;

    /// <summary>True when the end of the gateway's drain, not the client or the deadline, ended the request.</summary>
    public bool DrainEnded => _drainEnded.IsCancellationRequested && !_clientAborted.IsCancellationRequested && !_deadline.IsCancellationRequested;

    public OpenAIException TimeoutError() => OpenAIException.Timeout(_timeout);

    /// <summary>
    /// The next reply in sequence order. Throws <see cref="OpenAIException"/> when the deadline passes (504) or the
    /// gateway's drain is over (503 <c>server_shutting_down</c>) with no reply already waiting, and <see cref="OperationCanceledException"/> when the
    /// client went away.
    /// </summary>
    public async ValueTask<ReplyEvent> ReadAsync(CancellationToken stop = default)
    {
        try
        {
            if (!stop.CanBeCanceled)
            {
                return await _pending.Reader.ReadAsync(_readCancellation.Token).ConfigureAwait(false);
            }

            // A reader that gives up early (another choice of the request failed) stops waiting here.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_readCancellation.Token, stop);
            return await _pending.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (DeadlinePassed)
        {
            return Buffered() ?? throw TimeoutError();
        }
        catch (OperationCanceledException) when (DrainEnded)
        {
            return Buffered() ?? throw OpenAIException.Interrupted();
        }
    }

    // A cancelled read gives up before it looks in the channel, so a reply that had already arrived (the final one
    // among them) would turn a complete answer into an error the client retries.
    private ReplyEvent? Buffered() => _pending.Reader.TryRead(out var reply) ? reply : null;

    /// <summary>
    /// Stops listening for the request's replies and, when its worker may still run it, has the workers told to stop it:
    /// the cancel is published in the background, since nothing the client is owed may wait for a slow broker.
    /// </summary>
    public void Dispose()
    {
        _dispatcher.Forget(RequestId);
        if (_pending.WorkerMayRun)
        {
            GatewayMetrics.RecordCancellation(
                _clientAborted.IsCancellationRequested ? "client_left"
                : _deadline.IsCancellationRequested ? "deadline"
                : _drainEnded.IsCancellationRequested ? "gateway_stopping"
                : "abandoned");
            _dispatcher.Cancel(RequestId, Deadline);
        }

        _readCancellation.Dispose();
        _deadline.Dispose();
    }
}
