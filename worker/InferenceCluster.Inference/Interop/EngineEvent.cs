namespace InferenceCluster.Inference.Interop;

/// <summary>One event copied out of the engine's borrowed event buffer.</summary>
internal readonly record struct EngineEvent(
    NativeRequest? Request,
    EngineEventFlags Flags,
    int Token,
    EngineFinishReason FinishReason,
    EngineErrorCode ErrorCode,
    EngineTurnUsage? Usage,
    int TerminalToken = -1)
{
    public bool HasToken => (Flags & EngineEventFlags.Token) != 0;

    public bool IsTurnFinished => (Flags & EngineEventFlags.TurnFinished) != 0;

    public bool IsFailed => (Flags & EngineEventFlags.Failed) != 0;

    public bool IsCapacityBlocked => (Flags & EngineEventFlags.CapacityBlocked) != 0;
}
