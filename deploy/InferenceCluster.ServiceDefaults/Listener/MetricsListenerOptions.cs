namespace InferenceCluster.ServiceDefaults.Listener;

/// <summary>
/// Where a service without a web front of its own serves <c>/metrics</c> and the health endpoints
/// (keys <c>MetricsPort</c> and <c>MetricsAddress</c> of the section the service names; checked at start by
/// <see cref="MetricsListenerOptionsValidator"/>, whose messages name the keys in that section).
/// </summary>
public sealed class MetricsListenerOptions
{
    /// <summary>The port Prometheus' OpenTelemetry exporters use by convention.</summary>
    public const int DefaultPort = 9464;

    /// <summary>TCP port, 0 to 65535; 0 takes any free port (logged at start), useful when several run on one machine.</summary>
    public int MetricsPort { get; set; } = DefaultPort;

    /// <summary>
    /// Interface to listen on: an IP address, <c>localhost</c>, or <c>0.0.0.0</c> / <c>+</c> for all of them (containers).
    /// Loopback by default, so a developer machine does not expose its metrics.
    /// </summary>
    public string MetricsAddress { get; set; } = "127.0.0.1";

    /// <summary>The URL Kestrel is told to listen on.</summary>
    internal string Url => $"http://{MetricsAddress}:{MetricsPort}";
}
