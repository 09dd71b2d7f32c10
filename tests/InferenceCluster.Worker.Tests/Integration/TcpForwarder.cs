using System.Net;
using System.Net.Sockets;

namespace InferenceCluster.Worker.Tests.Integration;

/// <summary>
/// Forwards local TCP connections to a server, and can cut every connection open so far while taking new ones: what
/// a client sees of a broker restart, at once or only when it next sends.
/// </summary>
internal sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly List<TcpClient> _open = [];
    private readonly List<TcpClient> _serverSides = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TcpForwarder(string host, int port)
    {
        _host = host;
        _port = port;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Closes every connection made so far, both ways.</summary>
    public void CutAll()
    {
        lock (_open)
        {
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
            _serverSides.Clear();
        }
    }

    /// <summary>
    /// Closes the server's side of every connection made so far; a client learns of it only when it next sends, which
    /// closes its side then (a restart it has not noticed yet, however long it was given to notice).
    /// </summary>
    public void CutServerSides()
    {
        lock (_open)
        {
            foreach (var server in _serverSides)
            {
                server.Dispose();
            }

            _serverSides.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        CutAll();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            var outbound = new TcpClient();
            await outbound.ConnectAsync(_host, _port, _stop.Token);
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
                _serverSides.Add(outbound);
            }

            _ = PumpAsync(inbound.GetStream(), outbound.GetStream(), closeFromWhenCut: true);
            _ = PumpAsync(outbound.GetStream(), inbound.GetStream(), closeFromWhenCut: false);
        }
    }

    /// <param name="from">Read from.</param>
    /// <param name="to">Written to.</param>
    /// <param name="closeFromWhenCut">Whether <paramref name="from"/> is closed once <paramref name="to"/> is found cut:
    /// the client's side, when what it sent could not reach the server.</param>
    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool closeFromWhenCut)
    {
        try
        {
            await from.CopyToAsync(to, _stop.Token);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Cut: the other direction ends too.
            if (closeFromWhenCut)
            {
                from.Dispose();
            }
        }
    }
}
