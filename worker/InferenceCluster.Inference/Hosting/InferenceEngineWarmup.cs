using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Inference.Hosting;

/// <summary>Resolves the engine while the host starts, so the model loads (and fails) at start, not on the first request.</summary>
internal sealed class InferenceEngineWarmup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetService(typeof(IInferenceEngine));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
