using System.ComponentModel.DataAnnotations;

namespace InferenceCluster.Inference.Simulation;

/// <summary>
/// The step-time model of the simulated accelerator (configuration section "Inference:Simulation", used when
/// Inference:ExecutionProvider is "simulated"). Defaults model one H100 SXM running DeepSeek-R1-Distill-Qwen-1.5B
/// in bf16; docs/scaling.md derives every number.
/// </summary>
public sealed class SimulationOptions
{
    public const string SectionName = "Inference:Simulation";

    /// <summary>a: the fixed part of one decode step (weights streamed once, kernel launches, scheduling).</summary>
    [Range(0.001, 10_000, ErrorMessage = "Inference:Simulation:DecodeBaseMilliseconds must be between 0.001 and 10000.")]
    public double DecodeBaseMilliseconds { get; set; } = 2.5;

    /// <summary>b: what each sequence in the batch adds to a decode step (its KV reads, its share of the math, sampling).</summary>
    [Range(0, 1_000, ErrorMessage = "Inference:Simulation:DecodePerSequenceMilliseconds must be between 0 and 1000.")]
    public double DecodePerSequenceMilliseconds { get; set; } = 0.02;

    /// <summary>c: what each prompt token costs in the step that prefills it.</summary>
    [Range(0, 1_000, ErrorMessage = "Inference:Simulation:PrefillPerTokenMilliseconds must be between 0 and 1000.")]
    public double PrefillPerTokenMilliseconds { get; set; } = 0.009;

    /// <summary>Most sequences in one step (vLLM's max_num_seqs); fewer when Inference:MaxConcurrency is lower.</summary>
    [Range(1, 65_536, ErrorMessage = "Inference:Simulation:MaxBatch must be between 1 and 65536.")]
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// Prompt tokens one step prefills at most (vLLM's max_num_batched_tokens); further arrivals wait for the
    /// next step. A prompt longer than this is prefilled alone in one longer step.
    /// </summary>
    [Range(1, 10_000_000, ErrorMessage = "Inference:Simulation:MaxPrefillTokensPerStep must be between 1 and 10000000.")]
    public int MaxPrefillTokensPerStep { get; set; } = 8192;

    /// <summary>Tokens per KV block.</summary>
    [Range(1, 4096, ErrorMessage = "Inference:Simulation:KvBlockSize must be between 1 and 4096.")]
    public int KvBlockSize { get; set; } = 16;

    /// <summary>
    /// KV blocks of the device. A sequence reserves blocks for its prompt plus max_tokens when it is admitted
    /// (no preemption); arrivals wait while the blocks are taken.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = "Inference:Simulation:KvBlocks must be at least 1.")]
    public int KvBlocks { get; set; } = 140_000;

    /// <summary>Chance per generated token, once min_tokens are out, that the sequence ends (mean answer length is its inverse).</summary>
    [Range(0.0, 1.0, ErrorMessage = "Inference:Simulation:EndOfSequenceProbability must be between 0 and 1.")]
    public double EndOfSequenceProbability { get; set; } = 0.002;

    /// <summary>
    /// Every simulated duration is multiplied by this: 10 runs the device at a tenth of its speed, so that many
    /// simulated workers fit the CPU of a small machine while keeping the shape of the timing.
    /// </summary>
    [Range(0.001, 1_000_000, ErrorMessage = "Inference:Simulation:Slowdown must be between 0.001 and 1000000.")]
    public double Slowdown { get; set; } = 1;
}
