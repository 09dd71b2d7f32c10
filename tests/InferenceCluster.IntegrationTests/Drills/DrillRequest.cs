using System.Globalization;

namespace InferenceCluster.IntegrationTests.Drills;

/// <summary>
/// A chat request of a drill. <see cref="MinTokens"/> = <see cref="MaxTokens"/> keeps the model from ending
/// early on its own, so every run is as long as the drill needs it to be; without it the model ends where it will.
/// </summary>
internal sealed record DrillRequest(string Prompt, bool Stream, double Temperature, long? Seed, int MaxTokens, int? MinTokens = null)
{
    public string Label => $"{(Stream ? "streamed" : "whole")} {(Temperature == 0 ? "greedy" : Seed is null ? "sampled" : "seeded")} '{Prompt}'";

    public string Body(string model)
    {
        var seed = Seed is { } value ? $",\"seed\":{value.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        var usage = Stream ? ",\"stream_options\":{\"include_usage\":true}" : string.Empty;
        var minTokens = MinTokens is { } min ? $",\"min_tokens\":{min.ToString(CultureInfo.InvariantCulture)}" : string.Empty;
        return $$"""
            {"model":"{{model}}","stream":{{(Stream ? "true" : "false")}}{{usage}},"temperature":{{Temperature.ToString(CultureInfo.InvariantCulture)}}{{seed}},
             "max_tokens":{{MaxTokens}}{{minTokens}},"messages":[{"role":"user","content":"{{Prompt}}"}]}
            """;
    }

    /// <summary>A greedy request that may end before <paramref name="maxTokens"/>, as most clients send.</summary>
    public static DrillRequest Greedy(string prompt, bool stream, int maxTokens) => new(prompt, stream, Temperature: 0, Seed: null, maxTokens);

    /// <summary>Greedy and seeded requests, streamed and not, each with a prompt of its own.</summary>
    public static IReadOnlyList<DrillRequest> Deterministic(string tag, int count, int maxTokens) =>
    [
        .. Enumerable.Range(0, count).Select(i => new DrillRequest(
            $"Drill {tag} {i}: tell a long story.",
            Stream: i % 2 == 0,
            Temperature: i % 4 < 2 ? 0 : 0.9,
            Seed: i % 4 < 2 ? null : 1000 + i,
            maxTokens,
            MinTokens: maxTokens)),
    ];
}
