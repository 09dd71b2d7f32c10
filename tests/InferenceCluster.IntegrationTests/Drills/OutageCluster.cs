namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// The cluster of the outage drills: a <see cref="DrillCluster"/> of two worker processes (four slots each) and a
/// gateway process on <see cref="PrivateServers"/> the drill may stop and kill, with a request deadline longer
/// than any outage the drills cause (on a loaded machine rabbitmqctl itself can take minutes).
/// </summary>
internal sealed class OutageCluster : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The gateway's <c>Gateway:WorkerLiveness</c>.</summary>
    public static readonly TimeSpan WorkerLiveness = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The gateway's <c>Gateway:WorkerReconnectGrace</c>: a third of its 30 s default. The grace covers the workers'
    /// reconnect back-off, MassTransit's first retry 1 s after the loss and later ones less often: in the broker drill
    /// the gateway and both workers were connected within 2 s of one another on a machine at load 20-25. The broker drill waits out liveness plus grace before
    /// it looks; a third of the grace still leaves a worker seven times that lag, and the drill looks 20 s sooner.
    /// </summary>
    public static readonly TimeSpan WorkerReconnectGrace = TimeSpan.FromSeconds(10);

    private OutageCluster(PrivateServers servers, DrillCluster cluster)
    {
        Servers = servers;
        Cluster = cluster;
    }

    public PrivateServers Servers { get; }

    public DrillCluster Cluster { get; }

    public IReadOnlyList<ServiceProcess> Workers { get; private set; } = [];

    public DrillGateway Gateway { get; private set; } = null!;

    /// <summary>Starts the cluster; with <paramref name="ownBroker"/> false on the run's RabbitMQ (a drill that breaks only Redis).</summary>
    public static async Task<OutageCluster> StartAsync(bool ownBroker = true)
    {
        var servers = await PrivateServers.StartAsync(ownBroker);
        var cluster = new DrillCluster(
            gatewaySettings: new Dictionary<string, string>
            {
                ["Gateway__RequestTimeout"] = RequestTimeout.ToString(),
                ["Gateway__WorkerLiveness"] = WorkerLiveness.ToString(),
                ["Gateway__WorkerReconnectGrace"] = WorkerReconnectGrace.ToString(),
            },
            workerSettings: new Dictionary<string, string> { ["Inference__MaxConcurrency"] = "4" },
            servers: servers);
        var outage = new OutageCluster(servers, cluster);
        try
        {
            var starting = Task.WhenAll(cluster.StartWorkerAsync("worker-a"), cluster.StartWorkerAsync("worker-b"));

            // The client outwaits the gateway, so a request held too long shows the gateway's own 504.
            outage.Gateway = await cluster.StartGatewayAsync("gateway", clientTimeout: RequestTimeout + TimeSpan.FromMinutes(1));
            outage.Workers = await starting;
            return outage;
        }
        catch
        {
            await outage.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.DisposeAsync();
        }
        finally
        {
            await Servers.DisposeAsync();
        }
    }
}
