namespace InferenceCluster.ServiceDefaults;

/// <summary>Tags that decide which health endpoint runs a check.</summary>
public static class HealthCheckTags
{
    /// <summary>Checks that say the process is alive (a failure means: restart it).</summary>
    public const string Live = "live";

    /// <summary>Checks that say the service can take traffic (a failure means: route elsewhere for now).</summary>
    public const string Ready = "ready";
}
