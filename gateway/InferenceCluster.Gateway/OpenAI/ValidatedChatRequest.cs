using InferenceCluster.Contracts;

namespace InferenceCluster.Gateway.OpenAI;

/// <summary>A chat request that passed validation: every value is in range and every part is supported.</summary>
internal sealed record ValidatedChatRequest
{
    public required string Model { get; init; }

    /// <summary>Chat turns with their content parts joined into one string.</summary>
    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public required bool Stream { get; init; }

    /// <summary>Whether a streamed response ends with a usage chunk (<c>stream_options.include_usage</c>).</summary>
    public required bool IncludeUsage { get; init; }

    public string? User { get; init; }

    /// <summary>Guided decoding asked for through <c>response_format</c> (json_schema, json_object); null for free text.</summary>
    public GenerationGuidance? Guidance { get; init; }

    /// <summary>Number of choices, each generated independently.</summary>
    public int N { get; init; } = 1;

    /// <summary>The sampling values the client set; unset ones take the server's defaults later.</summary>
    public required SamplingRequest Sampling { get; init; }
}
