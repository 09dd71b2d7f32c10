using System.Diagnostics;
using InferenceCluster.Contracts;
using InferenceCluster.Inference.Interop;
using InferenceCluster.Inference.Output;
using InferenceCluster.Inference.Telemetry;

namespace InferenceCluster.Inference.Engine;

/// <summary>
/// One request as the engine owner thread sees it. It reaches that thread through the loop's channel
/// when submitted, and once more when cancelled. Fields other than the cancel flag are touched only
/// on the owner thread.
/// </summary>
internal sealed class EngineSession(
    string requestId,
    int[] promptTokens,
    GenerationConfig config,
    bool withStops,
    PathOutputBuffer output,
    Action onReleased) : IMeteredRequest
{
    private int _cancelRequested;

    public string RequestId { get; } = requestId;

    public int[] PromptTokens { get; } = promptTokens;

    /// <summary>The request's config, which becomes the turn's native options on the owner thread.</summary>
    public GenerationConfig Config { get; } = config;

    /// <summary>Whether the engine matches the stop strings (false where the reader of the outputs does).</summary>
    public bool WithStops { get; } = withStops;

    /// <summary>The prompt and the most tokens the turn may generate: the engine reserves that much for the request.</summary>
    public long MaxSessionTokens => PromptTokens.Length + (long)Config.MaxTokens;

    public PathOutputBuffer Output { get; } = output;

    /// <summary>True once the owner thread has taken the submission; a later arrival is the cancel.</summary>
    public bool Received { get; set; }

    public NativeRequest? Request { get; set; }

    public ulong TurnId { get; set; }

    public int Generated { get; set; }

    /// <summary>True once the engine produced a token for this request (it is past any queue).</summary>
    public bool Started => Generated > 0;

    public int SequenceTokens => PromptTokens.Length + Generated;

    /// <summary>Timestamp of the last sign of progress (turn begun or token produced).</summary>
    public long LastProgress { get; set; } = Stopwatch.GetTimestamp();

    public bool CancelRequested => Volatile.Read(ref _cancelRequested) != 0;

    /// <summary>Returns true the first time it is called.</summary>
    public bool MarkCancelRequested() => Interlocked.Exchange(ref _cancelRequested, 1) == 0;

    /// <summary>Called once when the engine no longer holds anything for this request.</summary>
    public void Released() => onReleased();
}
