using System.ComponentModel.DataAnnotations;

namespace InferenceCluster.ServiceDefaults.Listener;

/// <summary>
/// Where a service without a web front of its own serves <c>/metrics</c> and the health endpoints
/// (keys <c>MetricsPort</c> and <c>MetricsAddress</c> of the section the service names).
/// </summary>
public sealed class MetricsListenerOptions
{
    /// <summary>The port Prometheus' OpenTelemetry exporters use by convention.</summary>
    public const int DefaultPort = 9464;

    /// <summary>TCP port; 0 takes any free port (logged at start), useful when several run on one machine.</summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; } = DefaultPort;

    /// <summary>
    /// Interface to listen on: an IP address, <c>localhost</c>, or <c>0.0.0.0</c> / <c>+</c> for all of them (containers).
    /// Loopback by default, so a developer machine does not expose its metrics.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^(\+|\*|localhost|[0-9.]+|\[[0-9A-Fa-f:.]+\])$",
        ErrorMessage = "MetricsAddress must be an IP address, 'localhost', '+' or '*'.")]
    public string MetricsAddress { get; set; } = "127.0.0.1";

    /// <summary>The URL Kestrel is told to listen on.</summary>
    internal string Url => $"http://{MetricsAddress}:{MetricsPort}";
}
