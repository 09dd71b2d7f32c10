using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InferenceCluster.Worker.Receiving;

/// <summary>
/// Liveness: unhealthy once the worker found it no longer receives from its model's queue or from one of its own temporary
/// queues, so a probe restarts it too.
/// </summary>
internal sealed class ReceivingHealthCheck(ModelQueueActivity activity) : IHealthCheck
{
    /// <summary>The check's name in the health report.</summary>
    public const string Name = "model-queue-receiving";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(activity.Deafness is { } deafness
            ? HealthCheckResult.Unhealthy(deafness)
            : HealthCheckResult.Healthy());
}
