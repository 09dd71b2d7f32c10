namespace InferenceCluster.Inference.Interop;

/// <summary>
/// A GenAI Engine with its event buffer. GenAI requires every call to come from the thread that
/// created it, so this type is created, driven and disposed on one owner thread.
/// </summary>
internal sealed class NativeEngine : IDisposable
{
    private readonly OgaEngineHandle _engine;
    private readonly OgaEventBufferHandle _buffer;
    private readonly Dictionary<nint, NativeRequest> _requests = [];

    private NativeEngine(OgaEngineHandle engine, OgaEventBufferHandle buffer, EngineCapabilities capabilities)
    {
        _engine = engine;
        _buffer = buffer;
        Capabilities = capabilities;
    }

    public EngineCapabilities Capabilities { get; }

    /// <summary>
    /// Loads the model folder with the given execution provider ("cpu" keeps the config's own
    /// providers cleared), applies a JSON overlay to genai_config, and creates the engine.
    /// </summary>
    public static NativeEngine Create(string modelPath, string executionProvider, string? configOverlayJson, int eventCapacity)
    {
        OgaResult.Check(NativeMethods.OgaCreateConfig(modelPath, out var config));
        using (config)
        {
            OgaResult.Check(NativeMethods.OgaConfigClearProviders(config));
            if (!string.Equals(executionProvider, "cpu", StringComparison.OrdinalIgnoreCase))
            {
                OgaResult.Check(NativeMethods.OgaConfigAppendProvider(config, executionProvider));
            }

            if (!string.IsNullOrEmpty(configOverlayJson))
            {
                OgaResult.Check(NativeMethods.OgaConfigOverlay(config, configOverlayJson));
            }

            OgaResult.Check(NativeMethods.OgaCreateModelFromConfig(config, out var model));

            // The engine retains the model; our handle can go as soon as the engine exists.
            using (model)
            {
                OgaResult.Check(NativeMethods.OgaCreateEngine(model, out var engine));
                try
                {
                    var capabilities = ReadCapabilities(engine);
                    OgaResult.Check(NativeMethods.OgaCreateEngineEventBuffer(engine, (nuint)eventCapacity, out var buffer));
                    return new NativeEngine(engine, buffer, capabilities);
                }
                catch
                {
                    engine.Dispose();
                    throw;
                }
            }
        }
    }

    /// <summary>Creates a request limited to <paramref name="maxSessionTokens"/> (prompt plus generated); 0 = model default.</summary>
    public NativeRequest CreateRequest(long maxSessionTokens)
    {
        OgaResult.Check(NativeMethods.OgaCreateRequestOptions(out var options));
        using (options)
        {
            if (maxSessionTokens > 0)
            {
                OgaResult.Check(NativeMethods.OgaRequestOptionsSetMaxSessionTokens(options, (ulong)maxSessionTokens));
            }

            OgaResult.Check(NativeMethods.OgaEngineCreateRequest(_engine, options, out var handle));
            var request = new NativeRequest(handle);
            _requests[request.Address] = request;
            return request;
        }
    }

    /// <summary>Closes the request, stops routing its events and releases the handle.</summary>
    public void Release(NativeRequest request)
    {
        _requests.Remove(request.Address);
        try
        {
            request.Close();
        }
        finally
        {
            request.Dispose();
        }
    }

    /// <summary>
    /// Advances the engine by at most one model step (or drains retained events) and appends the
    /// events it produced. A partial prefill may legitimately produce none.
    /// </summary>
    public int Run(List<EngineEvent> into)
    {
        OgaResult.Check(NativeMethods.OgaEngineRun(_engine, _buffer));
        var count = (int)NativeMethods.OgaEngineEventBufferGetCount(_buffer);
        for (var i = 0; i < count; i++)
        {
            into.Add(Read(NativeMethods.OgaEngineEventBufferGet(_buffer, (nuint)i)));
        }

        return count;
    }

    /// <summary>True while undelivered events or schedulable work remain.</summary>
    public bool HasPendingWork()
    {
        OgaResult.Check(NativeMethods.OgaEngineHasPendingRequests(_engine, out var pending));
        return pending;
    }

    public void Dispose()
    {
        foreach (var request in _requests.Values.ToList())
        {
            Release(request);
        }

        _buffer.Dispose();
        _engine.Dispose();
    }

    private EngineEvent Read(nint view)
    {
        OgaResult.Check(NativeMethods.OgaEngineEventGetFlags(view, out var flags));
        OgaResult.Check(NativeMethods.OgaEngineEventGetRequest(view, out var requestAddress));

        // Most events are plain tokens: read only what their flags say they carry (this runs per token).
        var token = -1;
        if ((flags & EngineEventFlags.Token) != 0)
        {
            OgaResult.Check(NativeMethods.OgaEngineEventGetToken(view, out token));
        }

        var errorCode = EngineErrorCode.None;
        if ((flags & (EngineEventFlags.TurnFinished | EngineEventFlags.Failed | EngineEventFlags.CapacityBlocked)) != 0)
        {
            OgaResult.Check(NativeMethods.OgaEngineEventGetErrorCode(view, out errorCode));
        }

        var reason = EngineFinishReason.None;
        EngineTurnUsage? usage = null;
        var terminal = -1;
        if ((flags & EngineEventFlags.TurnFinished) != 0)
        {
            OgaResult.Check(NativeMethods.OgaEngineEventGetFinishReason(view, out reason));
            OgaResult.Check(NativeMethods.OgaEngineEventGetTerminalTokenId(view, out terminal));
            OgaResult.Check(NativeMethods.OgaEngineEventGetUsage(view, out var usageView));
            if (usageView != 0)
            {
                OgaResult.Check(NativeMethods.OgaTurnUsageGetPromptTokens(usageView, out var prompt));
                OgaResult.Check(NativeMethods.OgaTurnUsageGetGeneratedTokens(usageView, out var generated));
                OgaResult.Check(NativeMethods.OgaTurnUsageGetCachedPromptTokens(usageView, out var cached));
                usage = new EngineTurnUsage((long)prompt, (long)generated, (long)cached);
            }
        }

        _requests.TryGetValue(requestAddress, out var request);
        return new EngineEvent(request, flags, token, reason, errorCode, usage, terminal);
    }

    private static EngineCapabilities ReadCapabilities(OgaEngineHandle engine)
    {
        OgaResult.Check(NativeMethods.OgaEngineGetCapabilities(engine, out var capabilities));
        try
        {
            return new EngineCapabilities(
                (int)NativeMethods.OgaEngineCapabilitiesGetConfiguredMaxBatchSize(capabilities),
                (int)NativeMethods.OgaEngineCapabilitiesGetMaxScheduledTokens(capabilities),
                (long)NativeMethods.OgaEngineCapabilitiesGetMaxRequestLength(capabilities));
        }
        finally
        {
            NativeMethods.OgaDestroyEngineCapabilities(capabilities);
        }
    }
}
