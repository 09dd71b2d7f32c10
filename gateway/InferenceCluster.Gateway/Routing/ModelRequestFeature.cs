namespace InferenceCluster.Gateway.Routing;

/// <summary>The buffered body of a model-routed request and the model it names, parsed once before routing.</summary>
internal sealed record ModelRequestFeature(ReadOnlyMemory<byte> Body, string? Model);
