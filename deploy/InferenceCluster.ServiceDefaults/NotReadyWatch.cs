namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Follows, round by round of the receive probes, the endpoints MassTransit reports not ready. MassTransit restarts an
/// endpoint after a fault it saw, on a back-off of up to 30 s; one that stays not ready, without coming back in
/// between, for longer than <see cref="Bound"/> is not being restarted, and is then probed once: a probe the broker
/// takes that does not arrive while the endpoint is still not ready means it is lost for good (a probe that cannot be
/// sent means the broker is away, which explains it).
/// </summary>
public sealed class NotReadyWatch(TimeProvider time)
{
    /// <summary>Never less than this: two of MassTransit's longest restart back-offs.</summary>
    public static readonly TimeSpan ShortestBound = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (long Epoch, DateTimeOffset Since)> _notReady = new(StringComparer.Ordinal);

    /// <summary>How long an endpoint may stay not ready: six probe intervals, at least <see cref="ShortestBound"/>.</summary>
    public static TimeSpan Bound(TimeSpan interval) => interval * 6 > ShortestBound ? interval * 6 : ShortestBound;

    /// <summary>
    /// The endpoint <paramref name="name"/> as a round sees it; how long it has been not ready when that is longer than
    /// <paramref name="bound"/>, else null. Coming back (ready, or a new not-ready spell) starts the count again.
    /// </summary>
    public TimeSpan? Overdue(string name, ProbedEndpointState state, TimeSpan bound)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (state.IsReady)
            {
                _notReady.Remove(name);
                return null;
            }

            if (!_notReady.TryGetValue(name, out var seen) || seen.Epoch != state.ReadyEpoch)
            {
                _notReady[name] = (state.ReadyEpoch, now);
                return null;
            }

            return now - seen.Since > bound ? now - seen.Since : null;
        }
    }

    /// <summary>Starts the count of <paramref name="name"/> again: its probe arrived, or could not be sent (the broker is away).</summary>
    public void Restart(string name)
    {
        lock (_gate)
        {
            _notReady.Remove(name);
        }
    }
}
