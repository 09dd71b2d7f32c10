namespace InferenceCluster.Worker.EngineWatch;

/// <summary>
/// Whether the worker found its engine hung (<see cref="EngineWatchdog"/>), and why. Read by the liveness check, so that
/// a worker whose exit does not happen is restarted by its orchestrator's probe all the same.
/// </summary>
internal sealed class EngineStall
{
    private string? _reason;

    /// <summary>Why the worker counts its engine hung, or null while it does not.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    /// <summary>Records the first stall found; later ones change nothing.</summary>
    public void Mark(string reason) => Interlocked.CompareExchange(ref _reason, reason, null);
}
