namespace InferenceCluster.Sweep.Grading;

/// <summary>How candidate code is cut off from the network.</summary>
public enum SandboxMode
{
    /// <summary>A new user and network namespace (<c>unshare -rn</c>), no privileges needed.</summary>
    UserNetworkNamespace,

    /// <summary>A new network namespace (<c>unshare -n</c>), needs root.</summary>
    NetworkNamespace,

    /// <summary>No namespace available: only the harness's socket guard applies.</summary>
    SocketGuardOnly,
}
