using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using InferenceCluster.Contracts;
using InferenceCluster.Gateway.Workers;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Gateway.Tests.Fakes;

/// <summary>
/// Puts a <see cref="FakeWorkerConsumer"/> on a gateway's in-memory bus and announces it as a live worker; the bus returns
/// some commands unroutable, as RabbitMQ does (<see cref="FakeReturningBroker"/>).
/// </summary>
internal static class FakeWorkerPool
{
    // Real time for the gateway's bus to start and hear a heartbeat: generous, since a loaded machine takes seconds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static void Register(WebApplicationBuilder builder, string model, FakeWorkerState worker, TimeProvider clock)
    {
        builder.Services.AddSingleton(worker);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<FakeReturningBroker>();
        builder.Services.AddSendObserver(provider => provider.GetRequiredService<FakeReturningBroker>());
        builder.ConfigureInferenceBus(bus =>
        {
            bus.AddConsumer<FakeWorkerConsumer>().Endpoint(endpoint => endpoint.Name = ModelQueue.Name(model));
            bus.AddConsumer<FakeCancelConsumer>();
        });
    }

    /// <summary>Publishes the fake worker's heartbeat, as a worker does, until <c>/v1/models</c> lists the model.</summary>
    public static async Task AnnounceAsync(WebApplication app, HttpClient client, string model, string? apiKey = null)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            // Again each time: one published before the gateway's heartbeat endpoint was up would be lost.
            await app.Services.GetRequiredService<IBus>().Publish(new WorkerHeartbeat
            {
                WorkerId = FakeWorkerConsumer.WorkerId, ModelId = model, ModelRevision = FakeWorkerConsumer.Revision,
                Capacity = 4, InFlight = 0, ContextLength = 2048, SentAt = DateTimeOffset.UtcNow,
            });

            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
            if (apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await client.SendAsync(request);
            var list = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (list.GetProperty("data").EnumerateArray().Any(entry => entry.GetProperty("id").GetString() == model))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"The gateway did not list {model} within {Patience}.");
    }

    /// <summary>
    /// Waits until the gateway can hear heartbeats, then moves its clock past the time in which it hears every live
    /// worker (<c>Gateway:WorkerLiveness</c> after that): from then on a model no worker announced is unknown (404),
    /// as on a gateway that has been running for a while. Announce workers after this, or they are as old as the shift.
    /// </summary>
    public static async Task PassDiscoveryAsync(WebApplication app, ShiftableClock clock)
    {
        var reception = app.Services.GetRequiredService<HeartbeatReception>();
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < Patience)
        {
            switch (reception.Discovering())
            {
                case null:
                    return;
                case { Until: { } until }:
                    clock.Offset += until - clock.GetUtcNow();
                    return;
                default:
                    await Task.Delay(50);
                    break;
            }
        }

        throw new TimeoutException($"The gateway's heartbeat endpoint did not become ready within {Patience}.");
    }
}
