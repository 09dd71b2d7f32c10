using InferenceCluster.Contracts;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>What one <see cref="FakeInferenceEngine.GenerateAsync"/> call was given.</summary>
internal sealed record EngineCall(string RequestId, IReadOnlyList<ChatMessage>? Messages, string? Prompt, GenerationConfig Config);
