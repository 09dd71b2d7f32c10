using InferenceCluster.Contracts;
using InferenceCluster.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Broker;

/// <summary>
/// A receive endpoint of this gateway's own, connected to the running bus rather than configured with it, so that it
/// can be replaced: MassTransit restarts an endpoint only after a fault it saw, and one whose consumer the broker
/// dropped silently would otherwise stay deaf for good. Each connection is a generation of its own; the up/down
/// observer hears only the current one, so an old endpoint still stopping cannot report the new one down.
/// </summary>
internal sealed partial class OwnReceiveEndpoint : IProbedEndpoint
{
    /// <summary>How long the old endpoint may take to stop; one the broker dropped may never finish, and is left behind.</summary>
    internal static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(10);

    /// <summary>Serializes connecting endpoints to the bus, process-wide.</summary>
    private static readonly Lock ConnectGate = new();

    private readonly Lock _gate = new();
    private readonly Func<IReceiveEndpointConnector> _connector;
    private readonly Func<IBus> _bus;
    private readonly Func<IReceiveEndpointConnector, Action<IRegistrationContext, IReceiveEndpointConfigurator>, HostReceiveEndpointHandle> _connect;
    private readonly Action<IRegistrationContext, IReceiveEndpointConfigurator> _configure;
    private readonly ReceiveEndpointUpDown _upDown;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private HostReceiveEndpointHandle? _handle;
    private Uri? _address;
    private int _generation;
    private bool _ready;
    private long _readyEpoch;
    private long _deliveries;
    private DateTimeOffset? _lastDelivery;

    /// <param name="name">The endpoint's name in the log.</param>
    /// <param name="connector">The bus's endpoint connector (resolved late: the bus exists only once the host is built).</param>
    /// <param name="bus">The bus the probes are sent with.</param>
    /// <param name="connect">Connects an endpoint with the given configuration (by queue name or endpoint definition).</param>
    /// <param name="configure">Its consumers and queue settings; the probe consumer is added here.</param>
    /// <param name="upDown">What follows the endpoint's life (bus connection, heartbeat reception).</param>
    /// <param name="time">The clock deliveries are timed by.</param>
    /// <param name="logger">Where a slow stop of a replaced endpoint is reported.</param>
    public OwnReceiveEndpoint(
        string name,
        Func<IReceiveEndpointConnector> connector,
        Func<IBus> bus,
        Func<IReceiveEndpointConnector, Action<IRegistrationContext, IReceiveEndpointConfigurator>, HostReceiveEndpointHandle> connect,
        Action<IRegistrationContext, IReceiveEndpointConfigurator> configure,
        ReceiveEndpointUpDown upDown,
        TimeProvider time,
        ILogger logger)
    {
        Name = name;
        _connector = connector;
        _bus = bus;
        _connect = connect;
        _configure = configure;
        _upDown = upDown;
        _time = time;
        _logger = logger;
    }

    public string Name { get; }

    public event Action? BecameReady;

    public long Deliveries => Interlocked.Read(ref _deliveries);

    public bool IsReady
    {
        get
        {
            lock (_gate)
            {
                return _ready;
            }
        }
    }

    public long ReadyEpoch
    {
        get
        {
            lock (_gate)
            {
                return _readyEpoch;
            }
        }
    }

    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _handle is not null;
            }
        }
    }

    /// <summary>The endpoint's queue address, known once it has been configured.</summary>
    public Uri? Address
    {
        get
        {
            lock (_gate)
            {
                return _address;
            }
        }
    }

    public void Connect()
    {
        int generation;
        lock (_gate)
        {
            generation = ++_generation;
            _ready = false;
        }

        HostReceiveEndpointHandle handle;

        // MassTransit adds each connected endpoint to its host's configuration, a list not safe for concurrent use,
        // and the self-check may replace several endpoints at once.
        lock (ConnectGate)
        {
            handle = _connect(_connector(), (context, endpoint) =>
            {
                _configure(context, endpoint);
                endpoint.ConfigureConsumer<ReceiveProbeConsumer>(context);
                endpoint.ConnectReceiveEndpointObserver(new OwnEndpointGeneration(this, generation));
                lock (_gate)
                {
                    _address = endpoint.InputAddress;
                }
            });
        }

        handle.ReceiveEndpoint.ConnectReceiveObserver(new OwnEndpointDeliveries(this));
        lock (_gate)
        {
            _handle = handle;
        }
    }

    public async Task SendProbeAsync(ReceiveProbe probe, CancellationToken cancellationToken)
    {
        var address = Address ?? throw new InvalidOperationException($"{Name} has no address yet.");
        var endpoint = await _bus().GetSendEndpoint(address).WaitAsync(cancellationToken).ConfigureAwait(false);
        await endpoint.Send(probe, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task ReplaceAsync(string reason, CancellationToken cancellationToken)
    {
        // The gateway is stopping: the bus stops its endpoints itself, and a new one would only be in its way.
        cancellationToken.ThrowIfCancellationRequested();
        HostReceiveEndpointHandle? old;
        DateTimeOffset? lastDelivery;
        lock (_gate)
        {
            old = _handle;
            lastDelivery = _lastDelivery;
            _handle = null;
            _ready = false;

            // From here on, nothing the old endpoint reports reaches the observer.
            _generation++;
        }

        _upDown.NotReceiving(reason, lastDelivery);

        // StopAsync frees the endpoint's name at once, so the new endpoint can take the same queue while the old one
        // is still stopping. The stop is not waited for: one the broker dropped may take StopPatience or never end,
        // and the self-check's next round, which the reply queue's expiry is measured against, must not wait for it.
        var stop = old is null ? null : new CancellationTokenSource(StopPatience, _time);
        Task? stopping = null;
        try
        {
            stopping = old?.StopAsync(stop!.Token);
        }
        catch (Exception exception)
        {
            LogOldNotStopped(Name, BrokerAddress.RedactError(exception));
        }

        _ = WatchStopAsync(stopping, stop);
        Connect();
        return Task.CompletedTask;
    }

    /// <summary>Counts a message the endpoint took, whatever its generation: any delivery shows the queue is read.</summary>
    internal void CountDelivery()
    {
        Interlocked.Increment(ref _deliveries);
        lock (_gate)
        {
            _lastDelivery = _time.GetUtcNow();
        }
    }

    /// <summary>Passes an event of <paramref name="generation"/> on to the up/down observer, if that is still the current one.</summary>
    internal void On(int generation, Action<ReceiveEndpointUpDown> forward, bool ready)
    {
        Action? becameReady = null;
        lock (_gate)
        {
            if (generation != _generation)
            {
                return;
            }

            _readyEpoch++;
            if (ready && !_ready)
            {
                becameReady = BecameReady;
            }

            _ready = ready;
        }

        forward(_upDown);
        becameReady?.Invoke();
    }

    /// <summary>Logs a replaced endpoint that fails to stop within StopPatience; it is left to finish on its own.</summary>
    private async Task WatchStopAsync(Task? stopping, CancellationTokenSource? stop)
    {
        using (stop)
        {
            if (stopping is null)
            {
                return;
            }

            try
            {
                await stopping.WaitAsync(StopPatience, _time).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                LogOldNotStopped(Name, BrokerAddress.RedactError(exception));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "The replaced endpoint {Endpoint} did not stop in time ({Error}); it is left to finish on its own")]
    private partial void LogOldNotStopped(string endpoint, string error);
}
