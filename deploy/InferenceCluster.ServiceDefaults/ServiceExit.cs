using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// In the hosting namespace so that Program.cs finds it without a using, as with the framework's own Run.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs a host and gives the process's exit code, so that a background service that failed does not end the process
/// with 0. The host stops when a <see cref="BackgroundService"/> throws (its default BackgroundServiceExceptionBehavior)
/// and Run returns as after a SIGTERM, so a supervisor restarting on failure (deploy/local/supervise.sh, compose's
/// <c>restart: on-failure</c>) took the crash for a requested stop and left the service down.
/// </summary>
public static partial class ServiceExit
{
    /// <summary>EX_SOFTWARE of sysexits.h: a background service of the process failed.</summary>
    public const int ServiceFailedExitCode = 70;

    /// <summary>Runs <paramref name="host"/> until it stops; the exit code, as <see cref="RunForExitCodeAsync"/>.</summary>
    public static int RunForExitCode(this IHost host) => host.RunForExitCodeAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Runs <paramref name="host"/> until it stops and disposes it. The exit code: the one the process set when not 0
    /// (a service that asked for a restart), else <see cref="ServiceFailedExitCode"/> when a background service failed,
    /// each logged by name, else 0.
    /// </summary>
    public static async Task<int> RunForExitCodeAsync(this IHost host, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        try
        {
            // Only a service that had failed when the stop began stopped the host: one that throws while it is being
            // stopped (a client that raises its own error when cancelled) ends a stop that was asked for.
            IReadOnlyList<BackgroundService> failedAtStop = [];
            using var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping
                .Register(() => failedAtStop = Failed(host.Services));
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCode(host.Services, failedAtStop);
        }
        finally
        {
            if (host is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                host.Dispose();
            }
        }
    }

    /// <summary>The exit code of a host that has stopped, given the services that had failed when its stop began.</summary>
    internal static int ExitCode(IServiceProvider services, IReadOnlyList<BackgroundService> failed)
    {
        if (failed.Count == 0)
        {
            return Environment.ExitCode;
        }

        var code = Environment.ExitCode != 0 ? Environment.ExitCode : ServiceFailedExitCode;
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger(typeof(ServiceExit).FullName!);
        foreach (var service in failed)
        {
            if (logger is not null)
            {
                LogServiceFailed(logger, service.GetType().FullName ?? service.GetType().Name, code, service.ExecuteTask!.Exception?.GetBaseException());
            }
        }

        return code;
    }

    private static List<BackgroundService> Failed(IServiceProvider services) =>
        [.. services.GetServices<IHostedService>().OfType<BackgroundService>().Where(service => service.ExecuteTask is { IsFaulted: true })];

    [LoggerMessage(Level = LogLevel.Critical,
        Message = "Background service {Service} failed and stopped the host; the process exits with {ExitCode}, not 0, so that its supervisor starts it again")]
    private static partial void LogServiceFailed(ILogger logger, string service, int exitCode, Exception? exception);
}
