using InferenceCluster.Gateway.Policy;

namespace InferenceCluster.Gateway.Auth;

/// <summary>The authenticated caller of a request (an HTTP feature): the key's name and its policy.</summary>
internal sealed record ApiKeyIdentity(string Name, KeyPolicy Policy);
