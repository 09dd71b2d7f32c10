using InferenceCluster.Contracts;
using InferenceCluster.Inference.Output;

namespace InferenceCluster.Inference.Classic;

/// <summary>One request for the classic per-request Generator path.</summary>
internal sealed record ClassicJob(
    string RequestId,
    int[] PromptTokens,
    GenerationConfig Config,
    PathOutputBuffer Output,
    CancellationToken Cancellation,
    Action OnReleased);
