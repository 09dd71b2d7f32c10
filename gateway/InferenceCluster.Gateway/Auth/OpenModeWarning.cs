using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Gateway.Auth;

/// <summary>Says loudly at start when no API key is configured: then anyone who reaches the port may use it.</summary>
internal sealed partial class OpenModeWarning(ApiKeyStore keys, ILogger<OpenModeWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (keys.IsOpen)
        {
            LogOpenMode();
        }
        else
        {
            LogKeysConfigured();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "OPEN MODE: no API key is configured (Gateway:ApiKeys), so /v1/* accepts every caller without authentication and without per-key policy")]
    private partial void LogOpenMode();

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys configured: /v1/* requires 'Authorization: Bearer <key>'")]
    private partial void LogKeysConfigured();
}
