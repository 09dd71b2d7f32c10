using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.Worker.Consumers;
using InferenceCluster.Worker.Streaming;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace InferenceCluster.Worker.Tests.Consumers;

public sealed class GenerateCompletionConsumerTests
{
    [Fact]
    public async Task Consume_NotStreamed_FinalCarriesWholeTextAndNoDeltas()
    {
        string[] tokens = ["Hello", ",", " wor", "ld"];
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(tokens, withLogprobs: true)));
        var command = WorkerHarness.Command(stream: false);

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Empty(replies.Deltas);
        Assert.Equal(0, replies.Finished!.Position);
        Assert.Equal("Hello, world", replies.Finished.Text);
        Assert.Null(replies.Finished.Tokens);
        Assert.Equal(tokens, replies.Finished.Logprobs!.Select(l => l.Token));
        Assert.True(replies.Finished.Timings.Queued >= TimeSpan.FromMilliseconds(50), "queue wait counts from EnqueuedAt");
    }

    [Fact]
    public async Task Consume_StopStringCutsTheReasoning_HeldBackTokensCountAsReasoning()
    {
        // As the engine ends on a stop string: tokens matched against it are never emitted, yet generated.
        static async IAsyncEnumerable<GenerationEvent> CutByStop()
        {
            yield return new PrefillCompleted(5, TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
            await Task.Yield();
            yield return new TokenGenerated(0, "Okay", null);
            yield return new GenerationCompleted(GenerationFinishReason.Stop, new CompletionUsage(5, 3, 0), TimeSpan.FromMilliseconds(1));
        }

        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => CutByStop(), isReasoningModel: true));
        var command = WorkerHarness.Command(stream: false);

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal(3, replies.Finished!.Usage.CompletionTokens);
        Assert.Equal(3, replies.Finished.ReasoningTokens);
    }

    [Fact]
    public async Task Consume_ReasoningClosedThenStopped_OnlyTokensThroughTheCloseTagAreReasoning()
    {
        static async IAsyncEnumerable<GenerationEvent> ClosedThenCut()
        {
            yield return new PrefillCompleted(5, TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
            await Task.Yield();
            yield return new TokenGenerated(0, "Hm", null);
            yield return new TokenGenerated(1, "</think>", null);
            yield return new TokenGenerated(2, "Yes", null);
            yield return new GenerationCompleted(GenerationFinishReason.Stop, new CompletionUsage(5, 5, 0), TimeSpan.FromMilliseconds(1));
        }

        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => ClosedThenCut(), isReasoningModel: true));
        var command = WorkerHarness.Command(stream: false);

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal(2, replies.Finished!.ReasoningTokens);
    }

    [Fact]
    public async Task Consume_RequestCarriesItsOwnConfig_EngineReceivesItUnchanged()
    {
        EngineCall? seen = null;
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((request, _) =>
        {
            seen = request;
            return FakeInferenceEngine.Tokens(["a"]);
        }));
        var config = new GenerationConfig { DoSample = true, Temperature = 1.3, TopP = 0.5, TopK = 7, MaxTokens = 9, Seed = 11, Stop = ["\n"] };
        var command = WorkerHarness.Command(stream: false, config);

        await worker.SendAsync(command);
        await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal(config with { Stop = [] }, seen!.Config with { Stop = [] });
        Assert.Equal(config.Stop, seen.Config.Stop);
        Assert.Equal(command.Messages, seen.Messages);
    }

    [Fact]
    public async Task Consume_EngineRejects_FailsWithCodeParamAndMessage()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) =>
            throw new GenerationRejectedException(FailureCodes.InvalidConfig, "seed", "This model's static batching cannot apply a per-request seed.")));
        var command = WorkerHarness.Command(stream: true);

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Null(replies.Finished);
        Assert.Equal("invalid_config", replies.Failed!.Code);
        Assert.Equal("seed", replies.Failed.Param);
        Assert.Contains("per-request seed", replies.Failed.Message, StringComparison.Ordinal);
        Assert.False(replies.Failed.Retryable);
        Assert.Equal(0, replies.Failed.Position);
    }

    [Fact]
    public async Task Consume_DeadlinePassed_FailsWithoutRunningTheEngine()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a"])));
        var command = WorkerHarness.Command(stream: true, deadline: DateTimeOffset.UtcNow.AddSeconds(-1));

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal("deadline_exceeded", replies.Failed!.Code);
        Assert.False(replies.Failed.Retryable);
        Assert.Equal(0, worker.Engine.Calls);
    }

    [Fact]
    public async Task Consume_EngineThrows_FailsWithEngineError()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => throw new InvalidOperationException("KV cache exhausted")));
        var command = WorkerHarness.Command(stream: false);

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal("engine_error", replies.Failed!.Code);
        Assert.Contains("KV cache exhausted", replies.Failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consume_EngineReportsError_FailsWithEngineErrorAfterTheDeltasSent()
    {
        static async IAsyncEnumerable<GenerationEvent> FailMidway()
        {
            yield return new PrefillCompleted(3, TimeSpan.Zero, TimeSpan.Zero);
            await Task.Yield();
            yield return new TokenGenerated(1, "partial", null);
            yield return new GenerationCompleted(GenerationFinishReason.Error, new CompletionUsage(3, 1, 0), TimeSpan.Zero, "device lost");
        }

        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FailMidway()));
        var command = WorkerHarness.Command(stream: true);

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal("engine_error", replies.Failed!.Code);
        Assert.Contains("device lost", replies.Failed.Message, StringComparison.Ordinal);
        var delta = Assert.Single(replies.Deltas);
        Assert.Equal(delta.Tokens.Count, replies.Failed.Position);
    }

    [Fact]
    public async Task Consume_CancelMessage_StopsTheRunningRequest()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, token) =>
            FakeInferenceEngine.Endless(TimeSpan.FromMilliseconds(5), token)));
        var command = WorkerHarness.Command(stream: true);

        await worker.SendAsync(command);
        await worker.WaitForFirstDeltaAsync(command.RequestId);
        await worker.Harness.Bus.Publish(new CancelCompletion { RequestId = command.RequestId });
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal(FinishReason.Cancelled, replies.Finished!.FinishReason);
        Assert.Equal(replies.StreamedTokens.Count, replies.Finished.Position);
        Assert.Equal(0, worker.Engine.InFlight);
    }

    [Fact]
    public async Task Consume_CancelArrivesBeforeTheRequest_RequestEndsCancelledAtOnce()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, token) =>
            FakeInferenceEngine.Endless(TimeSpan.FromMilliseconds(5), token)));
        var command = WorkerHarness.Command(stream: true);

        await worker.Harness.Bus.Publish(new CancelCompletion { RequestId = command.RequestId });
        Assert.True(await worker.Harness.Consumed.Any<CancelCompletion>(m => m.Context.Message.RequestId == command.RequestId));
        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal(FinishReason.Cancelled, replies.Finished!.FinishReason);
    }

    [Fact]
    public async Task Consume_WorkerStopsMidRequest_NoResultAndConsumeEndsCancelledForRedelivery()
    {
        var (worker, command) = await StreamingEndlesslyAsync();
        await using var _ = worker;

        // As SIGTERM does: the host is stopping, then the bus.
        worker.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        await worker.Harness.Stop();

        var replies = worker.Collect(command.RequestId);
        Assert.Null(replies.Finished);
        Assert.Null(replies.Failed);

        // A consume that ends in OperationCanceledException under the stopping token is not acknowledged:
        // the broker hands the command to another worker.
        var consumed = worker.Harness.Consumed.Select<GenerateCompletion>(m => m.Context.Message.RequestId == command.RequestId).Single();
        Assert.IsAssignableFrom<OperationCanceledException>(consumed.Exception);
    }

    [Fact]
    public async Task Consume_ConsumeCancelledWhileTheWorkerRunsOn_GatewayToldToSendItAgain()
    {
        // The broker cancels a worker's consumer when the model's queue is deleted, and the bus cancels the running
        // consumes; the unacknowledged commands went with the queue. Left for a redelivery that never comes, their
        // clients waited for their deadline (600 s).
        var (worker, command) = await StreamingEndlesslyAsync();
        await using var _ = worker;
        await worker.Harness.Stop();

        var replies = worker.Collect(command.RequestId);
        Assert.Null(replies.Finished);
        Assert.NotNull(replies.Failed);
        Assert.Equal(FailureCodes.WorkerInterrupted, replies.Failed.Code);
        Assert.True(replies.Failed.Retryable);
        Assert.Equal(replies.Deltas.Sum(delta => delta.Tokens.Count), replies.Failed.Position);
    }

    /// <summary>A worker streaming a command that never ends by itself, its first delta sent; its bus cancels a stopped consume soon.</summary>
    private static async Task<(WorkerHarness Worker, GenerateCompletion Command)> StreamingEndlesslyAsync()
    {
        var worker = await WorkerHarness.StartAsync(
            new FakeInferenceEngine((_, token) => FakeInferenceEngine.Endless(TimeSpan.FromMilliseconds(5), token)),
            configure: services => services.Configure<MassTransitHostOptions>(o => o.ConsumerStopTimeout = TimeSpan.FromMilliseconds(200)));
        var command = WorkerHarness.Command(stream: true);
        await worker.SendAsync(command);
        await worker.WaitForFirstDeltaAsync(command.RequestId);
        return (worker, command);
    }

    [Fact]
    public async Task Consume_FinalSentBeforeTheCommandIsAcknowledged()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a", "b"])));
        var consumer = worker.Harness.GetConsumerHarness<GenerateCompletionConsumer>();
        var command = WorkerHarness.Command(stream: true);

        await worker.SendAsync(command);
        Assert.True(await consumer.Consumed.Any<GenerateCompletion>(m => m.Context.Message.RequestId == command.RequestId));

        // Consumed means the consume method returned (the message is acknowledged then); the final must already be out.
        Assert.NotNull(worker.Collect(command.RequestId).Finished);
    }

    [Fact]
    public async Task Definition_ModelIdWithOddCharacters_QueueNamedByTheSharedFormula()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(["a"]), modelId: "DeepSeek-R1_Distill/Qwen 1.5B"));
        var command = WorkerHarness.Command(stream: false, model: "DeepSeek-R1_Distill/Qwen 1.5B");

        await worker.SendAsync(command, queue: "generate-deepseek-r1-distill-qwen-1.5b");
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal("a", replies.Finished!.Text);
    }

    [Fact]
    public async Task Definition_Concurrency_RunsUpToEngineCapacityAtOnce()
    {
        var running = 0;
        var peak = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async IAsyncEnumerable<GenerationEvent> Slow()
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await release.Task;
            Interlocked.Decrement(ref running);
            yield return new GenerationCompleted(GenerationFinishReason.Stop, new CompletionUsage(1, 0, 0), TimeSpan.Zero);
        }

        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => Slow(), capacity: 2));
        var commands = Enumerable.Range(0, 5).Select(_ => WorkerHarness.Command(stream: false)).ToList();

        // Every run holds its slot until released: two run at once however slowly a loaded machine delivers them, and a
        // third, which the limit must hold back, has a moment to show.
        await Task.WhenAll(commands.Select(c => worker.SendAsync(c)));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Volatile.Read(ref running) < 2 && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }

        Assert.Equal(2, Volatile.Read(ref running));
        await Task.Delay(300);
        release.SetResult();
        foreach (var command in commands)
        {
            await worker.WaitForRepliesAsync(command.RequestId);
        }

        Assert.Equal(2, peak);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
