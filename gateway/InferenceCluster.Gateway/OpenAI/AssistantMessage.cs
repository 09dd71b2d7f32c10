namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The generated message of a non-streamed choice.</summary>
internal sealed record AssistantMessage(string Role, string Content);
