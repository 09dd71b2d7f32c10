using InferenceCluster.Contracts;
using InferenceCluster.Inference;
using InferenceCluster.Worker.Consumers;
using InferenceCluster.Worker.Streaming;
using InferenceCluster.Worker.Tests.Fakes;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace InferenceCluster.Worker.Tests.Consumers;

/// <summary>How a streamed answer leaves the worker: deltas by token position, coalesced, flushed when the engine stalls.</summary>
public sealed class GenerateCompletionConsumerDeltaTests
{
    private static readonly string[] ManyTokens = [.. Enumerable.Range(0, 60).Select(i => $"t{i} ")];

    [Fact]
    public async Task Consume_Streamed_DeltasCoverConsecutiveTokenPositionsAndAreCoalesced()
    {
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => FakeInferenceEngine.Tokens(ManyTokens)));
        var command = WorkerHarness.Command(stream: true);

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Null(replies.Failed);
        var deltas = replies.Deltas;
        Assert.Equal(0, deltas[0].Position);
        Assert.All(deltas.Skip(1).Zip(deltas), pair => Assert.Equal(pair.Second.Position + pair.Second.Tokens.Count, pair.First.Position));
        Assert.True(deltas.Count < ManyTokens.Length, $"{ManyTokens.Length} tokens went out as {deltas.Count} deltas");
        Assert.Single(deltas[0].Tokens);
        Assert.Equal(ManyTokens, replies.StreamedTokens);
        Assert.Equal(ManyTokens.Length, replies.Finished!.Position);
        Assert.Null(replies.Finished.Text);
        Assert.Equal(FinishReason.Stop, replies.Finished.FinishReason);
        Assert.Equal(new CompletionUsage(5, ManyTokens.Length, 0), replies.Finished.Usage);
        Assert.Equal("worker-under-test", replies.Finished.WorkerId);
        Assert.Equal("rev-1", replies.Finished.ModelRevision);
    }

    [Fact]
    public async Task Consume_StreamEndsWithTokensPending_FinalMessageCarriesThemAndNoDeltaFollowsTheFirst()
    {
        // Every event ready at once and a clock that does not move: after the first token none is due, and no
        // flush timer is armed (the next event never has to be waited for), so the end finds three tokens pending.
        static async IAsyncEnumerable<GenerationEvent> AllAtOnce()
        {
            yield return new PrefillCompleted(2, TimeSpan.Zero, TimeSpan.Zero);
            foreach (var (text, i) in new[] { "a", "b", "c", "d" }.Select((t, i) => (t, i)))
            {
                yield return new TokenGenerated(i, text, null);
            }

            yield return new GenerationCompleted(GenerationFinishReason.Stop, new CompletionUsage(2, 4, 0), TimeSpan.Zero);
            await Task.CompletedTask;
        }

        var clock = new ManualTimeProvider();
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => AllAtOnce()),
            configure: services => services.AddSingleton<TimeProvider>(clock));
        var command = WorkerHarness.Command(stream: true, deadline: clock.GetUtcNow().AddMinutes(5));

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        var delta = Assert.Single(replies.Deltas);
        Assert.Equal(["a"], delta.Tokens);
        Assert.Equal(["b", "c", "d"], replies.Finished!.Tokens);
        Assert.Equal(4, replies.Finished.Position);
    }

    [Fact]
    public async Task Consume_EngineStallsWithTextPending_PendingTextGoesOutWithoutWaitingForTheNextToken()
    {
        WorkerHarness? worker = null;
        var command = WorkerHarness.Command(stream: true);
        async IAsyncEnumerable<GenerationEvent> Stalling()
        {
            yield return new PrefillCompleted(2, TimeSpan.Zero, TimeSpan.Zero);
            yield return new TokenGenerated(1, "a", null);
            yield return new TokenGenerated(2, "b", null);

            // The engine stalls (as if prefilling someone else's long prompt) until "b" has gone out on its own, however
            // long a loaded machine takes to flush it; a worker that waits for the next token never sends it, and "c"
            // then comes after the bound, with "b".
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (worker!.Collect(command.RequestId).Deltas.Count < 2 && DateTime.UtcNow < until)
            {
                await Task.Delay(10);
            }

            yield return new TokenGenerated(3, "c", null);
            yield return new GenerationCompleted(GenerationFinishReason.Stop, new CompletionUsage(2, 3, 0), TimeSpan.Zero);
        }

        await using var started = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => Stalling()));
        worker = started;

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        // "b" went out alone, before "c" existed; "c" follows in a delta or, within a flush interval of "b", with the final
        // message.
        Assert.Equal(["a", "b"], replies.Deltas.Take(2).Select(d => d.Text()));
        Assert.Equal([0, 1], replies.Deltas.Take(2).Select(d => d.Position));
        Assert.Equal(["a", "b", "c"], replies.StreamedTokens);
        Assert.Equal(3, replies.Finished!.Position);
    }

    [Fact]
    public async Task Consume_TokensArriveOneByOne_OneFlushTimerPerDeltaNotPerToken()
    {
        static async IAsyncEnumerable<GenerationEvent> Trickling()
        {
            yield return new PrefillCompleted(2, TimeSpan.Zero, TimeSpan.Zero);
            foreach (var (text, i) in ManyTokens.Select((t, i) => (t, i)))
            {
                // Each token arrives after the worker has started waiting for it, as from a real engine, and the
                // stream spans several flush intervals.
                await Task.Delay(1);
                yield return new TokenGenerated(i, text, null);
            }

            yield return new GenerationCompleted(GenerationFinishReason.Stop, new CompletionUsage(2, ManyTokens.Length, 0), TimeSpan.Zero);
        }

        var clock = new CountingTimeProvider(dueWithin: DeltaCoalescer.FlushInterval);
        await using var worker = await WorkerHarness.StartAsync(new FakeInferenceEngine((_, _) => Trickling()),
            configure: services => services.AddSingleton<TimeProvider>(clock));
        var command = WorkerHarness.Command(stream: true);

        await worker.SendAsync(command);
        var replies = await worker.WaitForRepliesAsync(command.RequestId);

        Assert.Equal(ManyTokens, replies.StreamedTokens);
        // The first delta goes out at once; each later one, and the tail the final message carries, may have had
        // one timer armed while it waited.
        Assert.InRange(clock.TimersCreated, 1, replies.Deltas.Count);
    }
}
