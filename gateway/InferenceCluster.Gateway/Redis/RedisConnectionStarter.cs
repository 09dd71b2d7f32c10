using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Gateway.Redis;

/// <summary>Starts connecting to Redis when the gateway starts, so that the first requests already find it connected.</summary>
internal sealed class RedisConnectionStarter(RedisConnection redis) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        redis.BeginConnecting();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
