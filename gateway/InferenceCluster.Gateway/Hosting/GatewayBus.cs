using InferenceCluster.Gateway.Broker;
using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Streaming;
using InferenceCluster.Gateway.Workers;
using InferenceCluster.ServiceDefaults;
using InferenceCluster.Settings;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InferenceCluster.Gateway.Hosting;

/// <summary>
/// The gateway's MassTransit bus: RabbitMQ when <c>ConnectionStrings:rabbitmq</c> is set, otherwise the
/// in-memory transport with, unless <c>Gateway:EmbeddedWorker</c> is false, a worker in this process.
/// </summary>
internal static class GatewayBus
{
    private const string ExtensionsKey = "InferenceCluster.Gateway.BusExtensions";

    /// <summary>Remembers a registration to add to the gateway's bus (used by tests to host fake workers).</summary>
    public static void AddExtension(IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure)
    {
        if (!builder.Properties.TryGetValue(ExtensionsKey, out var value) || value is not List<Action<IBusRegistrationConfigurator>> list)
        {
            list = [];
            builder.Properties[ExtensionsKey] = list;
        }

        list.Add(configure);
    }

    /// <summary>
    /// Gateway:EmbeddedWorker, needed before the options are: bound as they are, so that a value that is no boolean is an
    /// error naming the key without quoting it (the service exits 78), not the binder's crash.
    /// </summary>
    private static bool EmbeddedWorkerSetting(IConfiguration configuration)
    {
        var gateway = new GatewayOptions();
        SettingBinding.Bind(configuration.GetSection(GatewayOptions.SectionName), gateway);
        return gateway.EmbeddedWorker;
    }

    public static void Add(IHostApplicationBuilder builder)
    {
        var rabbitMq = BrokerAddress.Read(builder.Configuration);
        var embeddedWorker = rabbitMq is null && EmbeddedWorkerSetting(builder.Configuration);
        var extensions = builder.Properties.TryGetValue(ExtensionsKey, out var value) && value is List<Action<IBusRegistrationConfigurator>> list ? list : [];

        if (embeddedWorker)
        {
            EmbeddedWorker.AddServices(builder);
            builder.Services.AddSingleton<EmbeddedWorkerOnly>();
        }

        builder.Services.AddMassTransit(bus =>
        {
            // Nothing may be contacted but the configured servers; MassTransit would otherwise report usage to its vendor.
            bus.DisableUsageTelemetry();
            bus.AddConsumer<CompletionReplyConsumer>();
            bus.AddConsumer<WorkerHeartbeatConsumer>();
            bus.AddConsumer<ReceiveProbeConsumer>();
            bus.ConfigureHealthCheckOptions(health => health.Tags.Add("ready"));
            if (embeddedWorker)
            {
                bus.AddInferenceWorkerConsumers();
            }

            foreach (var extension in extensions)
            {
                extension(bus);
            }

            if (rabbitMq is null)
            {
                bus.UsingInMemory((context, transport) => transport.ConfigureEndpoints(context));
            }
            else
            {
                bus.UsingRabbitMq((context, transport) =>
                {
                    var heartbeat = context.GetRequiredService<IOptions<GatewayOptions>>().Value.BrokerHeartbeat;
                    transport.Host(rabbitMq, host => host.Heartbeat(heartbeat));
                    transport.ConfigureEndpoints(context);
                });
            }
        });
        AddOwnEndpoints(builder.Services);
    }

    /// <summary>
    /// The gateway's own endpoints, connected once the bus runs (see <see cref="OwnReceiveEndpoint"/>) and kept
    /// receiving by the <see cref="ReceiveSelfCheck"/>.
    /// </summary>
    private static void AddOwnEndpoints(IServiceCollection services)
    {
        services.AddSingleton<ReceiveProbes>();

        // One queue per gateway instance for the replies of its own requests; workers send to it directly, so it
        // subscribes to nothing. Durable, so that a broker restart neither removes it nor drops the replies workers
        // send before this gateway has reconnected; the broker deletes it once it has gone unused for
        // Gateway:ReplyQueueExpiry, which is how the queue of a gateway that is gone disappears. A replacement
        // endpoint takes the same queue, so replies already sent to it are not lost.
        var replyQueue = ReplyQueueName();
        services.AddSingleton<IProbedEndpoint>(provider =>
        {
            var expiry = provider.GetRequiredService<IOptions<GatewayOptions>>().Value.ReplyQueueExpiry;
            var replyEndpoint = provider.GetRequiredService<ReplyEndpoint>();
            return new OwnReceiveEndpoint(
                replyQueue,
                provider.GetRequiredService<IReceiveEndpointConnector>,
                provider.GetRequiredService<IBus>,
                (connector, configure) => connector.ConnectReceiveEndpoint(replyQueue, configure),
                (context, endpoint) =>
                {
                    endpoint.ConfigureConsumeTopology = false;
                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    {
                        rabbit.Durable = true;
                        rabbit.AutoDelete = false;
                        rabbit.QueueExpiration = expiry;
                    }

                    endpoint.ConfigureConsumer<CompletionReplyConsumer>(context);
                    replyEndpoint.Address = endpoint.InputAddress;
                },
                provider.GetRequiredService<BusConnection>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<OwnReceiveEndpoint>>());
        });

        // Heartbeats are published: each instance's own temporary queue receives all of them. A replacement gets a
        // new temporary queue: heartbeats have no backlog worth keeping.
        services.AddSingleton<IProbedEndpoint>(provider => new OwnReceiveEndpoint(
            "gateway-heartbeats",
            provider.GetRequiredService<IReceiveEndpointConnector>,
            provider.GetRequiredService<IBus>,
            (connector, configure) => connector.ConnectReceiveEndpoint(
                new TemporaryEndpointDefinition("gateway-heartbeats"), KebabCaseEndpointNameFormatter.Instance, configure),
            (context, endpoint) => endpoint.ConfigureConsumer<WorkerHeartbeatConsumer>(context),
            provider.GetRequiredService<HeartbeatReception>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<OwnReceiveEndpoint>>()));

        // After AddMassTransit: hosted services start in order, so the bus has been started when the endpoints connect.
        services.AddHostedService<ReceiveSelfCheck>();
    }

    /// <summary>Unique to this process: two gateways on one machine must not share (and steal) each other's replies.</summary>
    private static string ReplyQueueName()
    {
        var machine = new string([.. Environment.MachineName.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
        return $"gateway-replies-{machine}-{NewId.NextGuid():N}";
    }
}
