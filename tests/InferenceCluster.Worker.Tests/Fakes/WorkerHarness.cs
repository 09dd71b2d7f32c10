using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Worker.Tests.Fakes;

/// <summary>The worker's registration on MassTransit's in-memory test harness, with a fake engine.</summary>
internal sealed class WorkerHarness : IAsyncDisposable
{
    public static readonly Uri ReplyAddress = new("queue:test-replies");

    private readonly ServiceProvider _provider;

    private WorkerHarness(ServiceProvider provider, FakeInferenceEngine engine)
    {
        _provider = provider;
        Engine = engine;
        Harness = provider.GetRequiredService<ITestHarness>();
        Harness.Bus.ConnectSendObserver(Messages);
        Harness.Bus.ConnectPublishObserver(Messages);
    }

    /// <summary>Messages as they were sent or published, in that order.</summary>
    public MessageRecorder Messages { get; } = new();

    public ITestHarness Harness { get; }

    public FakeInferenceEngine Engine { get; }

    public IServiceProvider Services => _provider;

    public static async Task<WorkerHarness> StartAsync(
        FakeInferenceEngine engine,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?> { ["Worker:Id"] = "worker-under-test" });
        builder.Services.AddLogging().AddSingleton<IInferenceEngine>(engine);

        // The in-memory test harness is the bus here; it takes the worker's consumers as the gateway's bus does.
        builder.AddInferenceWorker(worker => (worker.AddEngine, worker.AddBus) = (false, false));
        builder.Services.AddMassTransitTestHarness(bus => bus.AddInferenceWorkerConsumers());
        configure?.Invoke(builder.Services);
        var provider = builder.Services.BuildServiceProvider(validateScopes: true);
        var harness = new WorkerHarness(provider, engine);
        await harness.Harness.Start();
        return harness;
    }

    public static GenerateCompletion Command(
        bool stream,
        GenerationConfig? config = null,
        DateTimeOffset? deadline = null,
        string model = "test-model") => new()
        {
            RequestId = Guid.NewGuid(),
            Model = model,
            Messages = [new ChatMessage("user", "hello")],
            Config = config ?? new GenerationConfig { DoSample = true, Temperature = 0.7, TopP = 0.9, TopK = 40, MaxTokens = 64, Seed = 42 },
            Stream = stream,
            ReplyAddress = ReplyAddress,
            Deadline = deadline ?? DateTimeOffset.UtcNow.AddMinutes(5),
            EnqueuedAt = DateTimeOffset.UtcNow.AddMilliseconds(-50),
        };

    /// <summary>Sends a command to the model's queue, as the gateway does.</summary>
    public async Task SendAsync(GenerateCompletion command, string queue = "generate-test-model")
    {
        var endpoint = await Harness.Bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(command);
    }

    /// <summary>Waits for the request's final or failure message and returns everything it was sent, in send order.</summary>
    public async Task<Replies> WaitForRepliesAsync(Guid requestId)
    {
        // Polls rather than using the harness's inactivity-bounded waits: a slow engine is quiet on the bus.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < until)
        {
            var replies = Collect(requestId);
            if (replies.Finished is not null || replies.Failed is not null)
            {
                return replies;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"request {requestId} got no final or failure message within 20 s");
    }

    /// <summary>Waits until the request has sent at least one delta.</summary>
    public async Task WaitForFirstDeltaAsync(Guid requestId)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Collect(requestId).Deltas.Count == 0)
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"request {requestId} sent no delta within 20 s");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// The request's messages from one snapshot of the recorder: its deltas are sent before its final message, so a
    /// snapshot holding the final message holds every delta. Read one list after the other, a stream that ends between
    /// the two reads would show its final message without the deltas that preceded it.
    /// </summary>
    public Replies Collect(Guid requestId)
    {
        var sent = Messages.Snapshot();
        return new(
            MessageRecorder.Of<CompletionDelta>(sent, m => m.RequestId == requestId),
            MessageRecorder.Of<CompletionFinished>(sent, m => m.RequestId == requestId).SingleOrDefault(),
            MessageRecorder.Of<CompletionFailed>(sent, m => m.RequestId == requestId).SingleOrDefault());
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}

/// <summary>What one request produced.</summary>
internal sealed record Replies(IReadOnlyList<CompletionDelta> Deltas, CompletionFinished? Finished, CompletionFailed? Failed)
{
    /// <summary>Every streamed token in order: those of the deltas, then those the final message carries.</summary>
    public IReadOnlyList<string> StreamedTokens => [.. Deltas.SelectMany(d => d.Tokens), .. Finished?.Tokens ?? []];
}
