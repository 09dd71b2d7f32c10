using InferenceCluster.Contracts;
using InferenceCluster.Inference.Interop;

namespace InferenceCluster.Inference.Engine;

/// <summary>A validated request: its tokens, the path that serves it, and the engine turn settings when an engine does.</summary>
internal sealed record RequestPlan(
    string RequestId,
    int[] PromptTokens,
    GenerationConfig Config,
    GenerationPath Path,
    TurnSettings? Turn)
{
    /// <summary>True when the engine itself ends the turn on a stop string (dynamic batching only).</summary>
    public bool EngineEnforcesStops => Path == GenerationPath.DynamicEngine;
}
