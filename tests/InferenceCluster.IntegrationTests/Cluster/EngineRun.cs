using InferenceCluster.Contracts;
using InferenceCluster.Inference;

namespace InferenceCluster.IntegrationTests.Cluster;

/// <summary>One request as a worker's engine saw it: what it was asked, what it produced, and how it ended.</summary>
public sealed class EngineRun(string requestId, string? prompt, GenerationConfig config)
{
    private readonly TaskCompletionSource<GenerationFinishReason?> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _tokens;

    /// <summary>The command's request id ("N" format), the suffix of the OpenAI completion id.</summary>
    public string RequestId { get; } = requestId;

    /// <summary>
    /// The last message's text (or the raw prompt). Tests pick their runs by it: other test projects may use
    /// the same broker and send requests for the same model while these tests run.
    /// </summary>
    public string? Prompt { get; } = prompt;

    public GenerationConfig Config { get; } = config;

    /// <summary>Tokens the engine produced so far.</summary>
    public int Tokens => Volatile.Read(ref _tokens);

    /// <summary>
    /// Completes when the engine's stream for this request is over: with the engine's finish reason, or null
    /// when the worker abandoned the stream before its final event.
    /// </summary>
    public Task<GenerationFinishReason?> Ended => _ended.Task;

    internal void CountToken() => Interlocked.Increment(ref _tokens);

    internal void End(GenerationFinishReason? reason) => _ended.TrySetResult(reason);
}
