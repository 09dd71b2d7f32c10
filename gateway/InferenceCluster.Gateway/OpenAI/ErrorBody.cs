namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The error object; <see cref="Param"/> and <see cref="Code"/> are null when nothing more precise applies.</summary>
internal sealed record ErrorBody(string Message, string Type, string? Param, string? Code);
