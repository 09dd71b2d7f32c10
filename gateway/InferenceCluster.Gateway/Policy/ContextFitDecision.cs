namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// Whether a token limit of a resolved config is the server's for the worker to fit to the room the prompt leaves,
/// decided once, in the merge: a max_tokens or min_tokens the client never sent (a profile's, a default, a pin that
/// replaced another value) is fitted; a client's own is honoured or rejected as sent, even when a key's cap lowered it
/// or a pin happens to equal it (nothing was replaced, so nothing was reported). It takes the limit alone, not the
/// config: nothing else of a request bears on who chose it.
/// </summary>
internal static class ContextFitDecision
{
    /// <summary>True when the <paramref name="param"/> a request runs with is the server's, given what the client <paramref name="sent"/>.</summary>
    public static bool ServerChosen(int? sent, string param, KeyPolicy? policy) =>
        sent is not { } own || (policy is not null && policy.Pins.TryGetValue(param, out var pinned) && pinned != own);
}
