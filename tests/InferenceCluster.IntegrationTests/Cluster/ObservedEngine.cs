using System.Collections.Concurrent;
using InferenceCluster.Contracts;
using InferenceCluster.Inference;

namespace InferenceCluster.IntegrationTests.Cluster;

/// <summary>
/// The real engine of one worker, with a record of every request that reached it. This is how the tests see
/// which worker ran a request and whether a request reached a worker at all (a cache hit must not).
/// </summary>
public sealed class ObservedEngine(IInferenceEngine inner) : IInferenceEngine
{
    private readonly ConcurrentQueue<EngineRun> _runs = new();

    public ModelDescriptor Model => inner.Model;

    public int InFlight => inner.InFlight;

    public IReadOnlyList<PathProgress> Progress => inner.Progress;

    /// <summary>Requests this engine accepted, in arrival order.</summary>
    public IReadOnlyList<EngineRun> Runs => [.. _runs];

    public IAsyncEnumerable<GenerationEvent> GenerateAsync(
        string requestId,
        IReadOnlyList<ChatMessage>? messages,
        string? prompt,
        GenerationConfig config,
        CancellationToken cancellationToken = default)
    {
        // Validation throws from this call; a rejected request never counts as a run.
        var events = inner.GenerateAsync(requestId, messages, prompt, config, cancellationToken);
        var run = new EngineRun(requestId, messages?[^1].Content ?? prompt, config);
        _runs.Enqueue(run);
        return ObserveAsync(run, events);
    }

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private static async IAsyncEnumerable<GenerationEvent> ObserveAsync(EngineRun run, IAsyncEnumerable<GenerationEvent> events)
    {
        GenerationFinishReason? reason = null;
        try
        {
            await foreach (var generationEvent in events.ConfigureAwait(false))
            {
                switch (generationEvent)
                {
                    case TokenGenerated:
                        run.CountToken();
                        break;
                    case GenerationCompleted completed:
                        reason = completed.FinishReason;
                        break;
                }

                yield return generationEvent;
            }
        }
        finally
        {
            run.End(reason);
        }
    }
}
