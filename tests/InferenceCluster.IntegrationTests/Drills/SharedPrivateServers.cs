namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// One <see cref="PrivateServers"/> for the drills that break no server but play tricks on it (a consumer dropped
/// inside the broker): each such drill paid ten-odd seconds to start a RabbitMQ of its own. The drills run one after
/// another and each ends its processes, taking their consumers with them, so a drill finds on it only the queues and
/// consumers of its own cluster (and queues of earlier drills that nobody consumes). Drills that stop, kill or alarm a
/// server still start their own. Started on first use, so a run of other drills does not pay for it.
/// </summary>
public sealed class SharedPrivateServers : IAsyncLifetime
{
    private readonly Lock _gate = new();
    private Task<PrivateServers>? _servers;

    /// <summary>
    /// The servers, started by the first drill that asks; a start that failed is tried again by the next drill rather
    /// than failing every drill after it.
    /// </summary>
    internal Task<PrivateServers> GetAsync()
    {
        lock (_gate)
        {
            if (_servers is null || _servers.IsFaulted || _servers.IsCanceled)
            {
                _servers = PrivateServers.StartAsync();
            }

            return _servers;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_servers is { } started && await started.ContinueWith(run => run.IsCompletedSuccessfully ? run.Result : null, TaskScheduler.Default) is { } servers)
        {
            await servers.DisposeAsync();
        }
    }
}
