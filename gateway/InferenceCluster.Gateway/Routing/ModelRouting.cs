namespace InferenceCluster.Gateway.Routing;

/// <summary>
/// Names shared by the routing middleware and the YARP configuration. The body's <c>model</c> is copied
/// into <see cref="ModelHeader"/> before routing, so that YARP routes can match a model with an ordinary
/// header match; the worker pool's route has no header match and takes every other model.
/// </summary>
public static class ModelRouting
{
    /// <summary>The request header the gateway sets from the body's <c>model</c> (any client value is overwritten).</summary>
    public const string ModelHeader = "X-Inference-Model";

    /// <summary>Cluster metadata key that selects how a cluster's requests are answered.</summary>
    public const string DispatchMetadataKey = "Dispatch";

    /// <summary>The <see cref="DispatchMetadataKey"/> value of the worker pool: answered through the model queues.</summary>
    public const string QueueDispatch = "Queue";

    /// <summary>Optional route metadata key: who a forwarded model belongs to, shown as <c>owned_by</c> in /v1/models.</summary>
    public const string OwnedByMetadataKey = "OwnedBy";

    /// <summary>Whether a cluster with this metadata is the worker pool, answered through the model queues.</summary>
    internal static bool IsQueueCluster(IReadOnlyDictionary<string, string>? metadata) =>
        metadata is not null
        && metadata.TryGetValue(DispatchMetadataKey, out var dispatch)
        && string.Equals(dispatch, QueueDispatch, StringComparison.OrdinalIgnoreCase);

    /// <summary>The OpenAI operations whose body names a model.</summary>
    internal static bool IsModelRouted(string path) =>
        OperationPath(path) is var operation
        && (operation.Equals("/v1/chat/completions", StringComparison.OrdinalIgnoreCase)
            || operation.Equals("/v1/completions", StringComparison.OrdinalIgnoreCase)
            || operation.Equals("/v1/responses", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The operation a request path names: without one trailing slash, which ASP.NET Core's route matching (and so
    /// YARP's) ignores; a path the routes take must not be read as another operation here.
    /// </summary>
    internal static string OperationPath(string path) =>
        path.Length > 1 && path.EndsWith('/') ? path[..^1] : path;
}
