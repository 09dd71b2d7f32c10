namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Counts, per queue, the receive probes that could not be sent in a row, and says which failure to log as a warning: the
/// first of a run, then one every <see cref="WarnEvery"/> while it lasts. A probe that can never be sent (a broker that
/// stays away, a send slower than the probe timeout every time) means receiving there is not checked at all, which an
/// operator must see; a warning every second would bury everything else.
/// </summary>
public sealed class ProbeSendFailures(TimeProvider time)
{
    /// <summary>How often a run of failed sends to one queue is logged as a warning again.</summary>
    public static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Run> _runs = new(StringComparer.Ordinal);

    /// <summary>A probe to <paramref name="queue"/> could not be sent: the run it belongs to so far, and whether to warn now.</summary>
    public ProbeSendFailure Failed(string queue)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_runs.TryGetValue(queue, out var run))
            {
                run = new Run(now);
                _runs.Add(queue, run);
            }

            run.Failures++;
            var warn = run.WarnedAt is not { } warnedAt || now - warnedAt >= WarnEvery;
            if (warn)
            {
                run.WarnedAt = now;
            }

            return new ProbeSendFailure(run.Failures, now - run.Since, warn);
        }
    }

    /// <summary>A probe to <paramref name="queue"/> was sent: the failures of the run that ends, 0 when there was none.</summary>
    public int Sent(string queue)
    {
        lock (_gate)
        {
            return _runs.Remove(queue, out var run) ? run.Failures : 0;
        }
    }

    private sealed class Run(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public int Failures { get; set; }

        public DateTimeOffset? WarnedAt { get; set; }
    }
}
