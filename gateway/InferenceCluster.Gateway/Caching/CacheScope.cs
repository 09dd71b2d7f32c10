using InferenceCluster.Gateway.Auth;

namespace InferenceCluster.Gateway.Caching;

/// <summary>
/// Whose cached answers a request may see. Each API key has its own namespace, so one key cannot learn from a
/// fast answer that another key sent the same messages; keys whose policy sets <c>SharedCache</c> share one.
/// </summary>
internal static class CacheScope
{
    /// <summary>Without configured keys every caller is the same tenant.</summary>
    public const string Open = "open";

    public const string Shared = "shared";

    public static string For(ApiKeyIdentity? identity) =>
        identity is null ? Open
        : identity.Policy.SharedCache ? Shared
        : "key:" + identity.Name;
}
