namespace InferenceCluster.Gateway.OpenAI;

/// <summary>One served model.</summary>
internal sealed record ModelDto(string Id, string Object, long Created, string OwnedBy);
