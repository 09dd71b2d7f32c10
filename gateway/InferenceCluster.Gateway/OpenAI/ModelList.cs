namespace InferenceCluster.Gateway.OpenAI;

/// <summary>The body of <c>GET /v1/models</c>.</summary>
internal sealed record ModelList(string Object, IReadOnlyList<ModelDto> Data);
