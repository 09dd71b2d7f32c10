using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.Dispatch;

/// <summary>
/// One generation of a request: choice <see cref="Index"/>, of the chat or of one of its prompts, with its own
/// config. A request with n choices (or several prompts) becomes several jobs, each its own command.
/// </summary>
internal sealed record ChoiceJob(int Index, IReadOnlyList<ChatMessage>? Messages, string? Prompt, GenerationConfig Config)
{
    /// <summary>The first choice of each prompt carries that prompt's token count in the summed usage.</summary>
    public bool IsFirstOfPrompt { get; init; } = true;

    /// <summary>
    /// The jobs of one prompt with <paramref name="n"/> choices, numbered from <paramref name="firstIndex"/>.
    /// Choice j of a seeded request samples with seed + j, so every choice differs and each is reproducible;
    /// unseeded choices draw fresh random streams; greedy choices are identical.
    /// </summary>
    public static IEnumerable<ChoiceJob> For(int firstIndex, IReadOnlyList<ChatMessage>? messages, string? prompt, GenerationConfig config, int n)
    {
        ArgumentNullException.ThrowIfNull(config);
        for (var j = 0; j < n; j++)
        {
            var own = config.Seed is { } seed && j > 0 ? config with { Seed = unchecked(seed + j) } : config;
            yield return new ChoiceJob(firstIndex + j, messages, prompt, own) { IsFirstOfPrompt = j == 0 };
        }
    }
}
