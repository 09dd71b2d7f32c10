namespace InferenceCluster.Inference.Telemetry;

/// <summary>
/// What the engine metrics read of one request in the engine; an interface, so that the metrics need not know the
/// engine's own request type and the engine can depend on them.
/// </summary>
internal interface IMeteredRequest
{
    /// <summary>True once the engine produced a token for the request.</summary>
    bool Started { get; }

    /// <summary>The tokens its sequence holds: the prompt and what it generated so far.</summary>
    int SequenceTokens { get; }
}
