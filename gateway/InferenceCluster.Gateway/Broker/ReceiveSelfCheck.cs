using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.ServiceDefaults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Broker;

/// <summary>
/// Connects this gateway's own receive endpoints once the bus has started, then checks that it still receives on
/// them: every <see cref="GatewayOptions.ReceiveProbeInterval"/>, and right after MassTransit has reconnected one, it
/// sends a <see cref="ReceiveProbe"/> to each endpoint MassTransit reports ready. A probe the broker took that does not
/// arrive within <see cref="GatewayOptions.ReceiveProbeTimeout"/>, while the endpoint took nothing else either, means
/// the broker no longer delivers there although
/// the client saw no fault (after a broker restart MassTransit can miss the loss of a consumer, and then never
/// declares it again); the endpoint is then reported down and replaced. A probe that could not be sent proves
/// nothing about receiving; it is a warning (at most once a minute per endpoint), since receiving goes unchecked meanwhile.
/// </summary>
internal sealed partial class ReceiveSelfCheck(
    IEnumerable<IProbedEndpoint> endpoints,
    ReceiveProbes probes,
    IOptions<GatewayOptions> options,
    TimeProvider time,
    ILogger<ReceiveSelfCheck> logger) : BackgroundService
{
    /// <summary>
    /// How soon to check again when a round settled nothing (probes could not be sent while the broker is away, an
    /// endpoint came back while its probe was out, one is not connected): the moment it is back counts.
    /// </summary>
    internal static readonly TimeSpan RetrySoon = TimeSpan.FromSeconds(1);

    private readonly IProbedEndpoint[] _endpoints = [.. endpoints];
    private readonly ProbeSendFailures _notSent = new(time, logger, "Gateway:ReceiveProbeTimeout", "the gateway");
    private readonly NotReadyWatch _notReady = new(time);
    private readonly SemaphoreSlim _wake = new(0);
    private volatile bool _soon;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in _endpoints)
        {
            endpoint.BecameReady += Wake;
            TryConnect(endpoint);
        }

        _soon = _endpoints.Any(endpoint => !endpoint.IsConnected);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        foreach (var endpoint in _endpoints)
        {
            endpoint.BecameReady -= Wake;
        }

        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Connects the endpoints that have no connection (one that failed is not retried by MassTransit), then probes
    /// every ready endpoint once, at the same time, and replaces those whose probe does not come back.
    /// </summary>
    public async Task CheckAllAsync(CancellationToken cancellationToken)
    {
        foreach (var endpoint in _endpoints.Where(endpoint => !endpoint.IsConnected))
        {
            TryConnect(endpoint);
        }

        var bound = NotReadyWatch.Bound(options.Value.ReceiveProbeInterval);
        var checks = new List<Task<bool>>();
        foreach (var endpoint in _endpoints.Where(endpoint => endpoint.IsConnected))
        {
            if (_notReady.Overdue(endpoint.Name, State(endpoint), bound) is { } lasting)
            {
                checks.Add(CheckNotReadyAsync(endpoint, lasting, bound, cancellationToken));
            }
            else if (endpoint.IsReady)
            {
                checks.Add(CheckAsync(endpoint, cancellationToken));
            }
        }

        var settled = await Task.WhenAll(checks).ConfigureAwait(false);

        // Also one whose replacement could not be connected just now: a reply queue without a consumer expires.
        _soon = settled.Contains(false) || _endpoints.Any(endpoint => !endpoint.IsConnected);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await WaitForNextCheckAsync(stoppingToken).ConfigureAwait(false);
                await CheckAllAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the bus stops its endpoints itself.
        }
    }

    private void Wake() => _wake.Release();

    /// <summary>Connects the endpoint, or logs why not; the next round, a second later, tries again.</summary>
    private void TryConnect(IProbedEndpoint endpoint)
    {
        try
        {
            endpoint.Connect();
        }
        catch (Exception exception)
        {
            // The type and message only, without the user or password with which a bus error names the broker.
            LogNotConnected(endpoint.Name, exception.GetType().Name, BrokerAddress.RedactText(exception.Message));
        }
    }

    /// <summary>Until the interval has passed, or sooner when an endpoint has (re)connected.</summary>
    private async Task WaitForNextCheckAsync(CancellationToken stoppingToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var delay = _soon && RetrySoon < options.Value.ReceiveProbeInterval ? RetrySoon : options.Value.ReceiveProbeInterval;
        var interval = Task.Delay(delay, time, waiting.Token);
        var woken = _wake.WaitAsync(waiting.Token);
        await Task.WhenAny(interval, woken).ConfigureAwait(false);
        await waiting.CancelAsync().ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();

        // Several endpoints that came back at once are all checked by this one round.
        while (_wake.CurrentCount > 0 && _wake.Wait(0))
        {
        }
    }

    private static ProbedEndpointState State(IProbedEndpoint endpoint) => new(endpoint.IsReady, endpoint.ReadyEpoch, endpoint.Deliveries);

    /// <summary>Sends one probe to the endpoint and judges it (<see cref="ReceiveProbes.ProbeAsync"/>).</summary>
    private async Task<ProbeOutcome> ProbeAsync(IProbedEndpoint endpoint, CancellationToken stoppingToken)
    {
        var timeout = options.Value.ReceiveProbeTimeout;
        var outcome = await probes.ProbeAsync(
            (probeId, sentAt, cancellationToken) => endpoint.SendProbeAsync(new ReceiveProbe { ProbeId = probeId, SentAt = sentAt }, cancellationToken),
            () => State(endpoint),
            timeout,
            time,
            exception => _notSent.Failed(endpoint.Name, exception, timeout),
            stoppingToken).ConfigureAwait(false);
        if (outcome != ProbeOutcome.NotSent)
        {
            _notSent.Sent(endpoint.Name);
        }

        return outcome;
    }

    /// <summary>
    /// Probes one endpoint; false when it is to be probed again a second later: the probe could not even be sent, the
    /// endpoint went down and came back while it was out, or its replacement could not be connected.
    /// </summary>
    private async Task<bool> CheckAsync(IProbedEndpoint endpoint, CancellationToken stoppingToken)
    {
        var timeout = options.Value.ReceiveProbeTimeout;
        try
        {
            switch (await ProbeAsync(endpoint, stoppingToken).ConfigureAwait(false))
            {
                case ProbeOutcome.NotSent:
                    // The sending side has its own trouble (the broker may be restarting); MassTransit reconnects it.
                    return false;
                case ProbeOutcome.CameBack:
                    // A temporary queue deleted by a broker restart may have taken the probe with it: inconclusive, so
                    // it is probed again a second later (coming back woke a round only if MassTransit reported it not
                    // ready in between).
                    LogInconclusive(endpoint.Name);
                    return false;
                case ProbeOutcome.Slow:
                    LogSlow(endpoint.Name, timeout.TotalSeconds);
                    return true;
                case ProbeOutcome.Lost:
                    LogNotReceiving(endpoint.Name, timeout.TotalSeconds);
                    return await ReplaceAsync(endpoint, $"its probe did not arrive within {timeout.TotalSeconds:0.###} s", stoppingToken).ConfigureAwait(false);
                default:
                    // Arrived; or MassTransit saw a fault meanwhile, and reconnects the endpoint itself.
                    return true;
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The next round tries again; an exception leaving a background service would stop the gateway.
            LogCheckFailed(endpoint.Name, BrokerAddress.RedactError(exception));
            return true;
        }
    }

    /// <summary>
    /// Probes an endpoint MassTransit has reported not ready for <paramref name="lasting"/>, longer than it takes to restart
    /// one, and replaces it when the broker takes the probe and the endpoint is still not ready once the probe is overdue.
    /// </summary>
    private async Task<bool> CheckNotReadyAsync(IProbedEndpoint endpoint, TimeSpan lasting, TimeSpan bound, CancellationToken stoppingToken)
    {
        try
        {
            var outcome = await ProbeAsync(endpoint, stoppingToken).ConfigureAwait(false);

            // Whatever it showed, the count starts again: the broker is away, it receives, it came back, or it is replaced.
            _notReady.Restart(endpoint.Name);
            if (outcome != ProbeOutcome.NotReady)
            {
                return outcome != ProbeOutcome.NotSent;
            }

            LogNotReadyTooLong(endpoint.Name, lasting.TotalSeconds, bound.TotalSeconds);
            return await ReplaceAsync(endpoint, $"MassTransit left it not ready for {lasting.TotalSeconds:0} s", stoppingToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogCheckFailed(endpoint.Name, BrokerAddress.RedactError(exception));
            return true;
        }
    }

    /// <summary>Replaces a deaf endpoint; false when the replacement could not be connected (the next round, a second later, connects it).</summary>
    private async Task<bool> ReplaceAsync(IProbedEndpoint endpoint, string reason, CancellationToken stoppingToken)
    {
        try
        {
            await endpoint.ReplaceAsync(reason, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            LogNotConnected(endpoint.Name, exception.GetType().Name, BrokerAddress.RedactText(exception.Message));
            return false;
        }

        LogReplaced(endpoint.Name);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Not receiving on {Endpoint}: the broker took a probe for it, which did not arrive within {Seconds:0.###} s, although " +
        "MassTransit reports the endpoint ready. The broker no longer delivers there; the endpoint is replaced and the gateway " +
        "is not ready until it receives again (Gateway:ReceiveProbeTimeout)")]
    private partial void LogNotReceiving(string endpoint, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Not receiving on {Endpoint}: MassTransit has reported it not ready for {Seconds:0} s, longer than the {Bound:0} s it may take to restart " +
        "one (six times Gateway:ReceiveProbeInterval, at least 60 s), and a probe the broker took for it did not arrive; the gateway replaces it")]
    private partial void LogNotReadyTooLong(string endpoint, double seconds, double bound);

    [LoggerMessage(Level = LogLevel.Information, Message = "Receive endpoint {Endpoint} replaced; it is probed again once it is ready")]
    private partial void LogReplaced(string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message =
        "The probe for {Endpoint} was not back within {Seconds:0.###} s, but the endpoint took other messages meanwhile: it receives, behind a backlog")]
    private partial void LogSlow(string endpoint, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Endpoint} went down and came back while its probe was out; it is probed again")]
    private partial void LogInconclusive(string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "Could not connect the receive endpoint {Endpoint} ({Error}: {Detail}); the gateway does not receive there until it is connected, which is tried again in a second")]
    private partial void LogNotConnected(string endpoint, string error, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking that the gateway receives on {Endpoint} failed ({Error}); it is checked again later")]
    private partial void LogCheckFailed(string endpoint, string error);
}
