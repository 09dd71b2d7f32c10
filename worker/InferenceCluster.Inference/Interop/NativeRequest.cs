namespace InferenceCluster.Inference.Interop;

/// <summary>
/// One engine request. Every member except <see cref="Dispose"/> must run on the engine's owner
/// thread, like every other engine call.
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

    /// <summary>Queues a turn on the given input; options are copied before return.</summary>
    public unsafe ulong BeginTurn(TurnSettings settings, ReadOnlySpan<int> inputIds)
    {
        OgaResult.Check(NativeMethods.OgaRequestCreateTurnOptions(_handle, out var options));
        using (options)
        {
            Apply(options, settings);
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

    private static void Apply(OgaTurnOptionsHandle options, TurnSettings s)
    {
        OgaResult.Check(NativeMethods.OgaTurnOptionsSetMaxGeneratedTokens(options, (ulong)s.MaxGeneratedTokens));
        if (s.MinGeneratedTokens > 0)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetMinGeneratedTokens(options, (ulong)s.MinGeneratedTokens));
        }

        OgaResult.Check(NativeMethods.OgaTurnOptionsSetDoSample(options, s.DoSample));
        if (s.Temperature is { } temperature)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetTemperature(options, temperature));
        }

        if (s.TopP is { } topP)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetTopP(options, topP));
        }

        if (s.TopK is { } topK)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetTopK(options, topK));
        }

        if (s.RepetitionPenalty is { } penalty)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetRepetitionPenalty(options, penalty));
        }

        if (s.NoRepeatNgramSize is { } ngram)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetNoRepeatNgramSize(options, ngram));
        }

        if (s.Seed is { } seed)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetSeed(options, seed));
        }

        if (s.StopStrings.Count > 0)
        {
            OgaResult.Check(NativeMethods.OgaCreateStringArray(out var array));
            using (array)
            {
                foreach (var stop in s.StopStrings)
                {
                    OgaResult.Check(NativeMethods.OgaStringArrayAddString(array, stop));
                }

                OgaResult.Check(NativeMethods.OgaTurnOptionsSetStopStrings(options, array));
            }
        }

        if (s.Guidance is { } guidance)
        {
            OgaResult.Check(NativeMethods.OgaTurnOptionsSetGuidance(options, guidance.Type, guidance.Data));
        }
    }
}
