using InferenceCluster.Inference;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InferenceCluster.Worker.Tests.Integration;

/// <summary>The worker process's wiring (service defaults, worker services, RabbitMQ), run in-process with a given engine.</summary>
internal static class WorkerHost
{
    public static async Task<IHost> StartAsync(Uri broker, string workerId, IInferenceEngine engine, TimeSpan? consumerStopTimeout = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = broker.ToString(),
            ["Worker:Id"] = workerId,
            ["Worker:HeartbeatInterval"] = "00:00:01",
        });
        builder.AddServiceDefaults();
        if (Environment.GetEnvironmentVariable("WORKER_TEST_LOGS") == "1") { builder.Logging.AddConsole(); }
        builder.Services.AddSingleton(engine);
        builder.AddInferenceWorker(worker => worker.AddEngine = false);
        if (consumerStopTimeout is { } timeout)
        {
            builder.Services.Configure<MassTransitHostOptions>(o => o.ConsumerStopTimeout = timeout);
        }

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
