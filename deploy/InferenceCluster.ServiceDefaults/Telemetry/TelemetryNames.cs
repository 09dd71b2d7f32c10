namespace InferenceCluster.ServiceDefaults;

/// <summary>Names of the activity sources and meters every service listens to.</summary>
public static class TelemetryNames
{
    /// <summary>MassTransit's own ActivitySource and Meter (send, receive, consume spans; message counters).</summary>
    public const string MassTransit = "MassTransit";

    /// <summary>Spans the gateway creates (validation, cache lookup, dispatch).</summary>
    public const string Gateway = "InferenceCluster.Gateway";

    /// <summary>Spans the worker creates (queue wait, prefill, decode).</summary>
    public const string Worker = "InferenceCluster.Worker";
}
