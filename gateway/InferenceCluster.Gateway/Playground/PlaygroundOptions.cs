namespace InferenceCluster.Gateway.Playground;

/// <summary>Settings of the browser playground served at <c>/</c> (section <c>Gateway:Playground</c>).</summary>
public sealed class PlaygroundOptions
{
    public const string SectionName = "Gateway:Playground";

    /// <summary>The placeholder a trace link template must contain; the page puts the request's trace id there.</summary>
    public const string TraceIdPlaceholder = "{traceId}";

    /// <summary>Serve the page, its files and <c>/playground/config.json</c>; off = all of them answer 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Address of one trace in the tracing dashboard, with <see cref="TraceIdPlaceholder"/> where the trace id
    /// goes (e.g. <c>http://127.0.0.1:18888/traces/detail/{traceId}</c>); empty = answers show no trace link.
    /// </summary>
    public string? TraceUrlTemplate { get; set; }
}
