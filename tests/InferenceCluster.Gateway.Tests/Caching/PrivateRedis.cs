using System.Globalization;
using InferenceCluster.IntegrationTests;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Tests.Caching;

/// <summary>
/// A redis-server of one test's own, started by the repository's server functions (deploy/local/servers.sh, as the drills'
/// servers are) on a free port with its files in a temporary directory, so that the test can reconfigure it (CONFIG SET)
/// without disturbing tests that share the run's Redis. A server that does not start fails the test: scripts/test.sh
/// installs redis-server.
/// </summary>
internal sealed class PrivateRedis : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly string ServersScript = FindServersScript();

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-redis.").FullName;

    private PrivateRedis(int port) => Port = port;

    public int Port { get; }

    /// <summary>The connection string of the server.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<PrivateRedis> StartAsync()
    {
        var redis = new PrivateRedis(int.Parse((await RunAsync("servers_free_port")).Trim(), CultureInfo.InvariantCulture));
        try
        {
            await RunAsync($"servers_start_redis '{redis._dir}' {redis.Port}");
            return redis;
        }
        catch
        {
            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sets a server setting, as <c>redis-cli CONFIG SET</c> does.</summary>
    public async Task ConfigSetAsync(string name, string value)
    {
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{Address},allowAdmin=true");
        await admin.GetServer(Address).ConfigSetAsync(name, value);
    }

    /// <summary>Stops the server, as an outage would; <see cref="StartAgainAsync"/> starts it on the same port.</summary>
    public Task StopAsync() => RunAsync($"servers_stop_redis '{_dir}'");

    /// <summary>Starts the stopped server again on its port (empty: it saves nothing).</summary>
    public Task StartAgainAsync() => RunAsync($"servers_start_redis '{_dir}' {Port}");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync($"servers_stop_redis '{_dir}'");
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>Runs a bash snippet with the server functions loaded; returns its output or fails with it.</summary>
    private static async Task<string> RunAsync(string script)
    {
        var run = await ProcessRun.BashAsync($". '{ServersScript}' && {script}", Patience);
        return run.ExitCode == 0 ? run.Output : throw new InvalidOperationException($"`{script}` exited {run.ExitCode}: {run.Output}{run.Error}");
    }

    /// <summary>deploy/local/servers.sh, found from the test assembly up (it sits in tests/&lt;project&gt;/bin/…).</summary>
    private static string FindServersScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, "deploy", "local", "servers.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new FileNotFoundException($"deploy/local/servers.sh was not found above {AppContext.BaseDirectory}.");
    }
}
