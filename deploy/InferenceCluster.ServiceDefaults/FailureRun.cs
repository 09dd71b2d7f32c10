namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// A run of failures of one repeated call (a heartbeat, a Redis call): when it began, how many failed, and which kinds of
/// error it has had, so that a caller logs the start of an outage and its end once each and the repeats in between at
/// debug, while an error of a kind the run has not had yet is still shown (it is news, not the known outage again).
/// Thread-safe; times come from the <see cref="TimeProvider"/>, so tests drive them.
/// </summary>
public sealed class FailureRun(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _kinds = new(StringComparer.Ordinal);
    private long _since;
    private int _failures;

    /// <summary>
    /// Counts a failure of <paramref name="kind"/>. New is true when it begins the run or is a kind the run has not had:
    /// the failures worth a warning.
    /// </summary>
    public (bool New, bool Began, int Failures, TimeSpan Lasting) Fail(string kind)
    {
        lock (_gate)
        {
            // Read inside the lock: read before it, a now older than the start another thread just set was a negative length.
            var now = time.GetTimestamp();
            var began = _failures == 0;
            if (began)
            {
                _since = now;
                _kinds.Clear();
            }

            _failures++;
            return (_kinds.Add(kind), began, _failures, time.GetElapsedTime(_since, now));
        }
    }

    /// <summary>Ends the run on a success: null when none was going on, else how many failed and how long it lasted.</summary>
    public (int Failures, TimeSpan Lasted)? End()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            if (_failures == 0)
            {
                return null;
            }

            var ended = (_failures, time.GetElapsedTime(_since, now));
            _failures = 0;
            return ended;
        }
    }
}
