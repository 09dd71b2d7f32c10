using InferenceCluster.Inference.Interop;
using InferenceCluster.Inference.Output;

namespace InferenceCluster.Inference.Engine;

/// <summary>How an engine event that ends a turn reads as the end of a request on the engine path.</summary>
internal static class TurnOutcome
{
    /// <summary>The final output of <paramref name="session"/> for the turn-finished event <paramref name="e"/>; the engine's usage when it reports one.</summary>
    public static PathFinished Finished(EngineEvent e, EngineSession session)
    {
        var usage = e.Usage;
        var reason = e.FinishReason switch
        {
            EngineFinishReason.Eos => PathFinishReason.EndOfSequence,
            EngineFinishReason.StopString => PathFinishReason.StopString,
            EngineFinishReason.MaxGeneratedTokens or EngineFinishReason.MaxSessionTokens => PathFinishReason.Length,
            EngineFinishReason.Cancelled => PathFinishReason.Cancelled,
            _ => PathFinishReason.Failed,
        };
        return new PathFinished(
            reason,
            (int)(usage?.PromptTokens ?? session.PromptTokens.Length),
            (int)(usage?.GeneratedTokens ?? session.Generated),
            (int)(usage?.CachedPromptTokens ?? 0),
            reason == PathFinishReason.Failed ? $"engine failed the request ({e.ErrorCode})" : null,
            TerminalToken: e.TerminalToken >= 0 ? e.TerminalToken : null);
    }
}
