using System.Diagnostics;

namespace InferenceCluster.FaultDrills.Cluster;

/// <summary>
/// A RabbitMQ and a Redis of the drills' own, started with the repository's server functions on free ports in a
/// temporary directory: the drills stop and kill them, which must not disturb tests running beside them.
/// </summary>
internal sealed class PrivateServers : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-drill.").FullName;

    private PrivateServers()
    {
    }

    public int RabbitMqPort { get; private set; }

    public int RedisPort { get; private set; }

    public Uri RabbitMq => new($"amqp://guest:guest@127.0.0.1:{RabbitMqPort}/");

    public string Redis => $"127.0.0.1:{RedisPort}";

    private string RabbitDir => Path.Combine(_dir, "rabbitmq");

    private string RedisDir => Path.Combine(_dir, "redis");

    public static async Task<PrivateServers> StartAsync()
    {
        var servers = new PrivateServers();
        try
        {
            servers.RabbitMqPort = int.Parse((await Shell.ServersAsync("servers_free_port", Patience)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            servers.RedisPort = int.Parse((await Shell.ServersAsync("servers_free_port", Patience)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await Shell.ServersAsync($"servers_start_rabbitmq '{servers.RabbitDir}' {servers.RabbitMqPort}", Patience);
            await servers.StartRedisAsync();
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    public Task StartRedisAsync() => Shell.ServersAsync($"servers_start_redis '{RedisDir}' {RedisPort}", Patience);

    /// <summary>Kills Redis with SIGKILL, as a crash would.</summary>
    public async Task KillRedisAsync()
    {
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(RedisDir, "redis.pid")), System.Globalization.CultureInfo.InvariantCulture);
        using var redis = Process.GetProcessById(pid);
        redis.Kill();
        await redis.WaitForExitAsync();
        File.Delete(Path.Combine(RedisDir, "redis.pid"));
    }

    /// <summary>Stops the RabbitMQ application (the node stays up; its non-durable queues are gone), as an operator would.</summary>
    public Task StopBrokerAsync() => Shell.ServersAsync($"servers_rabbitmqctl '{RabbitDir}' stop_app", Patience);

    public Task StartBrokerAsync() => Shell.ServersAsync($"servers_rabbitmqctl '{RabbitDir}' start_app", Patience);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Shell.ServersAsync($"servers_stop_redis '{RedisDir}'; servers_stop_rabbitmq '{RabbitDir}'", Patience);
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
