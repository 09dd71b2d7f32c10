using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Gateway.Hosting;

/// <summary>Not ready once the gateway is stopping: a load balancer should send new requests elsewhere.</summary>
internal sealed class NotStoppingHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? new HealthCheckResult(context.Registration.FailureStatus, "The gateway is shutting down; open requests are finishing.")
            : HealthCheckResult.Healthy("The gateway is not shutting down."));
}
