using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InferenceCluster.Worker.EngineWatch;

/// <summary>Liveness: unhealthy once the worker found its engine hung, so a liveness probe restarts it.</summary>
internal sealed class EngineStallHealthCheck(EngineStall stall) : IHealthCheck
{
    /// <summary>The check's name in the health report.</summary>
    public const string Name = "engine-progress";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(stall.Reason is { } reason
            ? HealthCheckResult.Unhealthy(reason)
            : HealthCheckResult.Healthy());
}
