using Microsoft.Extensions.Logging;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Logs the failures of a heartbeat publish (repeated every few seconds) the way an operator reads an outage: one
/// warning when they begin, naming the broker (without credentials) and the error (its type and message only: no stack
/// trace, and the message without user or password, which a bus error may name with the broker); the repeats at debug;
/// one line when a publish goes through again, saying how long it failed and how many were skipped. A failure of a kind
/// the run has not had yet (its type and innermost type) is a warning too (it is no repeat of the known outage).
/// </summary>
/// <param name="time">The clock that dates a run of failures.</param>
/// <param name="logger">The logger of the service that beats.</param>
/// <param name="what">The heartbeat's name in the lines ("worker heartbeat").</param>
/// <param name="broker">The bus's address, read only for a line that names it (a bus's own address will do).</param>
public sealed partial class HeartbeatFailures(TimeProvider time, ILogger logger, string what, Func<Uri> broker)
{
    /// <summary>The least a publish is waited for, however short the interval: a busy machine's slow publish is no failure.</summary>
    public static readonly TimeSpan MinimumPublishWait = TimeSpan.FromSeconds(1);

    private readonly FailureRun _run = new(time);

    /// <summary>
    /// One beat: <paramref name="publish"/> waited for at most the interval (at least <see cref="MinimumPublishWait"/>),
    /// its failure logged here, never thrown. The bound matters: MassTransit retries a publish begun while the broker is
    /// away on a back-off growing to 30 s, and one begun as the broker restarts can hang outright, token or not; an
    /// unbounded beat would keep the service silent long after the broker is back.
    /// </summary>
    public async Task PublishAsync(Func<CancellationToken, Task> publish, TimeSpan interval, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(publish);
        var bound = interval > MinimumPublishWait ? interval : MinimumPublishWait;
        try
        {
            using var timeout = new CancellationTokenSource(bound, time);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
            await publish(bounded.Token).WaitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // A missed beat is not fatal (the broker may be restarting); the next tick tries again.
            Failed(exception, bound);
            return;
        }

        Published();
    }

    /// <summary>A publish failed or was not confirmed within <paramref name="bound"/>.</summary>
    public void Failed(Exception exception, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var (error, detail) = exception is OperationCanceledException
            ? ("Timeout", $"not confirmed by the broker within {bound.TotalSeconds:0.###} s")
            : (exception.GetType().Name, BrokerAddress.RedactText(exception.Message));
        // The cause as news goes: a bus wraps the errors of its transport in one type, so the innermost one tells them apart.
        var (isNew, began, failures, lasting) = _run.Fail(exception is OperationCanceledException ? error : $"{error}/{exception.GetBaseException().GetType().Name}");
        if (began)
        {
            LogFailing(what, BrokerAddress.Endpoint(broker()), error, detail);
        }
        else if (isNew)
        {
            LogFailingOtherwise(what, BrokerAddress.Endpoint(broker()), error, detail, failures, lasting.TotalSeconds);
        }
        else
        {
            LogFailingStill(what, error, detail, failures, lasting.TotalSeconds);
        }
    }

    /// <summary>A publish went through: the run of failures before it, if any, ends and is logged.</summary>
    public void Published()
    {
        if (_run.End() is var (skipped, lasted))
        {
            LogPublishedAgain(what, BrokerAddress.Endpoint(broker()), lasted.TotalSeconds, skipped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Could not publish the {What} to the broker at {Broker} ({Error}: {Detail}); it is tried again at every beat, and one " +
        "line tells when it goes through again (the failures until then are logged at debug)")]
    private partial void LogFailing(string what, string broker, string error, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Could not publish the {What} to the broker at {Broker}, failing otherwise now ({Error}: {Detail}); {Failures} in a row over {Seconds:0} s")]
    private partial void LogFailingOtherwise(string what, string broker, string error, string detail, int failures, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not publish the {What} ({Error}: {Detail}); {Failures} in a row over {Seconds:0} s")]
    private partial void LogFailingStill(string what, string error, string detail, int failures, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "The {What} goes through to the broker at {Broker} again, after failing for {Seconds:0.#} s; heartbeats not published meanwhile: {Skipped}")]
    private partial void LogPublishedAgain(string what, string broker, double seconds, int skipped);
}
