using InferenceCluster.ServiceDefaults.Listener;
using InferenceCluster.Settings;
using InferenceCluster.Worker;
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

        // The worker process's metrics listener settings, which a shared environment gives the gateway too: known here,
        // not used (the gateway serves /metrics itself), so not refused as unknown keys of the Worker section.
        SettingBinding.KnowKeysOf<MetricsListenerOptions>(builder.Services, builder.Configuration.GetSection(WorkerOptions.SectionName));
    }
}
