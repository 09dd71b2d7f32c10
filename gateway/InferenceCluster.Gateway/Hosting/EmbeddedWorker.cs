using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Gateway.Hosting;

/// <summary>
/// The worker and engine hosted inside the gateway when no broker is configured, so that
/// <c>dotnet run</c> answers requests with no servers at all. With no <c>Inference:ModelPath</c> the
/// engine loads the bundled test model.
/// </summary>
internal static class EmbeddedWorker
{
    public static void AddServices(IHostApplicationBuilder builder)
    {
        // The gateway's in-memory bus carries the worker's consumers (see GatewayBus).
        builder.AddInferenceWorker(worker => worker.AddBus = false);
    }
}
