using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace InferenceCluster.Gateway.Tests.Caching;

/// <summary>
/// A redis-server of one test's own, on a free loopback port with its files in a temporary directory, so that the test can
/// reconfigure it (CONFIG SET) without disturbing tests that share the run's Redis. A server that does not start fails the
/// test: scripts/test.sh installs redis-server.
/// </summary>
internal sealed class PrivateRedis : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _dir = Directory.CreateTempSubdirectory("inferencecluster-redis.").FullName;
    private Process? _process;

    private PrivateRedis(int port) => Port = port;

    public int Port { get; }

    /// <summary>The connection string of the server.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<PrivateRedis> StartAsync()
    {
        var redis = new PrivateRedis(FreePort());
        try
        {
            var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in (string[])["--bind", "127.0.0.1", "--port", redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--dir", redis._dir, "--logfile", Path.Combine(redis._dir, "redis.log"), "--save", "", "--appendonly", "no"])
            {
                start.ArgumentList.Add(argument);
            }

            redis._process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
            await redis.WaitListeningAsync();
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

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private async Task WaitListeningAsync()
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (waited.Elapsed < Patience && !_process!.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
