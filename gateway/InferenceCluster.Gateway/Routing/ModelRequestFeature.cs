using System.Text.Json;

namespace InferenceCluster.Gateway.Routing;

/// <summary>
/// The buffered body of a model-routed request, its parsed root object and the model it names: parsed once,
/// before routing, and read from here by whoever answers the request.
/// </summary>
internal sealed record ModelRequestFeature(ReadOnlyMemory<byte> Body, JsonElement Root, string? Model);
