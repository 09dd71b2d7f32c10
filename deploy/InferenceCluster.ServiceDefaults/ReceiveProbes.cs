using System.Collections.Concurrent;
using System.Diagnostics;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// The receive probes this process has sent to its own queues and waits for, by id; the gateway's self-check and the
/// worker's instance-queue check both keep theirs here.
/// </summary>
public sealed class ReceiveProbes
{
    /// <summary>The name of the unrecorded parent of a probe's send.</summary>
    public const string ProbeActivityName = "receive.probe";

    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiting = new();

    /// <summary>Completes when the probe <paramref name="probeId"/> arrives; call before sending it.</summary>
    public Task Expect(Guid probeId) =>
        _waiting.GetOrAdd(probeId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>The probe <paramref name="probeId"/> was taken off its queue.</summary>
    public void Arrived(Guid probeId)
    {
        // A probe that comes back after its sender gave up on it finds nobody waiting: that is fine.
        if (_waiting.TryGetValue(probeId, out var arrival))
        {
            arrival.TrySetResult();
        }
    }

    /// <summary>Stops waiting for the probe <paramref name="probeId"/>.</summary>
    public void Forget(Guid probeId) => _waiting.TryRemove(probeId, out _);

    /// <summary>How many probes are waited for.</summary>
    public int Count => _waiting.Count;

    /// <summary>
    /// Sends one probe to an own queue and judges what happened. The send is bounded by <paramref name="timeout"/> on
    /// its own, so a send slow to be confirmed (just after a reconnect) does not eat the time the probe has to arrive;
    /// from the broker's confirm on, it has the whole <paramref name="timeout"/> to arrive.
    /// </summary>
    /// <param name="send">Sends the probe with the given id and time to the queue, returning once the broker took it.</param>
    /// <param name="state">What MassTransit reports of the queue's endpoint now.</param>
    /// <param name="timeout">How long the send, and then the arrival, may take.</param>
    /// <param name="time">The clock.</param>
    /// <param name="notSent">Told why a probe could not be sent.</param>
    /// <param name="stoppingToken">Cancelled when the process stops.</param>
    public async Task<ProbeOutcome> ProbeAsync(
        Func<Guid, DateTimeOffset, CancellationToken, Task> send,
        Func<ProbedEndpointState> state,
        TimeSpan timeout,
        TimeProvider time,
        Action<Exception> notSent,
        CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(notSent);
        var probeId = Guid.NewGuid();
        var arrival = Expect(probeId);
        var before = state();
        try
        {
            try
            {
                using var sending = new CancellationTokenSource(timeout, time);
                using var sendingOrStopping = CancellationTokenSource.CreateLinkedTokenSource(sending.Token, stoppingToken);
                using var quiet = QuietTrace();
                await send(probeId, time.GetUtcNow(), sendingOrStopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                notSent(exception);
                return ProbeOutcome.NotSent;
            }

            try
            {
                await arrival.WaitAsync(timeout, time, stoppingToken).ConfigureAwait(false);
                return ProbeOutcome.Arrived;
            }
            catch (TimeoutException)
            {
                // Not back in time.
            }

            var after = state();
            return !after.IsReady ? ProbeOutcome.NotReady
                : after.ReadyEpoch != before.ReadyEpoch ? ProbeOutcome.CameBack
                : after.Deliveries > before.Deliveries ? ProbeOutcome.Slow
                : ProbeOutcome.Lost;
        }
        finally
        {
            Forget(probeId);
        }
    }

    /// <summary>
    /// A parent that is not recorded, for the probe's send: the send span and, through the trace context the message
    /// carries, the receive and consume spans follow it and are not exported. Every queue is probed every few seconds;
    /// exported, the probes were most of the traces and pushed the requests out of a dashboard's list, as heartbeats did.
    /// </summary>
    private static Activity QuietTrace()
    {
        var parent = new Activity(ProbeActivityName) { ActivityTraceFlags = ActivityTraceFlags.None };
        parent.SetParentId(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        return parent.Start();
    }
}
