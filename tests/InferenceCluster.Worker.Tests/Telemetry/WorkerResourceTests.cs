using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace InferenceCluster.Worker.Tests.Telemetry;

/// <summary>
/// A worker's OTLP telemetry names it by its Worker:Id (service.instance.id of the resource), as its request and token
/// counters carry no worker label: the SDK gave each start a random id that matched nothing an operator sees.
/// </summary>
public sealed class WorkerResourceTests
{
    [Fact]
    public void AddInferenceWorker_WorkerId_IsTheServiceInstanceOfMetricsAndTraces()
    {
        using var host = Build(new() { ["Worker:Id"] = "worker-7" });

        Assert.Equal("worker-7", Attribute(host.Services.GetRequiredService<MeterProvider>(), "service.instance.id"));
        Assert.Equal("worker-7", Attribute(host.Services.GetRequiredService<TracerProvider>(), "service.instance.id"));
    }

    [Fact]
    public void AddInferenceWorker_NoWorkerId_TheDefaultIdIsTheServiceInstance()
    {
        using var host = Build([]);

        Assert.EndsWith($"-{Environment.ProcessId}", (string)Attribute(host.Services.GetRequiredService<MeterProvider>(), "service.instance.id")!, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInferenceWorker_ResourceAttributesNameTheInstance_TheyWin()
    {
        using var host = Build(new()
        {
            ["Worker:Id"] = "worker-7",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=pod-a,k8s.pod.name=pod-a",
            ["OTEL_SERVICE_NAME"] = "inference-worker",
        });
        var metrics = host.Services.GetRequiredService<MeterProvider>();

        Assert.Equal("pod-a", Attribute(metrics, "service.instance.id"));
        Assert.Equal("inference-worker", Attribute(metrics, "service.name"));
    }

    [Fact]
    public void AddInferenceWorker_EmbeddedInTheGateway_LeavesTheGatewaysInstance()
    {
        using var host = Build(new() { ["Worker:Id"] = "worker-7" }, embedded: true);

        Assert.NotEqual("worker-7", Attribute(host.Services.GetRequiredService<MeterProvider>(), "service.instance.id"));
    }

    private static object? Attribute(BaseProvider provider, string key) =>
        provider.GetResource().Attributes.SingleOrDefault(pair => pair.Key == key).Value;

    private static IHost Build(Dictionary<string, string?> settings, bool embedded = false)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ApplicationName = "InferenceCluster.Worker" });
        settings["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        builder.AddInferenceWorker(worker => worker.AddBus = !embedded);
        return builder.Build();
    }
}
