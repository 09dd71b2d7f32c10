using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Engine;

/// <summary>
/// The one rule for fitting a request's token limits into what its prompt leaves free (the model's context, a device's
/// KV blocks): a max_tokens the server chose is lowered to the room, the client's own is rejected naming it; a
/// min_tokens the server chose is lowered to the max_tokens that applies, the client's own beyond the room is rejected
/// naming it; a prompt that leaves no room is rejected naming the input.
/// </summary>
internal static class TokenRoom
{
    /// <summary>
    /// The max_tokens and min_tokens a request runs with. It takes the token limits alone, not the whole config: nothing
    /// else of a request bears on its room. The caller has already refused a min_tokens above the max_tokens.
    /// </summary>
    /// <param name="maxTokens">The request's max_tokens.</param>
    /// <param name="fitMaxTokens">Whether max_tokens is the server's ceiling, which may be lowered (<see cref="GenerationConfig.FitMaxTokensToContext"/>).</param>
    /// <param name="minTokens">The request's min_tokens.</param>
    /// <param name="fitMinTokens">Whether min_tokens is the server's floor, which may be lowered (<see cref="GenerationConfig.FitMinTokensToContext"/>).</param>
    /// <param name="promptTokens">The prompt's length in tokens.</param>
    /// <param name="capacity">Tokens the prompt and the completion share.</param>
    /// <param name="inputParam">The parameter that carried the prompt (<c>messages</c> or <c>prompt</c>).</param>
    /// <param name="capacityText">What holds them, for the message: "this model's context of 2048 tokens".</param>
    public static (int MaxTokens, int MinTokens) Fitted(
        int maxTokens, bool fitMaxTokens, int minTokens, bool fitMinTokens, int promptTokens, long capacity, string inputParam, string capacityText)
    {
        var room = capacity - promptTokens;
        if (room < 1)
        {
            throw new GenerationRejectedException(FailureCodes.ContextLengthExceeded, inputParam,
                $"The prompt has {promptTokens} tokens; it and the completion must fit {capacityText}.");
        }

        var max = maxTokens;
        if (maxTokens > room)
        {
            max = fitMaxTokens ? (int)room : throw Exceeds(SamplingSettings.MaxTokensParam, maxTokens, promptTokens, capacityText);
        }

        if (minTokens <= max)
        {
            return (max, minTokens);
        }

        // min_tokens was at most max_tokens, so it passes the applied one only when max_tokens was lowered to the room.
        return fitMinTokens ? (max, max) : throw Exceeds(SamplingSettings.MinTokensParam, minTokens, promptTokens, capacityText);
    }

    private static GenerationRejectedException Exceeds(string param, int value, int promptTokens, string capacityText) =>
        new(FailureCodes.ContextLengthExceeded, param, $"The prompt ({promptTokens} tokens) plus {param} ({value}) exceeds {capacityText}.");
}
