namespace InferenceCluster.Inference.Interop;

/// <summary>An error reported by the GenAI native library.</summary>
public sealed class GenAiException(string message) : Exception(message);
