using InferenceCluster.Gateway.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace InferenceCluster.Gateway.Tests.Hosting;

/// <summary>
/// The exit code of a service's process (the gateway's and the worker's): a background service that failed stops the
/// host as a SIGTERM would, and must not end the process with 0, which a supervisor takes for a requested stop.
/// </summary>
public sealed class ServiceExitTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task RunForExitCodeAsync_BackgroundServiceThrowsAfterStart_Returns70AndNamesTheService()
    {
        using var logs = new FakeLoggerProvider();
        using var host = Host(logs, async (_, _) =>
        {
            await Task.Yield();
            throw new InvalidOperationException("the service failed");
        });

        var code = await host.RunForExitCodeAsync().WaitAsync(Deadline);

        Assert.Equal(ServiceExit.ServiceFailedExitCode, code);
        Assert.Contains(logs.Collector.GetSnapshot(), log => log.Level == LogLevel.Critical
            && log.Message.Contains(typeof(DelegateBackgroundService).FullName!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunForExitCodeAsync_StoppedAsAsked_Returns0()
    {
        using var logs = new FakeLoggerProvider();
        using var host = Host(logs, async (services, stopping) =>
        {
            await Task.Yield();
            services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await Task.Delay(Timeout.Infinite, stopping);
        });

        var code = await host.RunForExitCodeAsync().WaitAsync(Deadline);

        Assert.Equal(0, code);
    }

    [Fact]
    public async Task RunForExitCodeAsync_ServiceThrowsOnlyOnceStopping_Returns0()
    {
        // A stop that a service ends badly (a client that throws its own error when cancelled) is still a stop as asked.
        using var logs = new FakeLoggerProvider();
        using var host = Host(logs, async (services, stopping) =>
        {
            await Task.Yield();
            services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await Task.Delay(Timeout.Infinite, stopping).ContinueWith(
                _ => throw new InvalidOperationException("the connection was closed under the read"),
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        });

        var code = await host.RunForExitCodeAsync().WaitAsync(Deadline);

        Assert.Equal(0, code);
        Assert.DoesNotContain(logs.Collector.GetSnapshot(), log => log.Category == typeof(ServiceExit).FullName);
    }

    private static IHost Host(FakeLoggerProvider logs, Func<IServiceProvider, CancellationToken, Task> execute)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(logs);
        builder.Services.AddHostedService(services => new DelegateBackgroundService(stopping => execute(services, stopping)));
        return builder.Build();
    }
}
