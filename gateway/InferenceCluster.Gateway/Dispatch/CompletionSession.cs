using InferenceCluster.Gateway.OpenAI;
using InferenceCluster.Gateway.Streaming;
using InferenceCluster.Gateway.Telemetry;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// One dispatched request as seen by the HTTP side: replies in order, the deadline, and the rule that
/// a request left before its end is cancelled at the workers (client gone, deadline, any error).
/// </summary>
internal sealed class CompletionSession : IAsyncDisposable
{
    private readonly CompletionDispatcher _dispatcher;
    private readonly PendingCompletion _pending;
    private readonly TimeSpan _timeout;
    private readonly CancellationToken _clientAborted;
    private readonly CancellationTokenSource _deadline;
    private readonly CancellationTokenSource _readCancellation;

    public CompletionSession(CompletionDispatcher dispatcher, PendingCompletion pending, TimeSpan timeout, TimeProvider time, CancellationToken clientAborted)
    {
        _dispatcher = dispatcher;
        _pending = pending;
        _timeout = timeout;
        Deadline = time.GetUtcNow() + timeout;
        _clientAborted = clientAborted;
        _deadline = new CancellationTokenSource(timeout, time);
        _readCancellation = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, clientAborted);
    }

    public Guid RequestId => _pending.RequestId;

    /// <summary>When the request's deadline passes; workers remember a cancel until then.</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>Fires when the deadline passes or the client goes away.</summary>
    public CancellationToken Lifetime => _readCancellation.Token;

    /// <summary>True when the deadline, not the client, ended the request.</summary>
    public bool DeadlinePassed => _deadline.IsCancellationRequested && !_clientAborted.IsCancellationRequested;

    public OpenAIException TimeoutError() => OpenAIException.Timeout(_timeout);

    /// <summary>
    /// The next reply in sequence order. Throws <see cref="OpenAIException"/> (504) when the deadline passes
    /// and <see cref="OperationCanceledException"/> when the client went away.
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
            throw TimeoutError();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _dispatcher.Forget(RequestId);
        if (_pending.WorkerMayRun)
        {
            GatewayMetrics.RecordCancellation(
                _clientAborted.IsCancellationRequested ? "client_left" : _deadline.IsCancellationRequested ? "deadline" : "abandoned");
            await _dispatcher.CancelAsync(RequestId, Deadline).ConfigureAwait(false);
        }

        _readCancellation.Dispose();
        _deadline.Dispose();
    }
}
