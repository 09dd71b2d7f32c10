using Microsoft.Extensions.Logging;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Counts, per queue, the receive probes that could not be sent in a row, and logs them: the first of a run as a warning,
/// then one every <see cref="WarnEvery"/> while it lasts, the others at debug, and the end of a run. A probe that can never
/// be sent (a broker that stays away, a send slower than the probe timeout every time) means receiving there is not
/// checked at all, which an operator must see; a warning every second would bury everything else. Both services' checks
/// log through it with their own logger, the setting that bounds a send (<paramref name="timeoutSetting"/>) and who
/// checks (<paramref name="checker"/>: "the gateway", "this worker").
/// </summary>
public sealed partial class ProbeSendFailures(TimeProvider time, ILogger logger, string timeoutSetting, string checker)
{
    /// <summary>How often a run of failed sends to one queue is logged as a warning again.</summary>
    public static readonly TimeSpan WarnEvery = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Run> _runs = new(StringComparer.Ordinal);

    /// <summary>A probe to <paramref name="queue"/> could not be sent within <paramref name="timeout"/>: counted and logged.</summary>
    public void Failed(string queue, Exception exception, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var now = time.GetUtcNow();
        int failures;
        TimeSpan lasting;
        bool warn;
        lock (_gate)
        {
            if (!_runs.TryGetValue(queue, out var run))
            {
                run = new Run(now);
                _runs.Add(queue, run);
            }

            run.Failures++;
            warn = run.WarnedAt is not { } warnedAt || now - warnedAt >= WarnEvery;
            if (warn)
            {
                run.WarnedAt = now;
            }

            (failures, lasting) = (run.Failures, now - run.Since);
        }

        if (warn)
        {
            // The type and message only, without the user or password with which a bus error names the broker.
            LogNotSentWarning(queue, exception.GetType().Name, BrokerAddress.RedactText(exception.Message), failures, lasting.TotalSeconds, timeoutSetting, timeout.TotalSeconds, checker);
        }
        else
        {
            LogNotSent(queue, BrokerAddress.RedactError(exception));
        }
    }

    /// <summary>A probe to <paramref name="queue"/> was sent: the run of failures before it, if any, ends and is logged.</summary>
    public void Sent(string queue)
    {
        int failures;
        lock (_gate)
        {
            failures = _runs.Remove(queue, out var run) ? run.Failures : 0;
        }

        if (failures > 0)
        {
            LogSentAgain(queue, failures);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not send a probe to {Queue} ({Error}); it is probed again later")]
    private partial void LogNotSent(string queue, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Could not send a probe to {Queue} ({Error}: {Detail}), {Failures} in a row over {Seconds:0} s, each send bounded by " +
        "{Setting} ({Timeout:0.###} s): until one is sent, {Checker} does not check that it receives there. " +
        "Repeated at most once a minute while it lasts")]
    private partial void LogNotSentWarning(string queue, string error, string detail, int failures, double seconds, string setting, double timeout, string checker);

    [LoggerMessage(Level = LogLevel.Information, Message = "Probes reach {Queue} again, after {Failures} that could not be sent")]
    private partial void LogSentAgain(string queue, int failures);

    private sealed class Run(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;

        public int Failures { get; set; }

        public DateTimeOffset? WarnedAt { get; set; }
    }
}
