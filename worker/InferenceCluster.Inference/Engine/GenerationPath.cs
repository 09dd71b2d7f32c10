namespace InferenceCluster.Inference.Engine;

/// <summary>Which machinery serves a request.</summary>
internal enum GenerationPath
{
    /// <summary>Continuous batching on a paged model; every option applied per turn by the engine.</summary>
    DynamicEngine,

    /// <summary>Static batching on a standard model; stop strings enforced by the worker.</summary>
    StaticEngine,

    /// <summary>One classic Generator per request: log-probabilities, seeded sampling on a static model.</summary>
    Classic,
}
