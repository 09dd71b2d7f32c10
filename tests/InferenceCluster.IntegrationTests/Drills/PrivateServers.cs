using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A RabbitMQ and a Redis of a drill's own, started with the repository's server functions
/// (deploy/local/servers.sh) on free ports in a temporary directory: the outage drills stop and kill them,
/// which must not disturb the tests sharing the run's servers. A server that does not start fails the drill.
/// A drill that breaks only Redis takes the run's RabbitMQ (its cluster has queues of its own there) and spares the
/// seconds a node takes to start.
/// </summary>
internal sealed partial class PrivateServers : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-drill.").FullName;

    private PrivateServers()
    {
    }

    public int RabbitMqPort { get; private set; }

    public int RedisPort { get; private set; }

    /// <summary>The drill's own RabbitMQ, or null when it was started without one (<see cref="StartAsync"/>).</summary>
    public Uri? RabbitMq => RabbitMqPort == 0 ? null : new($"amqp://guest:guest@127.0.0.1:{RabbitMqPort}/");

    public string Redis => $"127.0.0.1:{RedisPort}";

    private string RabbitDir => Path.Combine(_dir, "rabbitmq");

    private string RedisDir => Path.Combine(_dir, "redis");

    /// <summary>Starts a Redis of the drill's own and, unless <paramref name="ownBroker"/> is false, a RabbitMQ (both at once).</summary>
    public static async Task<PrivateServers> StartAsync(bool ownBroker = true)
    {
        var servers = new PrivateServers();
        try
        {
            servers.RedisPort = int.Parse((await RunAsync("servers_free_port")).Trim(), CultureInfo.InvariantCulture);
            var broker = Task.CompletedTask;
            if (ownBroker)
            {
                servers.RabbitMqPort = int.Parse((await RunAsync("servers_free_port")).Trim(), CultureInfo.InvariantCulture);
                broker = RunAsync($"servers_start_rabbitmq '{servers.RabbitDir}' {servers.RabbitMqPort}");
            }

            await Task.WhenAll(broker, servers.StartRedisAsync());
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    public Task StartRedisAsync() => RunAsync($"servers_start_redis '{RedisDir}' {RedisPort}");

    /// <summary>Kills Redis with SIGKILL, as a crash would.</summary>
    public async Task KillRedisAsync()
    {
        var pid = int.Parse(await File.ReadAllTextAsync(Path.Combine(RedisDir, "redis.pid")), CultureInfo.InvariantCulture);
        using var redis = Process.GetProcessById(pid);
        redis.Kill();
        await redis.WaitForExitAsync();
        File.Delete(Path.Combine(RedisDir, "redis.pid"));
    }

    /// <summary>Stops the RabbitMQ application (the node stays up; its non-durable queues are gone), as an operator would.</summary>
    public Task StopBrokerAsync() => RunAsync($"servers_rabbitmqctl '{RabbitDir}' stop_app");

    public Task StartBrokerAsync() => RunAsync($"servers_rabbitmqctl '{RabbitDir}' start_app");

    /// <summary>
    /// Sets the broker's memory high watermark (a fraction of the machine's memory; RabbitMQ's default is 0.4). One far
    /// below what the node uses raises the memory alarm: the broker blocks every connection that publishes until it is set back.
    /// </summary>
    public Task SetMemoryWatermarkAsync(string fraction) => RunAsync($"servers_rabbitmqctl '{RabbitDir}' set_vm_memory_high_watermark {fraction}");

    /// <summary>Runs <c>rabbitmqctl eval</c> with an Erlang expression (no single quotes in it); returns what it printed.</summary>
    public Task<string> EvalOnBrokerAsync(string expression) =>
        expression.Contains('\'', StringComparison.Ordinal)
            ? throw new ArgumentException("The expression must not contain single quotes.", nameof(expression))
            : RunAsync($"servers_rabbitmqctl '{RabbitDir}' eval '{expression}'");

    /// <summary>
    /// Removes every consumer of the queues whose name contains <paramref name="queueNamePart"/> inside the queue process
    /// only: the call a channel makes on basic.cancel, without a reply, so neither the channel nor MassTransit learns of
    /// it. This is the message RabbitMQ 3.10's classic queue process takes; a broker that does not know it fails the eval.
    /// Returns how many consumers were dropped, and what the broker answered.
    /// </summary>
    public async Task<(int Dropped, string Answer)> DropConsumersSilentlyAsync(string queueNamePart)
    {
        var answer = await EvalOnBrokerAsync(
            "[begin QPid = amqqueue:get_pid(Q), " +
            "[gen_server2:call(QPid, {basic_cancel, element(1, C), element(2, C), undefined, <<\"guest\">>}, infinity) " +
            "|| C <- rabbit_amqqueue:consumers(Q)] end " +
            $"|| Q <- rabbit_amqqueue:list(), string:find(binary_to_list(element(4, amqqueue:get_name(Q))), \"{queueNamePart}\") =/= nomatch].");
        return (OkCount().Matches(answer).Count, answer);
    }

    /// <summary>The consumers the broker delivers to, as queue name and consumer tag, one per line.</summary>
    public Task<string> ListConsumersAsync() => RunAsync($"servers_rabbitmqctl '{RabbitDir}' list_consumers queue_name consumer_tag");

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Nobody keeps what these servers hold: the broker is killed rather than stopped in order, which takes seconds.
            await RunAsync($"servers_stop_redis '{RedisDir}'; servers_kill_rabbitmq '{RabbitDir}'");
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>Runs a bash snippet with the server functions loaded; returns its output or fails with it.</summary>
    private static async Task<string> RunAsync(string script)
    {
        var run = await ProcessRun.BashAsync($". '{RepositoryPaths.ServersScript}' && {script}", Patience);
        return run.ExitCode == 0 ? run.Output : throw new InvalidOperationException($"`{script}` exited {run.ExitCode}: {run.Output}{run.Error}");
    }

    [GeneratedRegex(@"\bok\b")]
    private static partial Regex OkCount();
}
