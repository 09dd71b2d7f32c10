using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Hosting;
using InferenceCluster.Gateway.OpenAI;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// Resolves the complete generation config of one request, once, at the edge: each value the request
/// sets wins over the server default. The result travels with the command; nothing is kept.
/// </summary>
internal static class GenerationConfigResolver
{
    public static GenerationConfig Resolve(SamplingRequest requested, GenerationDefaultsOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(defaults);

        var temperature = requested.Temperature ?? defaults.Temperature;

        // Temperature 0 means greedy decoding whoever set it; a request that sets a positive temperature
        // asks for sampling even when the server's default is greedy.
        var doSample = temperature > 0 && (requested.Temperature is not null || defaults.DoSample);

        var maxTokens = requested.MaxTokens ?? defaults.MaxTokens;
        var minTokens = requested.MinTokens ?? 0;
        if (minTokens > maxTokens)
        {
            throw OpenAIException.InvalidValue(
                "min_tokens",
                $"'min_tokens' ({minTokens}) must not exceed the maximum number of tokens ({maxTokens}, the server default).");
        }

        return new GenerationConfig
        {
            DoSample = doSample,
            Temperature = temperature,
            TopP = requested.TopP ?? defaults.TopP,
            TopK = requested.TopK ?? defaults.TopK,
            MaxTokens = maxTokens,
            MinTokens = minTokens,
            RepetitionPenalty = requested.RepetitionPenalty ?? defaults.RepetitionPenalty,
            Seed = requested.Seed,
            Stop = requested.Stop,
            Logprobs = requested.Logprobs,
            TopLogprobs = requested.TopLogprobs,
        };
    }
}
