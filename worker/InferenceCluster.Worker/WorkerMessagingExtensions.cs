using InferenceCluster.ServiceDefaults;
using MassTransit;

namespace Microsoft.Extensions.Hosting;

/// <summary>The worker's bus: RabbitMQ, with the worker's consumers on their endpoints.</summary>
internal static class WorkerMessagingExtensions
{
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

        // How long a stopping worker lets its requests run is Worker:DrainGrace (AddInferenceWorker).
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(options => options.WaitUntilStarted = true);

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
