using System.Net;
using System.Text.Json;
using InferenceCluster.Gateway.Tests.Fakes;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static InferenceCluster.Gateway.Tests.Wire;

namespace InferenceCluster.Gateway.Tests.Hosting;

/// <summary>
/// The end of a gateway's drain (a grace of 0) while the broker holds every cancellation: the requests still open are
/// told <c>server_shutting_down</c> with their response complete, without waiting for the cancels of their choices, which
/// still reach the workers once the broker takes them. At the end of a drain the web server waits only
/// <c>DrainEnd.WriteTime</c> (3 s) before it resets the connections, and a cancel may take up to 5 s.
/// </summary>
public sealed class DrainEndTests
{
    private const string Model = "fake-model";

    // Real time for what a test waits for on the in-memory bus: generous, since a loaded machine takes seconds.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DrainEnds_WholeAnswerOfThreeChoicesWhileCancelsAreHeld_503CompleteBeforeAnyCancelIsTaken()
    {
        var worker = new FakeWorkerState();
        var cancels = new HeldCancels();
        await using var gateway = await StartAsync(worker, cancels);
        try
        {
            var call = gateway.Client.PostAsync("/v1/chat/completions", Json(Chat(Model, "hang", ""","n":3,"temperature":1""")));
            await Eventually.TrueAsync(() => worker.CountFor("hang") == 3);

            gateway.App.Lifetime.StopApplication();
            using var response = await call.WaitAsync(Patience);
            var body = await response.Content.ReadAsStringAsync().WaitAsync(Patience);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("server_shutting_down", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.True(worker.Cancelled.IsEmpty, "a cancel reached the worker while the broker held them all");

            cancels.Release();
            await Eventually.TrueAsync(() => worker.Received.All(command => worker.Cancelled.ContainsKey(command.RequestId)));
        }
        finally
        {
            cancels.Release();
        }
    }

    [Fact]
    public async Task DrainEnds_StreamOfTwoChoicesWhileCancelsAreHeld_ErrorEventDoneAndTheEndOfTheBody()
    {
        var worker = new FakeWorkerState();
        var cancels = new HeldCancels();
        await using var gateway = await StartAsync(worker, cancels);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = Json(Chat(Model, "stall after first delta", ""","n":2,"temperature":1,"stream":true""")),
            };
            using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await Eventually.TrueAsync(() => worker.CountFor("stall after first delta") == 2);

            gateway.App.Lifetime.StopApplication();

            // To the end of the body, as OpenAI's Python SDK reads past [DONE]: an unfinished body is reset at the server's stop.
            var events = Events(await response.Content.ReadAsStringAsync().WaitAsync(Patience));

            Assert.Equal("[DONE]", events[^1]);
            Assert.Equal("server_shutting_down", JsonDocument.Parse(events[^2]).RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.True(worker.Cancelled.IsEmpty, "a cancel reached the worker while the broker held them all");

            cancels.Release();
            await Eventually.TrueAsync(() => worker.Received.All(command => worker.Cancelled.ContainsKey(command.RequestId)));
        }
        finally
        {
            cancels.Release();
        }
    }

    private static async Task<HermeticGateway> StartAsync(FakeWorkerState worker, HeldCancels cancels)
    {
        var clock = new ShiftableClock();
        var gateway = await HermeticGateway.StartAsync(builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gateway:EmbeddedWorker"] = "false",
                ["Gateway:WorkerLiveness"] = "01:00:00",
                ["Gateway:DrainGrace"] = "00:00:00",
            });
            FakeWorkerPool.Register(builder, Model, worker, clock);
        });
        try
        {
            gateway.App.Services.GetRequiredService<IBus>().ConnectPublishObserver(cancels);
            await FakeWorkerPool.PassDiscoveryAsync(gateway.App, clock);
            await FakeWorkerPool.AnnounceAsync(gateway.App, gateway.Client, Model);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }
}
