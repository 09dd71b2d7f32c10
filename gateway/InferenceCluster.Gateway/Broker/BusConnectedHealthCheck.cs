using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace InferenceCluster.Gateway.Broker;

/// <summary>Not ready while the message bus is down: requests sent here would only wait for it.</summary>
internal sealed class BusConnectedHealthCheck(BusConnection bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(bus.IsUp
            ? HealthCheckResult.Healthy("The message bus is connected.")
            : new HealthCheckResult(context.Registration.FailureStatus, "The message bus is not connected; requests wait for it."));
}
