using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>
/// A chat or text completion request that passed validation: every value is in range and every part is
/// supported. A chat request has <see cref="Messages"/>, a text completion request <see cref="Prompts"/>.
/// </summary>
internal sealed record ValidatedRequest
{
    public required string Model { get; init; }

    /// <summary>Chat turns with their content parts joined into one string.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    /// <summary>The prompts in order; each gets <see cref="N"/> choices.</summary>
    public IReadOnlyList<string>? Prompts { get; init; }

    public required bool Stream { get; init; }

    /// <summary>Whether a streamed response ends with a usage chunk (<c>stream_options.include_usage</c>).</summary>
    public required bool IncludeUsage { get; init; }

    public string? User { get; init; }

    /// <summary><c>safety_identifier</c> as sent: OpenAI's replacement for <c>user</c>.</summary>
    public string? SafetyIdentifier { get; init; }

    /// <summary>Who the end user is, for the trace: <see cref="SafetyIdentifier"/>, the newer name, wins over <see cref="User"/>.</summary>
    public string? EndUserId => SafetyIdentifier ?? User;

    /// <summary>Number of choices (per prompt), each generated independently.</summary>
    public int N { get; init; } = 1;

    /// <summary>The sampling values the client set; unset ones are merged from the profile and defaults later.</summary>
    public required SamplingSettings Sampling { get; init; }

    /// <summary>
    /// What this wire format, as the client wrote it, calls <see cref="SamplingSettings.MaxTokens"/>
    /// (<c>max_tokens</c>, <c>max_completion_tokens</c>, <c>max_output_tokens</c>), so that later errors name it so.
    /// </summary>
    public string MaxTokensParam { get; init; } = "max_tokens";

    public IReadOnlyList<string> Stop { get; init; } = [];

    public bool Logprobs { get; init; }

    public int TopLogprobs { get; init; }

    /// <summary>Guided decoding asked for through <c>response_format</c> (json_schema, json_object); null for free text.</summary>
    public GenerationGuidance? Guidance { get; init; }
}
