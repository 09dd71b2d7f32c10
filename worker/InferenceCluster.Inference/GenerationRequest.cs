using InferenceCluster.Contracts;

namespace InferenceCluster.Inference;

/// <summary>One request to the engine: the input and its own complete generation config.</summary>
public sealed record GenerationRequest
{
    /// <summary>For logs and traces.</summary>
    public required string RequestId { get; init; }

    /// <summary>Chat turns rendered with the model's chat template; null when <see cref="Prompt"/> is set.</summary>
    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    /// <summary>Raw prompt text, tokenized as it is; null when <see cref="Messages"/> is set.</summary>
    public string? Prompt { get; init; }

    /// <summary>This request's sampling settings, honoured exactly or rejected.</summary>
    public required GenerationConfig Config { get; init; }
}
