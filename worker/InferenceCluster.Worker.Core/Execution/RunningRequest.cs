namespace InferenceCluster.Worker.Execution;

/// <summary>
/// One request this worker is running: its cancellation (a cancel message, its deadline, or the worker
/// shutting down) and why it was cancelled. Disposing it removes it from the registry.
/// </summary>
internal sealed class RunningRequest : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly Action<RunningRequest> _onDispose;
    private int _cancelRequested;

    public RunningRequest(Guid requestId, CancellationToken stopping, TimeSpan untilDeadline, Action<RunningRequest> onDispose)
    {
        RequestId = requestId;
        _onDispose = onDispose;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        _cts.CancelAfter(untilDeadline);
    }

    public Guid RequestId { get; }

    /// <summary>Fires on a cancel message, at the deadline, or when the worker stops.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>True when a cancel message (not the deadline or a shutdown) stopped the request.</summary>
    public bool CancelRequested => Volatile.Read(ref _cancelRequested) == 1;

    /// <summary>Stops the request on behalf of its caller.</summary>
    public void Cancel()
    {
        Interlocked.Exchange(ref _cancelRequested, 1);
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The request finished in the meantime; nothing left to stop.
        }
    }

    public void Dispose()
    {
        _onDispose(this);
        _cts.Dispose();
    }
}
