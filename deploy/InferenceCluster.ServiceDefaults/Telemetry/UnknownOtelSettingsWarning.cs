using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.ServiceDefaults;

/// <summary>
/// Logs, once at start, the OTEL_* names that are neither the OpenTelemetry specification's nor .NET's (a misspelt
/// setting, or one meant for another program): they have no effect, and an operator should see so. Names only, never values.
/// </summary>
internal sealed partial class UnknownOtelSettingsWarning(ILogger<UnknownOtelSettingsWarning> logger, IReadOnlyList<string> names) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogUnknown(logger, string.Join(", ", names));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "OpenTelemetry settings with no effect on this service (not OpenTelemetry or .NET settings it knows): {Names}")]
    private static partial void LogUnknown(ILogger logger, string names);
}
