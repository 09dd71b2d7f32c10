using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Engine;

/// <summary>
/// The one rule for fitting a request's token limits into what its prompt leaves free (the model's context, a device's
/// KV blocks): a max_tokens the server chose is lowered to the room, the client's own is rejected naming it; a
/// min_tokens beyond the room is rejected naming it; a prompt that leaves no room is rejected naming the input.
/// </summary>
internal static class TokenRoom
{
    /// <param name="config">The request's config.</param>
    /// <param name="promptTokens">The prompt's length in tokens.</param>
    /// <param name="capacity">Tokens the prompt and the completion share.</param>
    /// <param name="inputParam">The parameter that carried the prompt (<c>messages</c> or <c>prompt</c>).</param>
    /// <param name="capacityText">What holds them, for the message: "this model's context of 2048 tokens".</param>
    public static GenerationConfig Fit(GenerationConfig config, int promptTokens, long capacity, string inputParam, string capacityText)
    {
        ArgumentNullException.ThrowIfNull(config);
        var room = capacity - promptTokens;
        if (room < 1)
        {
            throw new GenerationRejectedException(FailureCodes.ContextLengthExceeded, inputParam,
                $"The prompt has {promptTokens} tokens; it and the completion must fit {capacityText}.");
        }

        if (config.MaxTokens <= room)
        {
            return config;
        }

        if (!config.FitMaxTokensToContext)
        {
            throw Exceeds(SamplingSettings.MaxTokensParam, config.MaxTokens, promptTokens, capacityText);
        }

        if (config.MinTokens > room)
        {
            throw Exceeds(SamplingSettings.MinTokensParam, config.MinTokens, promptTokens, capacityText);
        }

        return config with { MaxTokens = (int)room };
    }

    private static GenerationRejectedException Exceeds(string param, int value, int promptTokens, string capacityText) =>
        new(FailureCodes.ContextLengthExceeded, param, $"The prompt ({promptTokens} tokens) plus {param} ({value}) exceeds {capacityText}.");
}
