using System.Text.Json;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// The body of <c>POST /v1/completions</c> as sent. Its sampling members mean what they mean in a chat
/// request and are validated by the same rules; <c>logprobs</c> is the legacy integer (how many alternatives).
/// </summary>
internal sealed record CompletionRequest : SamplingWireRequest
{
    /// <summary>A string or an array of strings; kept raw so the validator can name what is wrong.</summary>
    public JsonElement? Prompt { get; set; }

    public int? Logprobs { get; set; }

    public int? BestOf { get; set; }

    public bool? Echo { get; set; }

    public string? Suffix { get; set; }

    /// <summary>Only an empty object (<see cref="LogitBiasRule"/>): no token's score can be biased here.</summary>
    public JsonElement? LogitBias { get; set; }
}
