using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Engine;

/// <summary>
/// The one rule for fitting a request's token limits into what its prompt leaves free (the model's context, a device's
/// KV blocks): a max_tokens the server chose is lowered to the room, the client's own is rejected naming it; a
/// min_tokens beyond the room is rejected naming it; a prompt that leaves no room is rejected naming the input.
/// </summary>
internal static class TokenRoom
{
    /// <summary>
    /// The max_tokens a request runs with. It takes the token limits alone, not the whole config: nothing else of a
    /// request bears on its room.
    /// </summary>
    /// <param name="maxTokens">The request's max_tokens.</param>
    /// <param name="minTokens">The request's min_tokens.</param>
    /// <param name="serverChosen">Whether max_tokens is the server's ceiling, which may be lowered (<see cref="GenerationConfig.FitMaxTokensToContext"/>).</param>
    /// <param name="promptTokens">The prompt's length in tokens.</param>
    /// <param name="capacity">Tokens the prompt and the completion share.</param>
    /// <param name="inputParam">The parameter that carried the prompt (<c>messages</c> or <c>prompt</c>).</param>
    /// <param name="capacityText">What holds them, for the message: "this model's context of 2048 tokens".</param>
    public static int FittedMaxTokens(int maxTokens, int minTokens, bool serverChosen, int promptTokens, long capacity, string inputParam, string capacityText)
    {
        var room = capacity - promptTokens;
        if (room < 1)
        {
            throw new GenerationRejectedException(FailureCodes.ContextLengthExceeded, inputParam,
                $"The prompt has {promptTokens} tokens; it and the completion must fit {capacityText}.");
        }

        if (maxTokens <= room)
        {
            return maxTokens;
        }

        if (!serverChosen)
        {
            throw Exceeds(SamplingSettings.MaxTokensParam, maxTokens, promptTokens, capacityText);
        }

        if (minTokens > room)
        {
            throw Exceeds(SamplingSettings.MinTokensParam, minTokens, promptTokens, capacityText);
        }

        return (int)room;
    }

    private static GenerationRejectedException Exceeds(string param, int value, int promptTokens, string capacityText) =>
        new(FailureCodes.ContextLengthExceeded, param, $"The prompt ({promptTokens} tokens) plus {param} ({value}) exceeds {capacityText}.");
}
