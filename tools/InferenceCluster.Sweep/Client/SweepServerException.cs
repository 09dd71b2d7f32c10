using System.Net;

namespace InferenceCluster.Sweep.Client;

/// <summary>The server refused or failed a request; the message names the grid point and the server's own words.</summary>
public sealed class SweepServerException(HttpStatusCode? status, string message, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status, null when no response arrived.</summary>
    public HttpStatusCode? Status { get; } = status;
}
