using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Policy;

/// <summary>
/// Which token limits of a resolved config are the server's for the worker to fit to the room the prompt leaves, decided
/// once, in the merge: a max_tokens or min_tokens the client never sent (a profile's, a default, a pin that replaced
/// another value) is fitted; a client's own is honoured or rejected as sent, even when a key's cap lowered it or a pin
/// happens to equal it (nothing was replaced, so nothing was reported).
/// </summary>
internal static class ContextFitDecision
{
    /// <summary>The <paramref name="config"/> with <see cref="GenerationConfig.FitMaxTokensToContext"/> and <see cref="GenerationConfig.FitMinTokensToContext"/> set.</summary>
    public static GenerationConfig Mark(GenerationConfig config, SamplingSettings requested, KeyPolicy? policy) => config with
    {
        FitMaxTokensToContext = ServerChosen(requested.MaxTokens, PolicyParams.MaxTokens, policy),
        FitMinTokensToContext = ServerChosen(requested.MinTokens, PolicyParams.MinTokens, policy),
    };

    private static bool ServerChosen(int? sent, string param, KeyPolicy? policy) =>
        sent is not { } own || (policy is not null && policy.Pins.TryGetValue(param, out var pinned) && pinned != own);
}
