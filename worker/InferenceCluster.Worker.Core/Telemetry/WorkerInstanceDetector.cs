using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;

namespace InferenceCluster.Worker.Telemetry;

/// <summary>
/// Names the worker process's telemetry resource by its <c>Worker:Id</c> (<c>service.instance.id</c>), so that metrics,
/// traces and logs exported over OTLP tell the workers apart by the id their heartbeats, logs and cancel queues carry: the
/// SDK made up a random id for each start, which named no worker an operator could find. An id set in
/// <c>OTEL_RESOURCE_ATTRIBUTES</c> still wins (the environment is read again after this).
/// </summary>
internal sealed class WorkerInstanceDetector(IOptions<WorkerOptions> options) : IResourceDetector
{
    /// <summary>The semantic-convention attribute of one running instance of a service.</summary>
    public const string ServiceInstanceId = "service.instance.id";

    public Resource Detect() => new([new(ServiceInstanceId, options.Value.Id!)]);
}
