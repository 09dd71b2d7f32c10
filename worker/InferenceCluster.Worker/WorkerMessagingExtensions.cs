using InferenceCluster.ServiceDefaults;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

/// <summary>The worker's bus: RabbitMQ, with the worker's consumers on their endpoints.</summary>
internal static class WorkerMessagingExtensions
{
    /// <summary>How long a running request may keep going once the worker is told to stop, before it is cut off and redelivered.</summary>
    private static readonly TimeSpan ConsumerStopTimeout = TimeSpan.FromSeconds(10);

    public static IHostApplicationBuilder AddWorkerMessaging(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("rabbitmq");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            // A standalone worker on the in-memory transport would wait forever for requests nobody can send it.
            throw new InvalidOperationException(
                "The worker needs RabbitMQ: set ConnectionStrings__rabbitmq (configuration key ConnectionStrings:rabbitmq), " +
                "e.g. amqp://guest:guest@127.0.0.1:5672/. (The in-memory transport serves only the gateway's embedded worker.)");
        }

        var rabbitUri = BrokerAddress.Parse(connectionString);

        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;

            // After this, a request still running is cancelled and left unacknowledged, so another worker redoes it.
            options.ConsumerStopTimeout = ConsumerStopTimeout;
            options.StopTimeout = ConsumerStopTimeout + TimeSpan.FromSeconds(10);
        });

        builder.Services.AddMassTransit(bus =>
        {
            // Nothing may be contacted but the configured servers; MassTransit would otherwise report usage to its vendor.
            bus.DisableUsageTelemetry();
            bus.AddInferenceWorkerConsumers();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(rabbitUri);
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }
}
