namespace InferenceCluster.Inference.Engine;

/// <summary>
/// An engine's capacity: a bounded permit per running request, so waiting callers queue here instead of
/// inside the engine, and the count of requests holding one.
/// </summary>
internal sealed class EnginePermits(int capacity) : IDisposable
{
    private readonly SemaphoreSlim _permits = new(capacity, capacity);
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Waits for a permit; false when <paramref name="cancellationToken"/> fired first.</summary>
    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _permits.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        Interlocked.Increment(ref _inFlight);
        return true;
    }

    public void Release()
    {
        Interlocked.Decrement(ref _inFlight);
        _permits.Release();
    }

    public void Dispose() => _permits.Dispose();
}
