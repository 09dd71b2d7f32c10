using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Interop;

/// <summary>
/// One engine request. Every instance member except <see cref="Dispose"/> must run on the engine's owner
/// thread, like every other engine call; the static <see cref="Samples"/> touches nothing native and is
/// read at admission too.
/// </summary>
internal sealed class NativeRequest : IDisposable
{
    private readonly OgaRequestHandle _handle;
    private bool _closed;

    internal NativeRequest(OgaRequestHandle handle)
    {
        _handle = handle;
    }

    /// <summary>Identity used to route borrowed event views back to this request.</summary>
    internal nint Address => _handle.DangerousGetHandle();

    /// <summary>Anything the owner attaches to route events (its session).</summary>
    public object? State { get; set; }

    /// <summary>
    /// Whether GenAI is asked to sample. Sampling from the top-1 token is greedy selection, and GenAI rejects
    /// sampling knobs on it, so it runs as greedy (the gateway already sends it as greedy).
    /// </summary>
    public static bool Samples(GenerationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.DoSample && config.TopK != 1;
    }

    /// <summary>
    /// Queues a turn with <paramref name="config"/> on the given input; options are copied before return.
    /// <paramref name="withStops"/> is false on a path that matches stop strings itself.
    /// </summary>
    public unsafe ulong BeginTurn(GenerationConfig config, bool withStops, ReadOnlySpan<int> inputIds)
    {
        ArgumentNullException.ThrowIfNull(config);
        OgaResult.Check(NativeMethods.OgaRequestCreateTurnOptions(_handle, out var options));
        using (options)
        {
            Apply(options, config, withStops);
            fixed (int* ids = inputIds)
            {
                OgaResult.Check(NativeMethods.OgaRequestBeginTurn(_handle, options, ids, (ulong)inputIds.Length, out var turnId));
                return turnId;
            }
        }
    }

    /// <summary>True when a queued or active turn was cancelled (it then yields one Cancelled event).</summary>
    public bool CancelTurn(ulong turnId)
    {
        OgaResult.Check(NativeMethods.OgaRequestCancelTurn(_handle, turnId, out var cancelled));
        return cancelled;
    }

    /// <summary>Releases the request's engine resources; the engine admits no new work until finished requests are closed.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        OgaResult.Check(NativeMethods.OgaRequestClose(_handle));
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>
    /// The native options of a turn. An option left unset is "the model's default for this turn" (never "what the
    /// previous turn used"); a greedy turn leaves the sampling knobs unset, because GenAI rejects knobs it would ignore.
    /// </summary>
    private static void Apply(OgaTurnOptionsHandle options, GenerationConfig config, bool withStops)
    {
        var sample = Samples(config);
        OgaResult.Check(NativeMethods.OgaTurnOptionsSetMaxGeneratedTokens(options, (ulong)config.MaxTokens));
        if (config.MinTokens > 0)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetMinGeneratedTokens(options, (ulong)config.MinTokens));
        }

        OgaResult.Check(NativeMethods.OgaTurnOptionsSetDoSample(options, sample));
        if (sample)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetTemperature(options, (float)config.Temperature));
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetTopP(options, (float)config.TopP));

            // 0 means "no limit" here but "model default" (often 50) when unset in GenAI: always explicit.
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetTopK(options, config.TopK));
        }

        OgaResult.Check(NativeMethods.OgaTurnOptionsSetRepetitionPenalty(options, (float)config.RepetitionPenalty));
        OgaResult.Check(NativeMethods.OgaTurnOptionsSetNoRepeatNgramSize(options, config.NoRepeatNgramSize));
        if (sample && config.Seed is { } seed)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetSeed(options, (ulong)SamplerSeed.Of(seed)));
        }

        if (withStops && config.Stop.Count > 0)
        {
            OgaResult.Check(NativeMethods.OgaCreateStringArray(out var array));
            using (array)
            {
                foreach (var stop in config.Stop)
                {
                    OgaResult.Check(NativeMethods.OgaStringArrayAddString(array, stop));
                }

                OgaResult.Check(NativeMethods.OgaTurnOptionsSetStopStrings(options, array));
            }
        }

        if (config.Guidance is { } guidance)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetGuidance(options, guidance.Type, guidance.Data));
        }
    }
}
