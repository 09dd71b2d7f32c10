using InferenceCluster.Gateway.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// The end of the gateway's drain, <see cref="GatewayOptions.DrainGrace"/> after its stop began. A request still open
/// then is ended with 503 <c>server_shutting_down</c> (in a stream: that error as an event, then <c>[DONE]</c>) in the
/// <see cref="WriteTime"/> the web server still waits for it: at the end of its own wait it resets the connections,
/// which a client cannot tell from a network failure and a stream reader may take for its end.
/// </summary>
internal sealed class DrainEnd : IDisposable
{
    /// <summary>How long the web server waits, beyond the grace, for the requests ended then to say so.</summary>
    public static readonly TimeSpan WriteTime = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _ended;
    private readonly CancellationTokenRegistration _stopping;

    public DrainEnd(IHostApplicationLifetime lifetime, IOptions<GatewayOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(options);
        Grace = options.Value.DrainGrace;
        _ended = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _stopping = lifetime.ApplicationStopping.Register(() => _ended.CancelAfter(Grace));
    }

    /// <summary>The grace open requests get once the stop has begun.</summary>
    public TimeSpan Grace { get; }

    /// <summary>Fires when the grace is over.</summary>
    public CancellationToken Token => _ended.Token;

    public void Dispose()
    {
        _stopping.Dispose();
        _ended.Dispose();
    }
}
