using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InferenceCluster.Gateway.Workers;

/// <summary>Ready only while at least one worker is live: without one, every queued request would wait or fail.</summary>
internal sealed class LiveWorkersHealthCheck(WorkerRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(registry.AnyLive
            ? HealthCheckResult.Healthy("At least one worker is live.")
            : new HealthCheckResult(context.Registration.FailureStatus, "No worker has sent a heartbeat recently."));
}
