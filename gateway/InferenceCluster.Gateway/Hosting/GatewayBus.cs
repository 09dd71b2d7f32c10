using InferenceCluster.Gateway.Configuration;
using InferenceCluster.Gateway.Streaming;
using InferenceCluster.Gateway.Workers;
using InferenceCluster.ServiceDefaults;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

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

    public static void Add(IHostApplicationBuilder builder)
    {
        var rabbitMq = builder.Configuration.GetConnectionString("rabbitmq");
        var embeddedWorker = string.IsNullOrWhiteSpace(rabbitMq)
            && builder.Configuration.GetValue($"{GatewayOptions.SectionName}:{nameof(GatewayOptions.EmbeddedWorker)}", defaultValue: true);
        var extensions = builder.Properties.TryGetValue(ExtensionsKey, out var value) && value is List<Action<IBusRegistrationConfigurator>> list ? list : [];

        if (embeddedWorker)
        {
            EmbeddedWorker.AddServices(builder);
        }

        builder.Services.AddMassTransit(bus =>
        {
            // Nothing may be contacted but the configured servers; MassTransit would otherwise report usage to its vendor.
            bus.DisableUsageTelemetry();
            bus.AddConsumer<CompletionReplyConsumer>();
            bus.AddConsumer<WorkerHeartbeatConsumer>();
            bus.ConfigureHealthCheckOptions(health => health.Tags.Add("ready"));
            if (embeddedWorker)
            {
                bus.AddInferenceWorkerConsumers();
            }

            foreach (var extension in extensions)
            {
                extension(bus);
            }

            if (string.IsNullOrWhiteSpace(rabbitMq))
            {
                bus.UsingInMemory((context, transport) => ConfigureEndpoints(context, transport));
            }
            else
            {
                bus.UsingRabbitMq((context, transport) =>
                {
                    transport.Host(BrokerAddress.Parse(rabbitMq));
                    ConfigureEndpoints(context, transport);
                });
            }
        });
    }

    private static void ConfigureEndpoints<TEndpoint>(IBusRegistrationContext context, IBusFactoryConfigurator<TEndpoint> transport)
        where TEndpoint : IReceiveEndpointConfigurator
    {
        var replyEndpoint = context.GetRequiredService<ReplyEndpoint>();

        // One temporary (auto-delete, non-durable) queue per gateway instance for the replies of its own
        // requests. Workers send to it directly, so it subscribes to nothing.
        transport.ReceiveEndpoint(new TemporaryEndpointDefinition("gateway-replies"), KebabCaseEndpointNameFormatter.Instance, endpoint =>
        {
            endpoint.ConfigureConsumeTopology = false;
            endpoint.ConfigureConsumer<CompletionReplyConsumer>(context);
            replyEndpoint.Address = endpoint.InputAddress;
        });

        // Heartbeats are published: each instance's own temporary queue receives all of them.
        transport.ReceiveEndpoint(new TemporaryEndpointDefinition("gateway-heartbeats"), KebabCaseEndpointNameFormatter.Instance, endpoint =>
            endpoint.ConfigureConsumer<WorkerHeartbeatConsumer>(context));

        transport.ConfigureEndpoints(context);
    }
}
