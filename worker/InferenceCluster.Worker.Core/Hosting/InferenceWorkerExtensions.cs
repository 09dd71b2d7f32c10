using InferenceCluster.ServiceDefaults;
using InferenceCluster.Worker;
using InferenceCluster.Worker.EngineWatch;
using InferenceCluster.Worker.Hosting;
using InferenceCluster.Worker.Receiving;
using InferenceCluster.Worker.Telemetry;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Resources;

// In the hosting namespace so that Program.cs finds it without a using, like AddServiceDefaults.
namespace Microsoft.Extensions.Hosting;

/// <summary>The worker's one entry: the executable, the gateway's embedded worker and the tests all add it here.</summary>
public static class InferenceWorkerExtensions
{
    /// <summary>The longest a queue depth read may take; a broker slower than that is as good as unreachable for the check.</summary>
    private static readonly TimeSpan LongestDepthRead = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Adds the worker: the engine (section <c>Inference</c>), request execution, cancellation and heartbeats (section
    /// <c>Worker</c>) and its RabbitMQ bus, as <paramref name="configure"/> leaves them on. Settings are validated at start;
    /// a broker address that is not an amqp:// URI fails here, naming the setting and never repeating its value.
    /// </summary>
    public static IHostApplicationBuilder AddInferenceWorker(this IHostApplicationBuilder builder, Action<InferenceWorkerSetup>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var setup = new InferenceWorkerSetup();
        configure?.Invoke(setup);
        if (setup.AddEngine)
        {
            builder.Services.AddInferenceEngine(builder.Configuration, EngineLoadCheck.Failure);
            builder.Services.AddSingleton<IStartupCheck, EngineLoadCheck>();
        }

        builder.Services.AddInferenceWorkerServices(builder.Configuration);
        if (setup.AddBus)
        {
            AddBus(builder);

            // A worker process of its own (not the gateway's embedded one, whose process is the gateway).
            builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource
                .AddDetector(provider => ActivatorUtilities.CreateInstance<WorkerInstanceDetector>(provider))
                .AddEnvironmentVariableDetector());
        }

        return builder;
    }

    private static void AddBus(IHostApplicationBuilder builder)
    {
        // A standalone worker on the in-memory transport would wait forever for requests nobody can send it.
        var broker = BrokerAddress.Read(builder.Configuration) ?? throw new InvalidSettingException(
            $"The worker needs RabbitMQ: set {BrokerAddress.Variable} (configuration key ConnectionStrings:rabbitmq), " +
            "e.g. amqp://guest:guest@127.0.0.1:5672/. (The in-memory transport serves only the gateway's embedded worker.)");

        // How long a stopping worker lets its requests run is Worker:DrainGrace (the worker's services).
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options => options.WaitUntilStarted = true);

        builder.Services.AddMassTransit(bus =>
        {
            // Nothing may be contacted but the configured servers; MassTransit would otherwise report usage to its vendor.
            bus.DisableUsageTelemetry();
            bus.AddInferenceWorkerConsumers();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                // A worker that freezes holds its requests until the broker drops its connection for missed heartbeats.
                var heartbeat = context.GetRequiredService<IOptions<WorkerOptions>>().Value.BrokerHeartbeat;
                rabbit.Host(broker, host => host.Heartbeat(heartbeat));
                rabbit.ConfigureEndpoints(context);
            });
        });

        AddReceiveCheck(builder, broker);
        AddEngineWatch(builder);
    }

    /// <summary>
    /// The check that the engine still makes progress while it runs requests; a worker whose engine hangs exits for its
    /// supervisor to restart it and for the broker to hand its requests on (docs/reliability.md, "An engine that hangs").
    /// Only a worker process of its own: the gateway's embedded worker would end the gateway, and its in-memory bus
    /// redelivers nothing.
    /// </summary>
    private static void AddEngineWatch(IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<EngineStall>();
        builder.Services.AddSingleton<IProcessEnd, ImmediateExit>();
        builder.Services.AddHostedService<EngineWatchdog>();
        builder.Services.AddHealthChecks().AddCheck<EngineStallHealthCheck>(EngineStallHealthCheck.Name, tags: [HealthCheckTags.Live]);
    }

    /// <summary>
    /// The checks that the worker still receives: from its model's queue, asking the broker itself how many requests wait
    /// there, and on its own temporary queues, by probes sent to them; a deaf worker exits for its supervisor to restart
    /// it (docs/reliability.md, "A worker whose consumer is lost").
    /// </summary>
    private static void AddReceiveCheck(IHostApplicationBuilder builder, Uri broker)
    {
        builder.Services.AddSingleton<IQueueDepthReader>(provider =>
        {
            var worker = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
            var interval = worker.ReceiveCheckInterval;
            return new RabbitMqQueueDepthReader(broker, interval < LongestDepthRead ? interval : LongestDepthRead, worker.BrokerHeartbeat);
        });
        builder.Services.AddSingleton<IWorkerRestart, ExitForRestart>();
        builder.Services.AddHostedService<ReceiveWatchdog>();
        builder.Services.AddSingleton<IProbeSender, BusProbeSender>();
        builder.Services.AddHostedService<InstanceQueueProbe>();
        builder.Services.AddHealthChecks().AddCheck<ReceivingHealthCheck>(ReceivingHealthCheck.Name, tags: [HealthCheckTags.Live]);
    }
}
