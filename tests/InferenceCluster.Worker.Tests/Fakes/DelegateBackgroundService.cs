using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>A background service whose work is the delegate it is given.</summary>
internal sealed class DelegateBackgroundService(Func<CancellationToken, Task> execute) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => execute(stoppingToken);
}
