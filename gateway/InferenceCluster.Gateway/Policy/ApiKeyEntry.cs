namespace InferenceCluster.Gateway.Policy;

/// <summary>One configured API key: a name for logs and traces, the SHA-256 (hex) of the key, and its policy.</summary>
public sealed class ApiKeyEntry
{
    public string Name { get; set; } = string.Empty;

    /// <summary><c>printf %s "$KEY" | sha256sum</c>; the key itself is never configured.</summary>
    public string Sha256 { get; set; } = string.Empty;

    public KeyPolicy Policy { get; set; } = new();
}
