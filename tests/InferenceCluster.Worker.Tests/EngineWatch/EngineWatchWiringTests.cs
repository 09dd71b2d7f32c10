using InferenceCluster.Inference;
using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker.EngineWatch;
using InferenceCluster.Worker.Tests.Fakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Worker.Tests.EngineWatch;

/// <summary>Which workers watch their engine: a worker process of its own, not the gateway's embedded one.</summary>
public sealed class EngineWatchWiringTests
{
    [Fact]
    public async Task AddInferenceWorker_WorkerProcess_WatchesItsEngineAndReportsAStallOnLiveness()
    {
        var services = Build(embedded: false);
        await using var provider = services.BuildServiceProvider();

        Assert.Contains(services, IsWatchdog);
        Assert.IsType<ImmediateExit>(provider.GetRequiredService<IProcessEnd>());
        var check = Assert.Single(
            provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations,
            registration => registration.Name == EngineStallHealthCheck.Name);
        Assert.Contains(HealthCheckTags.Live, check.Tags);
    }

    [Fact]
    public async Task AddInferenceWorker_EmbeddedInTheGateway_DoesNotWatchItsEngine()
    {
        // Its exit would end the gateway, and its in-memory bus would redeliver nothing.
        var services = Build(embedded: true);
        await using var provider = services.BuildServiceProvider();

        Assert.DoesNotContain(services, IsWatchdog);
        Assert.DoesNotContain(
            provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations,
            registration => registration.Name == EngineStallHealthCheck.Name);
    }

    private static bool IsWatchdog(ServiceDescriptor descriptor) =>
        descriptor.ServiceType == typeof(IHostedService) && descriptor.ImplementationType == typeof(EngineWatchdog);

    private static IServiceCollection Build(bool embedded)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:5672/",
            ["Worker:Id"] = "engine-watch-test",
        });
        builder.Services.AddLogging().AddHealthChecks();
        builder.Services.AddSingleton<IInferenceEngine>(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens([])));
        builder.AddInferenceWorker(worker => (worker.AddEngine, worker.AddBus) = (false, !embedded));
        return builder.Services;
    }
}
