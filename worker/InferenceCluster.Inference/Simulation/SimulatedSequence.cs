using System.Threading.Channels;

namespace InferenceCluster.Inference.Simulation;

/// <summary>One request inside the simulated accelerator: its budget, its random stream and where its events go.</summary>
internal sealed class SimulatedSequence(int promptTokens, int maxTokens, int minTokens, ulong seed, int blocks)
{
    private int _cancelled;

    /// <summary>Mutable struct state: advanced in place by the step loop, the only code that draws from it.</summary>
    public SplitMix64 Random = new(seed);

    public int PromptTokens { get; } = promptTokens;

    public int MaxTokens { get; } = maxTokens;

    public int MinTokens { get; } = minTokens;

    /// <summary>KV blocks reserved for the prompt and max_tokens while the sequence is in the batch.</summary>
    public int Blocks { get; } = blocks;

    /// <summary>
    /// Timestamps (<see cref="TimeProvider.GetTimestamp"/>) of reaching the device's queue (after its permit), admission
    /// into the batch and first token.
    /// </summary>
    public long Queued { get; set; }

    public long Admitted { get; set; }

    public long FirstToken { get; set; }

    public int Generated { get; set; }

    /// <summary>
    /// Single writer (the step loop), single reader (the request's stream). The reader runs on the loop's thread
    /// when a token arrives, as a GPU engine's host loop hands tokens on: no thread hop per token, so the CPU a
    /// simulated worker spends is the worker's own, not the simulation's.
    /// </summary>
    public Channel<GenerationEvent> Events { get; } = Channel.CreateUnbounded<GenerationEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true });

    public bool IsCancelled => Volatile.Read(ref _cancelled) != 0;

    /// <summary>Marks the sequence for removal at the next step; true the first time.</summary>
    public bool Cancel() => Interlocked.Exchange(ref _cancelled, 1) == 0;
}
