using InferenceCluster.Contracts;

namespace InferenceCluster.Inference.Tests;

/// <summary>The arguments of one <see cref="IInferenceEngine.GenerateAsync"/> call, kept together so a test can vary one.</summary>
internal sealed record TestRequest
{
    public required string RequestId { get; init; }

    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    public string? Prompt { get; init; }

    public required GenerationConfig Config { get; init; }
}
